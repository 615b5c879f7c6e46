import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Embeddings, Wasm2VecError, type VectorFormat } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'w2v-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enc = new TextEncoder();

/** Loads bytes from a real file (so messages name it) and returns the BAD_FORMAT error. */
async function failure(bytes: Uint8Array | string, format?: VectorFormat, name = 'bad'): Promise<Wasm2VecError> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  try {
    await Embeddings.load(path, format ? { format } : {});
  } catch (e) {
    expect(e).toBeInstanceOf(Wasm2VecError);
    return e as Wasm2VecError;
  }
  throw new Error(`loading ${name} did not fail`);
}

function binary(header: string, entries: [string | Uint8Array, number[]][], newline = true): Uint8Array {
  const parts: Uint8Array[] = [enc.encode(header)];
  for (const [w, v] of entries) {
    parts.push(typeof w === 'string' ? enc.encode(w + ' ') : Uint8Array.from([...w, 0x20]));
    parts.push(new Uint8Array(Float32Array.from(v).buffer));
    if (newline) parts.push(Uint8Array.of(0x0a));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const good = binary('3 2\n', [
  ['a', [1, 2]],
  ['b', [3, 4]],
  ['c', [5, 6]],
]);

describe('word2vec binary', () => {
  it('truncated at any point: a clear error with the file and byte offset', async () => {
    for (const cut of [1, 3, 4, 6, 9, good.length - 2]) {
      // (the final '\n' is optional)
      const e = await failure(good.subarray(0, cut), 'word2vec-binary', `cut${cut}.bin`);
      expect(e.code).toBe('BAD_FORMAT');
      expect(e.message).toContain(join(dir, `cut${cut}.bin`));
      expect(e.message).toMatch(/byte \d+|header/);
    }
  });
  it('a header claiming more words or dims than the file holds is refused before allocating', async () => {
    const more = await failure(binary('4000000 300\n', [['a', Array(300).fill(1)]]), undefined, 'more.bin');
    expect(more.message).toMatch(/more\.bin: header: claims 4000000 words × 300 dims .* but only 1203 bytes follow/);
    const dims = await failure(
      binary('3 4\n', [
        ['a', [1, 2]],
        ['b', [3, 4]],
        ['c', [5, 6]],
      ]),
      'word2vec-binary',
      'dims.bin',
    );
    expect(dims.message).toMatch(/dims\.bin: header: claims 3 words × 4 dims/);
  });
  it('dims of 0 or 1e9 and non-numeric headers', async () => {
    expect((await failure('3 0\nx', 'word2vec-binary')).message).toMatch(/header: dimension 0 is invalid/);
    expect((await failure('3 1000000000\nx', 'word2vec-binary')).message).toMatch(/dimension 1000000000 is larger than the supported maximum/);
    expect((await failure('three 2\n', 'word2vec-binary')).message).toMatch(/line 1: expected a "words dims" header, got "three 2"/);
  });
  it('NaN and infinite values name the word and byte', async () => {
    const e = await failure(
      binary('2 2\n', [
        ['a', [1, 2]],
        ['b', [3, NaN]],
      ]),
      'word2vec-binary',
      'nan.bin',
    );
    expect(e.message).toMatch(/nan\.bin: byte 21: NaN in dimension 2 of word "b" \(entry 2\)/);
    expect((await failure(binary('1 2\n', [['a', [Infinity, 2]]]), 'word2vec-binary')).message).toMatch(/infinite value in dimension 1/);
  });
  it('duplicate words are an error naming both places', async () => {
    const e = await failure(
      binary('2 2\n', [
        ['a', [1, 2]],
        ['a', [3, 4]],
      ]),
      'word2vec-binary',
      'dup.bin',
    );
    expect(e.message).toMatch(/dup\.bin: byte 15: duplicate word "a" \(first at entry 1\)/);
  });
  it('a missing separator (not word2vec binary) stops within 64 KiB', async () => {
    const e = await failure(enc.encode('1 2\n' + 'x'.repeat(70000)), 'word2vec-binary');
    expect(e.message).toMatch(/byte 4: no space after 65536 bytes/);
  });
  it('invalid UTF-8 in a word is replaced and reported, not fatal', async () => {
    const path = join(dir, 'utf8.bin');
    writeFileSync(
      path,
      binary('2 2\n', [
        [Uint8Array.of(0x63, 0x61, 0x66, 0xc3), [1, 2]],
        ['ok', [3, 4]],
      ]),
    );
    const e = await Embeddings.load(path);
    expect([...e.words]).toEqual(['caf\uFFFD', 'ok']);
    expect(e.warnings).toHaveLength(1);
    expect(e.warnings[0]).toMatch(/utf8\.bin: byte 4: word 1 is not valid UTF-8/);
    // Two words that differ only in their invalid bytes: the second is skipped, with a warning.
    const twins = binary('3 1\n', [
      [Uint8Array.of(0x78, 0xff), [1]],
      [Uint8Array.of(0x78, 0xfe), [2]],
      ['y', [3]],
    ]);
    const t = await Embeddings.load(twins);
    expect([...t.words]).toEqual(['x\uFFFD', 'y']);
    expect([...t.vectors]).toEqual([1, 3]);
    expect(t.warnings[2]).toMatch(/buffer: byte 12: entry 2 skipped: after replacement it equals entry 1/);
    const seen: string[] = [];
    await Embeddings.load(path, { onWarning: (w) => seen.push(w) });
    expect(seen).toEqual(e.warnings);
  });
  it('a lying header on a stream of unknown length fails at the end without a huge allocation', async () => {
    const bytes = binary('10000000 100\n', [['a', Array(100).fill(0.5)]]);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes);
        c.close();
      },
    });
    const before = process.memoryUsage().arrayBuffers;
    await expect(Embeddings.load(stream)).rejects.toThrow(/stream: byte 416: unexpected end of data: the header declares 10000000 words × 100 dims/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20);
    const tooBig = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(binary('100000000 300\n', []));
        c.close();
      },
    });
    await expect(Embeddings.load(tooBig, { format: 'word2vec-binary' })).rejects.toMatchObject({ code: 'MEMORY_LIMIT' });
  });
});

