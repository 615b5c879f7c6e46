import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wasm2VecError } from '../../../src/errors.js';
import { FastTextReader, readFastText, type FastTextReadOptions } from '../../../src/train/fasttext/reader.js';
import { rejection } from '../../helpers/errors.js';
import { fixture } from './fixtures.js';

/** Byte offsets of a fixture's parts, found by walking its layout (independently of the reader). */
function layout(b: Uint8Array) {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const size = v.getInt32(64, true);
  const pruneidx = Number(v.getBigInt64(84, true));
  const entries: { at: number; nul: number }[] = [];
  let p = 92;
  for (let i = 0; i < size; i++) {
    const nul = b.indexOf(0, p);
    entries.push({ at: p, nul });
    p = nul + 10;
  }
  const pruneAt = p;
  p += Math.max(0, pruneidx) * 8;
  const quantFlag = p;
  const inputHeader = p + 1;
  const quant = b[quantFlag] === 1;
  let inputData = inputHeader + 16;
  let qoutFlag = -1;
  if (!quant) {
    const rows = Number(v.getBigInt64(inputHeader, true));
    const dim = Number(v.getBigInt64(inputHeader + 8, true));
    qoutFlag = inputData + rows * dim * 4;
  } else {
    inputData = inputHeader + 21;
  }
  return { entries, pruneAt, quantFlag, inputHeader, inputData, qoutFlag, outputHeader: qoutFlag + 1, outputData: qoutFlag + 17 };
}

const skipgram = new Uint8Array(readFileSync(fixture('skipgram.bin')));
const ftz = new Uint8Array(readFileSync(fixture('supervised.ftz')));
const L = layout(skipgram);
const F = layout(ftz);

function patched(base: Uint8Array, edit: (v: DataView, b: Uint8Array) => void): Uint8Array {
  const b = base.slice();
  edit(new DataView(b.buffer), b);
  return b;
}

async function badFormat(bytes: Uint8Array | ReadableStream<Uint8Array> | string, pattern: RegExp, options?: FastTextReadOptions): Promise<Wasm2VecError> {
  const e = await rejection(readFastText(bytes, options));
  expect(e.code, e.message).toBe('BAD_FORMAT');
  expect(e.message).toMatch(pattern);
  return e;
}

function stream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
}

