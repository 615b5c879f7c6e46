import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { Embeddings, type VectorFormat } from '../../src/index.js';
import { float16Table, toFloat16Bits } from '../../src/vectors/formats/float16.js';
import { formatFloat32 } from '../../src/vectors/formats/text-vectors.js';
import { loadVectors } from '../../src/vectors/load-vectors.js';
import { GENSIM_WRITTEN, bitsEqual, randomMatrix, readJson } from './vector-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'w2v-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Words that stress encodings, values that stress float formatting (extremes, -0, subnormals). */
function awkward(): Embeddings {
  const words = ['the', 'naïve', '北京', 'emoji😀', "it's", 'x'.repeat(300), 'Ünïcödé-wörd', 'zero', 'a/b', '1999'];
  const dim = 13;
  for (let i = 0; words.length < 150; i++) words.push(`w${i}`);
  const v = randomMatrix(words.length, dim, 7);
  const special = [0, -0, 1e-45, -1e-40, 3.4028234663852886e38, -3.4e38, 1e-30, 0.1, 1 / 3, 123456.789, 5e-324 * 0, 1.17549435e-38, 2 ** -126];
  special.forEach((x, k) => {
    v[k] = x;
  });
  v.fill(0, 7 * dim, 8 * dim); // an all-zero row ("zero")
  const counts = Float64Array.from(words, (_, i) => 1000 - i);
  return new Embeddings(words, v, dim, { counts });
}

function expectSame(a: Embeddings, b: Embeddings, exact = true): void {
  expect(b.size).toBe(a.size);
  expect(b.dim).toBe(a.dim);
  expect([...b.words]).toEqual([...a.words]);
  if (exact) expect(bitsEqual(a.vectors, b.vectors)).toBe(true);
}