describe('word2vec text, .vec and GloVe', () => {
  it('truncated (fewer rows than the header) names the file and line', async () => {
    const e = await failure('3 2\na 1 2\nb 3 4\n', undefined, 'short.txt');
    // 3 rows need at least 17 bytes after the header; the file has 16: caught before reading rows.
    expect(e.message).toMatch(/short\.txt: line 1: header claims 3 words × 2 dims/);
    const e2 = await failure('3 2\na 1 2\nb 3 4\n                                        \n', 'word2vec-text', 'short2.txt');
    expect(e2.message).toMatch(/short2\.txt: line 5: unexpected end of data: the header declares 3 words but the file has 2/);
  });
  it('a header claiming more words than fit is refused before allocating', async () => {
    expect((await failure('1000000000 300\na 1\n', 'word2vec-text')).message).toMatch(/header claims 1000000000 words × 300 dims/);
  });
  it('dims 0 or 1e9', async () => {
    expect((await failure('2 0\na\nb\n', 'word2vec-text')).message).toMatch(/line 1: dimension 0 is invalid/);
    expect((await failure('2 1000000000\na 1\n', 'word2vec-text')).message).toMatch(/line 1: dimension 1000000000 is larger/);
  });
  it('non-numeric, NaN, infinite, hexadecimal and out-of-range values', async () => {
    const cases: [string, RegExp][] = [
      ['2 2\na 1 2\nb 3 x4\n', /line 3: non-numeric value "x4" in dimension 2 of word "b"/],
      ['2 2\na 1 2\nb nan 4\n', /line 3: NaN value in dimension 1 of word "b"/],
      ['2 2\na 1 2\nb 3 -Infinity\n', /line 3: infinite value in dimension 2/],
      ['2 2\na 0x10 2\nb 3 4\n', /line 2: non-numeric value "0x10"/],
      ['2 2\na 1e39 2\nb 3 4\n', /line 2: value 1e39 in dimension 1 of word "a" is outside the float32 range/],
      ['2 2\na 1 2 3\nb 3 4\n', /line 2: word "a" has 3 values, expected 2/],
      ['2 2\na 1\nb 3 4 \n', /line 2: word "a" has 1 values, expected 2/],
    ];
    for (const [text, re] of cases) expect((await failure(text, 'word2vec-text', 'values.txt')).message).toMatch(re);
  });
  it('duplicate words name both lines', async () => {
    expect((await failure('3 1\na 1\nb 2\na 3\n', undefined, 'dup.txt')).message).toMatch(/dup\.txt: line 4: duplicate word "a" \(first at row 1\)/);
  });
  it('GloVe rows of differing length, and a GloVe file read with a header', async () => {
    expect((await failure('a 1 2\nb 1 2 3\n', 'glove')).message).toMatch(/line 2: word "b" has 3 values, expected 2/);
    expect((await failure('a 1 2\nb 1 2\n', 'word2vec-text')).message).toMatch(/line 1: expected a "words dims" header.*use format 'glove' or noHeader/);
  });
  it('an empty or unrecognisable file', async () => {
    expect((await failure('')).message).toMatch(/bad: byte 0: the file is empty/);
    expect((await failure('hello world\n')).message).toMatch(/cannot tell the format/);
  });
});

