import { describe, expect, it } from 'vitest';
import { ByteCursor } from '../../../src/train/fasttext/byte-cursor.js';
import { FastTextDictionary, readDictionary, dictionaryChunks } from '../../../src/train/fasttext/dictionary.js';
import { argsBytes, readArgs, type FastTextArgs } from '../../../src/train/fasttext/args.js';
import { concatChunks } from '../../../src/vectors/save-vectors.js';
import { ByteStream } from '../../../src/vectors/byte-source.js';
import { rejection, syncError } from '../../helpers/errors.js';
import { formatG5 } from './fixtures.js';

/** A cursor over `bytes` delivered in pieces of `piece` bytes, with or without a known size. */
function cursor(bytes: Uint8Array, piece = 3, sized = true): ByteCursor {
  async function* gen() {
    for (let o = 0; o < bytes.length; o += piece) yield bytes.slice(o, o + piece);
  }
  return new ByteCursor(ByteStream.fromIterator('test', sized ? bytes.length : undefined, gen()));
}

describe('ByteCursor', () => {
  it('reads little-endian fields across chunk boundaries and tracks the absolute offset', async () => {
    const b = new Uint8Array(20);
    const v = new DataView(b.buffer);
    v.setInt32(0, -7, true);
    v.setBigInt64(4, 123456789012345n, true);
    v.setFloat64(12, 0.25, true);
    const c = cursor(b, 3);
    await c.need(4, 'a');
    expect(c.int32()).toBe(-7);
    await c.need(8, 'b');
    expect(c.int64()).toBe(123456789012345);
    expect(c.offset).toBe(12);
    await c.need(8, 'c');
    expect(c.float64()).toBe(0.25);
    expect(c.remaining).toBe(0);
    expect(await c.hasMore()).toBe(false);
  });

  it('int64 beyond ±2^53 is ±Infinity (so range checks refuse it), and truncation names the field and offset', async () => {
    const b = new Uint8Array(16);
    const v = new DataView(b.buffer);
    v.setBigInt64(0, 1n << 60n, true);
    v.setBigInt64(8, -(1n << 60n), true);
    const c = cursor(b, 5, false);
    await c.need(16, 'x');
    expect(c.int64()).toBe(Infinity);
    expect(c.int64()).toBe(-Infinity);
    const e = await rejection(c.need(4, 'the field'));
    expect(e.code).toBe('BAD_FORMAT');
    expect(e.message).toBe('test: byte 16: the field: the file ends here, 4 bytes short (truncated, or a count in the header is wrong)');
  });

  it('readInto copies straight across chunks; collect keeps copies (chunks may share one buffer)', async () => {
    const b = Uint8Array.from({ length: 50 }, (_, i) => i);
    const c = cursor(b, 7);
    await c.need(1, 'first');
    c.uint8();
    const dst = new Uint8Array(30);
    await c.readInto(dst, 'data');
    expect(Array.from(dst)).toEqual(Array.from(b.subarray(1, 31)));
    const pieces = await c.collect(19, 'rest');
    expect(Array.from(Buffer.concat(pieces))).toEqual(Array.from(b.subarray(31)));
    await expect(c.skip(1, 'beyond')).rejects.toThrow(/byte 50: beyond: the file ends here, 1 byte short/);
  });
});

const ARGS: FastTextArgs = {
  dim: 100,
  ws: 5,
  epoch: 5,
  minCount: 5,
  neg: 5,
  wordNgrams: 1,
  loss: 'ns',
  model: 'skipgram',
  bucket: 2_000_000,
  minn: 3,
  maxn: 6,
  lrUpdateRate: 100,
  t: 1e-4,
};

describe('Args', () => {
  it("round-trips through fastText's 56-byte layout", async () => {
    const bytes = argsBytes(ARGS);
    expect(bytes.length).toBe(56);
    const c = cursor(bytes, 56);
    await c.need(56, 'args');
    expect(readArgs(c, 12)).toEqual(ARGS);
  });

  it('a version-11 supervised model has no character n-grams (fastText 0.9.2 sets maxn 0)', async () => {
    const c = cursor(argsBytes({ ...ARGS, model: 'supervised', loss: 'softmax' }), 56);
    await c.need(56, 'args');
    expect(readArgs(c, 11).maxn).toBe(0);
  });
});