describe('round trips: write -> read gives identical words and float32 bits', () => {
  const e = awkward();
  const formats: VectorFormat[] = ['word2vec-text', 'word2vec-binary', 'glove', 'vec', 'wasm2vec'];
  for (const format of formats) {
    it(`${format} via a file path (format detected on load)`, async () => {
      const path = join(dir, `awkward.${format}`);
      await e.save(path, { format });
      const back = await Embeddings.load(path);
      expectSame(e, back);
      expect(back.warnings).toEqual([]);
      if (format === 'wasm2vec') expect([...back.counts!]).toEqual([...e.counts!]);
    });
    it(`${format} via bytes, ArrayBuffer, Blob, Response and a ReadableStream`, async () => {
      const bytes = e.toBytes({ format });
      const sources = [
        bytes,
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        new Blob([bytes as BlobPart]),
        new Response(bytes as BodyInit),
        new ReadableStream<Uint8Array>({
          start(c) {
            for (let o = 0; o < bytes.length; o += 777) c.enqueue(bytes.slice(o, o + 777));
            c.close();
          },
        }),
      ];
      for (const source of sources) expectSame(e, await Embeddings.load(source as never, { format }));
    });
  }

  it('gzip is undone on load (path ending .gz is gzipped on save)', async () => {
    const path = join(dir, 'awkward.bin.gz');
    await e.save(path);
    expect(readFileSync(path).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expectSame(e, await Embeddings.load(path));
    expectSame(e, await Embeddings.load(gzipSync(e.toBytes({ format: 'word2vec-text' }))));
  });

  it('save(Blob) returns a Blob that loads back; the format follows the path extension otherwise', async () => {
    const blob = await e.save(Blob, { format: 'wasm2vec' });
    expect(blob).toBeInstanceOf(Blob);
    expectSame(e, await Embeddings.load(blob));
    await e.save(join(dir, 'by-ext.vec'));
    expect(readFileSync(join(dir, 'by-ext.vec'), 'utf8').split('\n')[1].endsWith(' ')).toBe(true); // fastText's trailing space
  });

  it('wasm2vec float16 halves the weights and is within half-precision rounding', async () => {
    const small = new Embeddings(['a', 'b', 'c'], Float32Array.from([0.1, -2.5, 65504, 1e-8, 0, -0, 3.14159, 1 / 3, -1e-5]), 3);
    const f16 = await Embeddings.load(small.toBytes({ format: 'wasm2vec', dtype: 'float16' }));
    const f32 = small.toBytes({ format: 'wasm2vec' });
    expect(small.toBytes({ format: 'wasm2vec', dtype: 'float16' }).length).toBeLessThan(f32.length);
    for (let i = 0; i < 9; i++) {
      const x = small.vectors[i],
        y = f16.vectors[i];
      expect(Math.abs(x - y)).toBeLessThanOrEqual(Math.max(Math.abs(x) * 2 ** -11, 2 ** -25));
    }
    expect(f16.vectors[2]).toBe(65504);
    expect(() => new Embeddings(['a'], Float32Array.from([70000]), 1).toBytes({ format: 'wasm2vec', dtype: 'float16' })).toThrow(/float16/);
  });

  it('float16 conversion is exact both ways for every half value (round to nearest even)', () => {
    const t = float16Table();
    for (let h = 0; h < 65536; h++) {
      if (Number.isNaN(t[h])) continue;
      expect(toFloat16Bits(t[h])).toBe(h);
    }
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie -> even
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(toFloat16Bits(2 ** -25)).toBe(0); // tie below the smallest subnormal -> 0
    expect(toFloat16Bits(1e6)).toBe(0x7c00);
  });

  it('text floats are the shortest decimal that reads back to the same float32', () => {
    const v = randomMatrix(2000, 1, 3);
    for (const x of v) {
      const s = formatFloat32(x);
      expect(Math.fround(Number(s))).toBe(x);
      expect(s.replace(/^-|\.|e.*$/g, '').replace(/^0+/, '').length).toBeLessThanOrEqual(9);
    }
    expect(formatFloat32(0.1)).toBe('0.1');
    expect(formatFloat32(-0)).toBe('-0');
  });
});

describe('files written by gensim load', () => {
  const expected = readJson<{ words: string[]; dim: number; bits: number[][] }>(join(GENSIM_WRITTEN, 'expected.json'));
  const check = (e: Embeddings) => {
    expect([...e.words]).toEqual(expected.words);
    expect(e.dim).toBe(expected.dim);
    expected.bits.forEach((row, r) => expect([...new Uint32Array(e.vector(e.words[r]).buffer)]).toEqual(row));
  };
  it('save_word2vec_format binary', async () => {
    const e = await Embeddings.load(join(GENSIM_WRITTEN, 'gensim-small.bin'));
    check(e);
    expect(e.warnings).toEqual([]);
  });
  it('save_word2vec_format text (repr of float32)', async () => check(await Embeddings.load(join(GENSIM_WRITTEN, 'gensim-small.txt'))));
  it('save_word2vec_format text with write_header=False (noHeader, or detected as GloVe)', async () => {
    check(await Embeddings.load(join(GENSIM_WRITTEN, 'gensim-small-noheader.txt'), { format: 'word2vec-text', noHeader: true }));
    check(await Embeddings.load(join(GENSIM_WRITTEN, 'gensim-small-noheader.txt')));
  });
  it('and what we write, gensim reads back identically', async () => {
    // The reverse direction was checked when the fixtures were made: scripts/gensim-golden.py loads the
    // word2vec binary that `wasm2vec train` wrote (test/fixtures/vectors/fairytales-d24.bin).
    const e = await Embeddings.load('test/fixtures/vectors/fairytales-d24.bin');
    const golden = readJson<{ size: number; dim: number }>('test/fixtures/vectors/fairytales-d24.gensim.json');
    expect([e.size, e.dim]).toEqual([golden.size, golden.dim]);
  });
});

describe('word2vec binary is still detected as binary, from its bytes alone', () => {
  it("the fairytales fixture (word2vec.c layout), named .bin or .txt, and gensim's (no newlines)", async () => {
    const bytes = readFileSync('test/fixtures/vectors/fairytales-d24.bin');
    const asBin = await loadVectors(bytes);
    expect(asBin.format).toBe('word2vec-binary');
    expect([asBin.words.length, asBin.dim]).toEqual([3000, 24]);
    const path = join(dir, 'really-binary.txt');
    writeFileSync(path, bytes);
    const asTxt = await loadVectors(path);
    expect(asTxt.format).toBe('word2vec-binary');
    expect(bitsEqual(asTxt.vectors, asBin.vectors)).toBe(true);
    expect((await loadVectors(join(GENSIM_WRITTEN, 'gensim-small.bin'))).format).toBe('word2vec-binary');
  });
  it('cut to 1-4 dims and a few rows, where float bytes are most often printable by chance', async () => {
    const full = await loadVectors(readFileSync('test/fixtures/vectors/fairytales-d24.bin'));
    for (const dim of [1, 2, 3, 4]) {
      for (const rows of [3, 16, 100]) {
        const v = new Float32Array(rows * dim);
        for (let r = 0; r < rows; r++) v.set(full.vectors.subarray(r * 24, r * 24 + dim), r * dim);
        const cut = new Embeddings(full.words.slice(0, rows), v, dim);
        const back = await loadVectors(cut.toBytes({ format: 'word2vec-binary' }));
        expect(back.format, `${rows} rows × ${dim}`).toBe('word2vec-binary');
        expect(bitsEqual(back.vectors, v)).toBe(true);
      }
    }
  });
  it('an explicit format still wins: a text body read as word2vec binary is its bytes as float32', async () => {
    const text = new TextEncoder().encode('1 3\nking 0.1 abc 0.3\n');
    const e = await Embeddings.load(text, { format: 'word2vec-binary' });
    expect([...e.words]).toEqual(['king']);
    expect(bitsEqual(e.vector('king'), new Float32Array(text.slice(9, 21).buffer))).toBe(true);
  });
});

describe('reader options and layouts', () => {
  const text = '4 3\nalpha 1 2 3\nbeta 4 5 6\ngamma 7 8 9\ndelta 10 11 12\n';
  it('limit reads the first N words of every format', async () => {
    const e = await Embeddings.load(new TextEncoder().encode(text));
    for (const format of ['word2vec-text', 'word2vec-binary', 'glove', 'vec', 'wasm2vec'] as const) {
      const two = await Embeddings.load(e.toBytes({ format }), { limit: 2 });
      expect([...two.words]).toEqual(['alpha', 'beta']);
      expect([...two.vectors]).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await Embeddings.load(e.toBytes({ format }), { limit: 0 })).size).toBe(0);
      expect((await Embeddings.load(e.toBytes({ format }), { limit: 99 })).size).toBe(4);
    }
  });
  it('fastText .vec (trailing spaces), CRLF, tabs, a BOM and blank lines are read', async () => {
    const vec = '\uFEFF2 3\r\n</s> 0.1 0.2 0.3 \r\n\r\nword\t-1 2e-3 +4 \r\n';
    const e = await Embeddings.load(new TextEncoder().encode(vec));
    expect([...e.words]).toEqual(['</s>', 'word']);
    expect([...e.vectors]).toEqual([0.1, 0.2, 0.3, -1, 0.002, 4].map(Math.fround));
  });
  it('GloVe (no header) is detected, and its row count needs no header', async () => {
    const glove = 'the 0.418 0.24968 -0.41242\n, 0.013441 0.23682 -0.16899\nof 0.70853 0.57088 -0.4716\n';
    const e = await Embeddings.load(new Blob([glove]));
    expect([...e.words]).toEqual(['the', ',', 'of']);
    expect(e.dim).toBe(3);
  });
  it('words that cannot be stored in a text format are refused on save, kept by wasm2vec', async () => {
    const e = new Embeddings(['new york', 'ok'], Float32Array.from([1, 2, 3, 4]), 2);
    expect(() => e.toBytes({ format: 'word2vec-text' })).toThrow(/"new york".*row 1.*wasm2vec/);
    expect([...(await Embeddings.load(e.toBytes({ format: 'wasm2vec' }))).words]).toEqual(['new york', 'ok']);
  });
  it('a failed save leaves no file behind', async () => {
    const e = new Embeddings(['a b'], Float32Array.from([1]), 1);
    const path = join(dir, 'never.txt');
    await expect(e.save(path, { format: 'glove' })).rejects.toThrow(/"a b"/);
    expect(() => readFileSync(path)).toThrow();
  });
  it('a huge word2vec text file with a small limit stops reading early', async () => {
    const path = join(dir, 'long.txt');
    const rows = 20000;
    let body = `${rows} 4\n`;
    for (let i = 0; i < rows; i++) body += `w${i} 1 2 3 4\n`;
    writeFileSync(path, body + 'garbage that would fail\n');
    const e = await Embeddings.load(path, { limit: 3 });
    expect([...e.words]).toEqual(['w0', 'w1', 'w2']);
    const all = await Embeddings.load(path);
    expect(all.size).toBe(rows);
    expect(all.warnings.join()).toMatch(/1 lines after the 20000 words/);
  });
});