describe('a text vectors file is never read as word2vec binary, whatever it is called', () => {
  // The first five bodies after "king " are dim × 4 bytes with the '\n': exactly one binary entry, which
  // the loader used to take for float32s ("1 3\nking 0.1 abc 0.3\n" gave [1.5e-19, 1.9e-19, 8.6e-33]).
  it('a non-numeric value is BAD_FORMAT naming the file, line, dimension and word (even in x.bin)', async () => {
    const cases: [string, RegExp][] = [
      ['1 3\nking 0.1 abc 0.3\n', /line 2: non-numeric value "abc" in dimension 2 of word "king"/],
      ['1 3\nking 0.1 0.2x 0.3\n', /line 2: non-numeric value "0.2x" in dimension 2 of word "king"/],
      ['1 1\nking abc\n', /line 2: non-numeric value "abc" in dimension 1 of word "king"/],
      ['1 2\nking 1.5 .5e\n', /line 2: non-numeric value "\.5e" in dimension 2 of word "king"/],
      ['1 3\r\nking\t0.1\tab\t0.3\r\n', /line 2: non-numeric value "ab" in dimension 2 of word "king"/],
      ['1 3\nking 0.1 \u22120.2 0.3\n', /line 2: non-numeric value "\u22120.2" in dimension 2 of word "king"/],
      ['1 2\nking 0.1\u00a00.25\n', /line 2: non-numeric value "0.1\u00a00.25" in dimension 1 of word "king"/],
      ['3 3\na 0.1 0.2 0.3\nb 0.4 0.5 0.6\nc 0.7 0,8 0.9\n', /line 4: non-numeric value "0,8" in dimension 2 of word "c"/],
    ];
    for (const [text, re] of cases) {
      for (const name of ['vectors.txt', 'vectors.bin']) {
        const e = await failure(text, undefined, name);
        expect(e.code).toBe('BAD_FORMAT');
        expect(e.message).toContain(join(dir, name));
        expect(e.message).toMatch(re);
      }
    }
  });
  it('a row with a missing or extra value is reported by the text reader (was: binary, garbage and a warning)', async () => {
    expect((await failure('1 3\nking 0.1 0.2 0.3 0.4\n', undefined, 'extra.bin')).message).toMatch(/extra\.bin: line 2: word "king" has 4 values, expected 3/);
    expect((await failure('1 3\nking 0.1 0.2\n', undefined, 'short.bin')).message).toMatch(/short\.bin: line 2: word "king" has 2 values, expected 3/);
    // A row of the word alone, among 20 (a lone line of a word is not evidence of text: see format-detect).
    const rows = Array.from({ length: 20 }, (_, i) => (i === 7 ? 'w7' : `w${i} 0.${i} ${i}`));
    expect((await failure(`20 2\n${rows.join('\n')}\n`, undefined, 'none.bin')).message).toMatch(/none\.bin: line 9: word "w7" has 0 values, expected 2/);
  });
  it('a stray control byte in one of many rows is reported at its line', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `w${i} ${i}.5 -${i}.25`);
    rows[30] = 'w30 3\x01.5 -1';
    const e = await failure(`40 2\n${rows.join('\n')}\n`, undefined, 'stray.bin');
    expect(e.message).toMatch(/stray\.bin: line 32: non-numeric value "3\\u0001\.5" in dimension 1 of word "w30"/);
  });
  it('a bad value beyond the detection window, in a row longer than the window, names its dimension', async () => {
    const values = Array.from({ length: 20000 }, (_, k) => (k === 15000 ? '0.5q' : `${k % 10}.125`));
    const e = await failure(`1 20000\nlong ${values.join(' ')}\n`, undefined, 'long.bin');
    expect(e.message).toMatch(/long\.bin: line 2: non-numeric value "0\.5q" in dimension 15001 of word "long"/);
  });
});