describe('Dictionary', () => {
  const entry = (word: string, count: number, type: number) => {
    const w = new TextEncoder().encode(word);
    const out = new Uint8Array(w.length + 10);
    out.set(w);
    new DataView(out.buffer).setBigInt64(w.length + 1, BigInt(count), true);
    out[w.length + 9] = type;
    return out;
  };
  const head = (size: number, nwords: number, nlabels: number, ntokens: number, pruneidx: number) => {
    const h = new Uint8Array(28);
    const v = new DataView(h.buffer);
    v.setInt32(0, size, true);
    v.setInt32(4, nwords, true);
    v.setInt32(8, nlabels, true);
    v.setBigInt64(12, BigInt(ntokens), true);
    v.setBigInt64(20, BigInt(pruneidx), true);
    return h;
  };

  it('reads entries split over any chunk size, with labels after words, and writes the same bytes back', async () => {
    const bytes = Buffer.concat([head(3, 2, 1, 9, -1), entry('</s>', 5, 0), entry('naïve', 3, 0), entry('__label__a', 1, 1)]);
    for (const piece of [1, 2, 5, 64]) {
      const d = await readDictionary(cursor(new Uint8Array(bytes), piece), 100);
      expect(d.words).toEqual(['</s>', 'naïve', '__label__a']);
      expect(Array.from(d.counts)).toEqual([5, 3, 1]);
      expect([d.nwords, d.nlabels, d.ntokens, d.pruneidxSize]).toEqual([2, 1, 9, -1]);
      expect(d.label(0)).toBe('__label__a');
      expect(d.id('naïve')).toBe(1);
      expect(d.id('nope')).toBe(-1);
      expect(Buffer.from(concatChunks(dictionaryChunks(d))).equals(bytes)).toBe(true);
    }
  });

  it('keeps the bytes of an entry that is not UTF-8; a valid word with the same decoding wins the text lookup', async () => {
    const raw = new Uint8Array([0x78, 0xff]);
    const rawEntry = new Uint8Array(12);
    rawEntry.set(raw);
    new DataView(rawEntry.buffer).setBigInt64(3, 2n, true);
    const bytes = Buffer.concat([head(2, 2, 0, 4, -1), rawEntry, entry('x\ufffd', 2, 0)]);
    const d = await readDictionary(cursor(new Uint8Array(bytes), 4), 10);
    expect(d.id(raw)).toBe(0);
    expect(d.id('x\ufffd')).toBe(1);
    expect(d.warnings[0]).toMatch(/entry 0 is not valid UTF-8 and decodes to "x\\ufffd"|entry 0 is not valid UTF-8/);
    expect(Buffer.from(concatChunks(dictionaryChunks(d))).equals(bytes)).toBe(true);
  });

  it('refuses inconsistent parts when built in memory', () => {
    expect(syncError(() => new FastTextDictionary({ words: ['a', 'a'], counts: [1, 1], nwords: 2, nlabels: 0, ntokens: 2 })).message).toMatch(
      /duplicate entry "a" \(0 and 1\)/,
    );
    expect(syncError(() => new FastTextDictionary({ words: ['a'], counts: [1], nwords: 2, nlabels: 0, ntokens: 2 })).message).toMatch(
      /1 entries but nwords 2 \+ nlabels 0/,
    );
    expect(syncError(() => new FastTextDictionary({ words: ['a'], counts: [], nwords: 1, nlabels: 0, ntokens: 2 })).message).toMatch(/1 entries but 0 counts/);
  });
});

describe("formatG5 (the tests' model of C++ ostream << float at setprecision(5))", () => {
  it('matches printf %.5g', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [1, '1'],
      [-0.5, '-0.5'],
      [0.123456, '0.12346'],
      [0.00012345, '0.00012345'],
      [1.5e-5, '1.5e-05'],
      [-2.25e-7, '-2.25e-07'],
      [12345.6, '12346'],
      [123456, '1.2346e+05'],
      [99999.5, '1e+05'],
      [9.99996, '10'],
    ];
    for (const [x, s] of cases) expect(formatG5(x), String(x)).toBe(s);
  });
});