describe('fastText reader: hostile .bin files are BAD_FORMAT naming the byte offset and field', () => {
  it('truncated anywhere: header, args, dictionary, matrices; from a sized source and from a stream', async () => {
    const cuts = [
      0,
      3,
      7,
      8,
      40,
      63,
      64,
      80,
      91,
      92,
      L.entries[5].at + 1,
      L.entries[700].nul + 4,
      L.quantFlag,
      L.inputHeader + 5,
      L.inputData + 1001,
      L.qoutFlag,
      L.outputHeader + 3,
      L.outputData + 7,
      skipgram.length - 1,
    ];
    for (const cut of cuts) {
      const part = skipgram.subarray(0, cut);
      await badFormat(part, /byte \d+: /);
      const e = await badFormat(stream(part), /byte \d+: .*(the file ends here|magic number)/);
      // The offset named is where the cut field (or the data that ran out) starts, never past the cut.
      const at = Number(/byte (\d+)/.exec(e.message)![1]);
      expect(at).toBeLessThanOrEqual(cut);
      if (cut >= L.inputData) expect(at).toBeGreaterThan(cut - 17);
    }
  });

  it('wrong magic number or version', async () => {
    await badFormat(
      patched(skipgram, (v) => v.setInt32(0, 12345, true)),
      /byte 0: magic number: 12345 is not fastText's 793712314/,
    );
    await badFormat(new TextEncoder().encode('2 3\nthe 1 2 3\nof 4 5 6\n'), /byte 0: magic number/);
    await badFormat(
      patched(skipgram, (v) => v.setInt32(4, 13, true)),
      /byte 4: version: 13/,
    );
    await badFormat(
      patched(skipgram, (v) => v.setInt32(4, -1, true)),
      /byte 4: version: -1/,
    );
  });

  it('absurd args: dim, loss, model, bucket, minn, maxn, t', async () => {
    const arg = (at: number, x: number) => patched(skipgram, (v) => v.setInt32(at, x, true));
    await badFormat(arg(8, 0), /byte 8: args.dim: 0 is not a vector dimension/);
    await badFormat(arg(8, -16), /byte 8: args.dim: -16/);
    await badFormat(arg(8, 1_000_000), /byte 8: args.dim: 1000000/);
    await badFormat(arg(32, 9), /byte 32: args.loss: 9 is not a fastText loss/);
    await badFormat(arg(36, 0), /byte 36: args.model: 0 is not a fastText model/);
    await badFormat(arg(40, -1), /byte 40: args.bucket: -1 is negative/);
    await badFormat(arg(40, 0), /byte 40: args.bucket: 0 buckets but character n-grams up to 6/);
    await badFormat(arg(40, 0x7fffffff), /byte 40: args.bucket: 1523 words \+ 2147483647 buckets exceed fastText's int32 row ids/);
    await badFormat(
      arg(40, 100_000_000),
      new RegExp(`byte ${L.inputHeader}: input matrix rows: 6523, expected 100001523 \\(1523 words \\+ 100000000 buckets\\)`),
    );
    await badFormat(arg(44, -1), /byte 44: args.minn: -1 is outside 0..100/);
    await badFormat(arg(48, 1000), /byte 48: args.maxn: 1000 is outside 0..100/);
    await badFormat(
      patched(skipgram, (v) => v.setFloat64(56, NaN, true)),
      /byte 56: args.t: NaN/,
    );
  });

  it('a dictionary whose counts disagree, or that the file cannot hold', async () => {
    await badFormat(
      patched(skipgram, (v) => v.setInt32(64, 1524, true)),
      /byte 64: dictionary.size: 1524 entries, but nwords 1523 \+ nlabels 0 = 1523/,
    );
    await badFormat(
      patched(skipgram, (v) => v.setInt32(68, -3, true)),
      /byte 68: dictionary.nwords: -3 is negative/,
    );
    await badFormat(
      patched(skipgram, (v) => {
        v.setInt32(64, 1_000_000_000, true);
        v.setInt32(68, 1_000_000_000, true);
      }),
      /byte 64: dictionary.size: 1000000000 entries and 0 pruneidx pairs need at least 11000000000 bytes, but only \d+ follow/,
    );
    await badFormat(
      patched(skipgram, (v) => v.setBigInt64(76, -5n, true)),
      /byte 76: dictionary.ntokens: -5/,
    );
    await badFormat(
      patched(skipgram, (v) => v.setBigInt64(84, -2n, true)),
      /byte 84: dictionary.pruneidx_size: -2/,
    );
    await badFormat(
      patched(skipgram, (v) => v.setBigInt64(84, 1n << 40n, true)),
      /byte 84: dictionary.pruneidx_size: 1099511627776 kept buckets, more than the model's 5000/,
    );
    // Labels must follow the words: flip the type byte of word 3.
    const e3 = L.entries[3];
    await badFormat(
      patched(skipgram, (_, b) => {
        b[e3.nul + 9] = 1;
      }),
      new RegExp(`byte ${e3.nul + 9}: dictionary word 3 type: 1, expected 0`),
    );
    await badFormat(
      patched(skipgram, (_, b) => {
        b[e3.nul + 9] = 7;
      }),
      /dictionary word 3 type: 7/,
    );
    await badFormat(
      patched(skipgram, (v) => v.setBigInt64(e3.nul + 1, -1n, true)),
      new RegExp(`byte ${e3.nul + 1}: dictionary word 3 count: -1`),
    );
    await badFormat(
      patched(skipgram, (_, b) => {
        b[L.entries[0].at] = 0;
      }),
      /byte 92: dictionary word 0: empty word/,
    );
    // A missing NUL runs the word into its count and misaligns what follows.
    await badFormat(
      patched(skipgram, (_, b) => {
        b[e3.nul] = 0x78;
      }),
      /byte \d+: dictionary/,
    );
    // Two entries with the same word.
    const same = L.entries.findIndex((e, i) => i > 1 && e.nul - e.at === L.entries[1].nul - L.entries[1].at);
    await badFormat(
      patched(skipgram, (_, b) => b.copyWithin(L.entries[same].at, L.entries[1].at, L.entries[1].nul)),
      new RegExp(`byte ${L.entries[same].at}: dictionary word ${same}: duplicate entry .* \\(first as entry 1\\)`),
    );
    // A pruned dictionary with a dense matrix (fastText refuses it too).
    const pruned = new Uint8Array(skipgram.length + 8);
    pruned.set(skipgram.subarray(0, L.pruneAt));
    new DataView(pruned.buffer).setBigInt64(84, 1n, true);
    new DataView(pruned.buffer).setInt32(L.pruneAt, 7, true);
    new DataView(pruned.buffer).setInt32(L.pruneAt + 4, 0, true);
    pruned.set(skipgram.subarray(L.pruneAt), L.pruneAt + 8);
    await badFormat(
      pruned,
      new RegExp(`byte ${L.quantFlag + 8}: quant flag: the dictionary is pruned \\(1 kept buckets\\) but the input matrix is not quantized`),
    );
  });

  it('matrix headers that disagree with the args and dictionary, flags that are not bools', async () => {
    await badFormat(
      patched(skipgram, (_, b) => {
        b[L.quantFlag] = 2;
      }),
      new RegExp(`byte ${L.quantFlag}: quant flag: 2 is not a bool`),
    );
    await badFormat(
      patched(skipgram, (v) => v.setBigInt64(L.inputHeader + 8, 17n, true)),
      new RegExp(`byte ${L.inputHeader + 8}: input matrix columns: 17, expected args.dim 16`),
    );
    await badFormat(
      patched(skipgram, (v) => v.setBigInt64(L.inputHeader, -1n, true)),
      /input matrix rows: -1/,
    );
    await badFormat(
      patched(skipgram, (_, b) => {
        b[L.qoutFlag] = 3;
      }),
      new RegExp(`byte ${L.qoutFlag}: qout flag: 3`),
    );
    await badFormat(
      patched(skipgram, (v) => v.setBigInt64(L.outputHeader, 1524n, true)),
      new RegExp(`byte ${L.outputHeader}: output matrix rows: 1524, expected 1523 \\(1523 words\\)`),
    );
    // Both the bucket and the matrix claim 10^8 rows: the bytes are not there.
    const big = patched(skipgram, (v) => {
      v.setInt32(40, 100_000_000, true);
      v.setBigInt64(L.inputHeader, 100_001_523n, true);
    });
    await badFormat(big, new RegExp(`byte ${L.inputData}: input matrix: 100001523 rows × 16 dims .* but only \\d+ follow`));
  });

  it('NaN and infinite weights, naming the row (word or bucket) and column', async () => {
    const rowOf = (r: number, c: number) => L.inputData + (r * 16 + c) * 4;
    await badFormat(
      patched(skipgram, (v) => v.setFloat32(rowOf(2, 5), NaN, true)),
      new RegExp(`byte ${rowOf(2, 5)}: input matrix: NaN in row 2 \\(word "[^"]+"\\), column 5`),
    );
    await badFormat(
      patched(skipgram, (v) => v.setFloat32(rowOf(1523 + 42, 0), -Infinity, true)),
      /input matrix: an infinite value in row 1565 \(bucket 42\), column 0/,
    );
    const out = L.outputData + (7 * 16 + 15) * 4;
    await badFormat(
      patched(skipgram, (v) => v.setFloat32(out, Infinity, true)),
      new RegExp(`byte ${out}: output matrix: an infinite value in row 7 \\(word "[^"]+"\\), column 15`),
    );
  });

  it('a failed or abandoned read of a path releases its file handle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'w2v-ft-'));
    try {
      const path = join(dir, 'cut.bin');
      writeFileSync(path, skipgram.subarray(0, L.inputData + 100));
      const fds = () => readdirSync('/proc/self/fd').length;
      const before = fds();
      for (let i = 0; i < 20; i++) await badFormat(path, /input matrix/);
      writeFileSync(join(dir, 'ok.bin'), skipgram);
      for (let i = 0; i < 20; i++) await (await FastTextReader.open(join(dir, 'ok.bin'))).close();
      expect(fds()).toBeLessThanOrEqual(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bytes after the output matrix are a warning (fastText ignores them too)', async () => {
    const longer = new Uint8Array(skipgram.length + 3);
    longer.set(skipgram);
    const m = await readFastText(longer);
    expect(m.warnings).toEqual([`buffer: byte ${skipgram.length}: 3 bytes after the output matrix ignored (fastText ignores them too)`]);
  });
});

describe('fastText reader: hostile .ftz files', () => {
  const inputRows = 109 + Number(new DataView(ftz.buffer).getBigInt64(84, true));
  it('pruneidx pairs out of range or repeated', async () => {
    await badFormat(
      patched(ftz, (v) => v.setInt32(F.pruneAt, 5000, true)),
      new RegExp(`byte ${F.pruneAt}: pruneidx pair 0: bucket 5000 is outside 0..4999`),
    );
    await badFormat(
      patched(ftz, (v) => v.setInt32(F.pruneAt + 4, -1, true)),
      /pruneidx pair 0: row -1 is outside/,
    );
    await badFormat(
      patched(ftz, (v) => v.setInt32(F.pruneAt + 8, v.getInt32(F.pruneAt, true), true)),
      /pruneidx pair 1: bucket \d+ is listed twice/,
    );
    await badFormat(
      patched(ftz, (v) => v.setInt32(F.pruneAt + 12, v.getInt32(F.pruneAt + 4, true), true)),
      /pruneidx pair 1: row \d+ is given to two buckets/,
    );
  });

  it('quantized matrix geometry: rows, qnorm flag, codesize, sub-quantizers, NaN centroids', async () => {
    const h = F.inputHeader; // qnorm, rows, dim, codesize
    await badFormat(
      patched(ftz, (_, b) => {
        b[h] = 5;
      }),
      new RegExp(`byte ${h}: input matrix qnorm: 5`),
    );
    await badFormat(
      patched(ftz, (v) => v.setBigInt64(h + 1, BigInt(inputRows + 1), true)),
      new RegExp(`input matrix rows: ${inputRows + 1}, expected ${inputRows} \\(109 words \\+ \\d+ kept buckets\\)`),
    );
    await badFormat(
      patched(ftz, (v) => v.setInt32(h + 17, 3, true)),
      new RegExp(`byte ${h + 17}: input matrix codesize: 3 codes`),
    );
    const codesize = new DataView(ftz.buffer).getInt32(h + 17, true);
    await badFormat(
      patched(ftz, (v) => v.setInt32(h + 17, codesize - 8, true)),
      /input matrix quantizer dim|input matrix codesize/,
    );
    const pq = F.inputData + codesize; // dim, nsubq, dsub, lastdsub
    await badFormat(
      patched(ftz, (v) => v.setInt32(pq + 8, 0, true)),
      new RegExp(`byte ${pq + 8}: input matrix quantizer dsub: 0 is outside 1..16`),
    );
    await badFormat(
      patched(ftz, (v) => v.setInt32(pq + 4, 9, true)),
      new RegExp(`byte ${pq + 4}: input matrix quantizer nsubq: 9, but 16 columns in blocks of 2 make 8`),
    );
    await badFormat(
      patched(ftz, (v) => v.setInt32(pq + 12, 1, true)),
      /input matrix quantizer lastdsub: 1/,
    );
    await badFormat(
      patched(ftz, (v) => v.setInt32(pq, 15, true)),
      /input matrix quantizer dim: 15, but the matrix has 16 columns/,
    );
    await badFormat(
      patched(ftz, (v) => v.setFloat32(pq + 16 + 40, NaN, true)),
      new RegExp(`byte ${pq + 56}: input matrix quantizer centroids: NaN at centroid value 10`),
    );
    const normPq = pq + 16 + 16 * 256 * 4 + inputRows;
    await badFormat(
      patched(ftz, (v) => v.setInt32(normPq, 2, true)),
      new RegExp(`byte ${normPq}: input matrix norm quantizer dim: 2, but the matrix has 1 columns`),
    );
  });
});

describe('fastText reader: memory is planned from checked claims, never allocated from an unchecked header', () => {
  it('a model too big for wasm32 is refused before allocating, naming the shapes', async () => {
    // cc.en.300-like claim (4M rows × 300) on a stream, whose length is unknown, so only the plan can refuse it.
    const huge = patched(skipgram, (v) => {
      v.setInt32(8, 300, true);
      v.setInt32(40, 4_000_000, true);
      v.setBigInt64(L.inputHeader, 4_001_523n, true);
      v.setBigInt64(L.inputHeader + 8, 300n, true);
    });
    let allocated = false;
    const e = await rejection(
      readFastText(stream(huge), {
        allocate: () => {
          allocated = true;
          return new Float32Array(0);
        },
      }),
    );
    expect(e.code).toBe('MEMORY_LIMIT');
    expect(e.message).toMatch(
      /the input matrix, 4,001,523 rows \(1,523 words \+ 4,000,000 buckets\) × 300 dims, 4\.47 GiB as float32 and the output matrix, 1,523 × 300, 1\.7 MiB: 4\.47 GiB in all, more than the 4 GiB/,
    );
    expect(allocated).toBe(false);
    // The same header on a sized source fails earlier: the file cannot hold what it claims.
    await badFormat(huge, /input matrix: 4001523 rows × 300 dims .* but only \d+ follow/);
  });

  it('from a stream, a claim that fits is not allocated until its bytes have arrived', async () => {
    const big = patched(skipgram, (v) => {
      v.setInt32(40, 50_000_000, true);
      v.setBigInt64(L.inputHeader, 50_001_523n, true);
    });
    let allocated = false;
    await badFormat(stream(big), /input matrix: the file ends here/, {
      allocate: () => {
        allocated = true;
        return new Float32Array(0);
      },
    });
    expect(allocated).toBe(false);
  });
});

describe('fastText reader: random corruption is a Wasm2VecError or a model, never a crash or a hang', () => {
  for (const [name, base] of [
    ['skipgram.bin', skipgram],
    ['supervised.ftz', ftz],
  ] as const) {
    it(`${name}: random byte edits and truncations`, async () => {
      const headerEnd = Math.min(base.length, 400);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.oneof(fc.nat(headerEnd - 1), fc.nat(base.length - 1)), fc.nat(255)), { minLength: 1, maxLength: 6 }),
          fc.option(fc.nat(base.length), { nil: undefined }),
          async (edits, cut) => {
            const b = base.slice(0, cut ?? base.length);
            for (const [at, value] of edits) if (at < b.length) b[at] = value;
            try {
              await readFastText(b);
            } catch (e) {
              if (!(e instanceof Wasm2VecError)) throw e;
              if (!['BAD_FORMAT', 'MEMORY_LIMIT'].includes(e.code)) throw e;
            }
          },
        ),
        { numRuns: 150, seed: 16 },
      );
    });
  }
});