describe('wasm2vec format', () => {
  const e = new Embeddings(['a', 'b', 'c'], Float32Array.from([1, 2, 3, 4, 5, 6]), 2);
  const bytes = e.toBytes({ format: 'wasm2vec' });
  it('truncated anywhere, or with bytes appended', async () => {
    for (const cut of [5, 31, 40, bytes.length - 1]) {
      const err = await failure(bytes.subarray(0, cut), 'wasm2vec', 'cut.w2v');
      expect(err.message).toMatch(/cut\.w2v: (byte \d+|header)/);
    }
    expect((await failure(Uint8Array.from([...bytes, 0]), 'wasm2vec')).message).toMatch(
      /header: declares 3 words × 2 dims \(68 bytes in all\) but the file has 69 bytes/,
    );
  });
  it('corruption is caught by the checksum', async () => {
    const bad = bytes.slice();
    bad[bytes.length - 8] ^= 1;
    expect((await failure(bad, undefined, 'flip.w2v')).message).toMatch(/flip\.w2v: byte 64: checksum mismatch/);
  });
  it('header fields: dims 0 / 1e9, rows that do not fit, unknown version', async () => {
    const patch = (offset: number, value: number) => {
      const b = bytes.slice();
      new DataView(b.buffer).setUint32(offset, value, true);
      return b;
    };
    expect((await failure(patch(24, 0), 'wasm2vec')).message).toMatch(/byte 24: dimension 0 is invalid/);
    expect((await failure(patch(24, 1e9), 'wasm2vec')).message).toMatch(/byte 24: dimension 1000000000 is larger/);
    expect((await failure(patch(20, 4e9), 'wasm2vec')).message).toMatch(/byte 28: words block of 6 bytes cannot hold 4000000000 words/);
    expect((await failure(patch(20, 4), 'wasm2vec')).message).toMatch(/words block of 6 bytes cannot hold 4 words/);
    expect((await failure(patch(8, 9), 'wasm2vec')).message).toMatch(/byte 8: format version 9 is not supported/);
  });
  it('a NaN weight is reported with its word', async () => {
    const n = new Embeddings(['a', 'b'], Float32Array.from([1, 2, 3, NaN]), 2);
    expect((await failure(n.toBytes({ format: 'wasm2vec' }), 'wasm2vec')).message).toMatch(/NaN in dimension 2 of word "b" \(row 2\)/);
  });
});

describe('bad arguments', () => {
  it('unknown options, formats and sources are INVALID_OPTION', async () => {
    await expect(Embeddings.load(new Uint8Array(1), { format: 'fasttext' as never })).rejects.toThrow(/option format: got "fasttext", expected one of/);
    await expect(Embeddings.load(new Uint8Array(1), { limt: 3 } as never)).rejects.toThrow(/unknown option "limt"/);
    await expect(Embeddings.load(42 as never)).rejects.toThrow(/source must be a file path, ArrayBuffer/);
    await expect(Embeddings.load(join(dir, 'missing.bin'))).rejects.toMatchObject({ code: 'IO', message: expect.stringMatching(/not found/) });
    await expect(Embeddings.load(new Uint8Array(8), { format: 'word2vec-binary', noHeader: true })).rejects.toThrow(/noHeader: only text formats/);
  });
});
