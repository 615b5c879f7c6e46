import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addWordNgramBuckets, fastTextHash } from '../../../src/classify/linear/hash.js';

/** fastText's hash with BigInt-free but obviously-correct byte handling (TextEncoder, int8 sign extension). */
function referenceHash(token: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(token)) {
    h = (h ^ (b >= 0x80 ? b - 256 : b)) >>> 0;
    h = Number((BigInt(h) * 16777619n) & 0xffffffffn);
  }
  return h | 0;
}

/** fastText's addWordNgrams in BigInt uint64 arithmetic. */
function referenceBuckets(hashes: number[], n: number, buckets: number): number[] {
  const out: number[] = [];
  const mask = (1n << 64n) - 1n;
  for (let i = 0; i < hashes.length; i++) {
    let h = BigInt.asUintN(64, BigInt(hashes[i]));
    for (let j = i + 1; j < hashes.length && j < i + n; j++) {
      h = (h * 116049371n + BigInt.asUintN(64, BigInt(hashes[j]))) & mask;
      out.push(Number(h % BigInt(buckets)));
    }
  }
  return out;
}

describe('fastText hashing', () => {
  it('hashes UTF-8 bytes with int8 sign extension, including astral characters and lone surrogates', () => {
    for (const t of ['the', 'café', '北京', 'naïve', '😀x', '\ud800', 'a\udc00b', '</s>', '']) expect(fastTextHash(t)).toBe(referenceHash(t));
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }), (t) => fastTextHash(t) === referenceHash(t)),
      { numRuns: 300 },
    );
  });

  it('computes word n-gram buckets exactly as uint64 arithmetic does (signed hashes, any bucket count)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -2147483648, max: 2147483647 }), { maxLength: 8 }),
        fc.integer({ min: 2, max: 5 }),
        fc.oneof(fc.constant(2_000_000), fc.integer({ min: 1, max: 1 << 26 }), fc.integer({ min: 1, max: 2147483647 })),
        (hashes, n, buckets) => {
          const got: number[] = [];
          addWordNgramBuckets(hashes, n, buckets, got);
          expect(got).toEqual(referenceBuckets(hashes, n, buckets));
        },
      ),
      { numRuns: 500 },
    );
  });

  // The real thing: fastText's own sentence vector is the mean of the rows our ids name.
  it.runIf(existsSync('/usr/bin/fasttext'))('names the same input rows as Debian fastText 0.9.2 (words, EOS, OOV and UTF-8 trigrams)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm2vec-fthash-'));
    try {
      writeFileSync(
        join(dir, 'train.txt'),
        '__label__a the café is good\n__label__b 北京 hotel is bad !\n__label__a naïve movie , très bien\n__label__b awful awful film\n',
      );
      execFileSync('/usr/bin/fasttext', [
        'supervised',
        '-input',
        join(dir, 'train.txt'),
        '-output',
        join(dir, 'm'),
        '-wordNgrams',
        '3',
        '-bucket',
        '10007',
        '-dim',
        '4',
        '-epoch',
        '1',
        '-verbose',
        '0',
        '-thread',
        '1',
      ]);
      const queries = ['the café 北京 unknownword is naïve très good', 'awful x y z', 'bien'];
      const printed = execFileSync('/usr/bin/fasttext', ['print-sentence-vectors', join(dir, 'm.bin')], { input: queries.join('\n') + '\n' })
        .toString()
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/).map(Number));
      // Parse fastText's .bin: args (12 × int32 + double), dictionary, then the input matrix.
      const b = readFileSync(join(dir, 'm.bin'));
      let p = 8 + 12 * 4 + 8;
      const size = b.readInt32LE(p),
        nwords = b.readInt32LE(p + 4);
      p += 12 + 8 + 8;
      const words: string[] = [];
      for (let i = 0; i < size; i++) {
        let e = p;
        while (b[e] !== 0) e++;
        words.push(b.subarray(p, e).toString('utf8'));
        p = e + 1 + 8 + 1;
      }
      p += 1;
      const m = Number(b.readBigInt64LE(p)),
        dim = Number(b.readBigInt64LE(p + 8));
      p += 16;
      expect(m).toBe(nwords + 10007);
      queries.forEach((q, qi) => {
        const tokens = [...q.split(' '), '</s>'];
        const rows = tokens.map((t) => words.indexOf(t)).filter((id) => id >= 0 && id < nwords);
        const grams: number[] = [];
        addWordNgramBuckets(tokens.map(fastTextHash), 3, 10007, grams);
        rows.push(...grams.map((g) => nwords + g));
        for (let k = 0; k < dim; k++) {
          let s = 0;
          for (const r of rows) s += b.readFloatLE(p + (r * dim + k) * 4);
          expect(s / rows.length).toBeCloseTo(printed[qi][k], 4);
        }
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
