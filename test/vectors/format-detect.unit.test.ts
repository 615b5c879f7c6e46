import { describe, expect, it } from 'vitest';
import type { Wasm2VecError } from '../../src/errors.js';
import { DETECT_BYTES, detectFormat } from '../../src/vectors/format-detect.js';
import { MAGIC } from '../../src/vectors/formats/wasm2vec-format.js';

const enc = new TextEncoder();
const bytes = (...parts: (string | number[] | Uint8Array)[]): Uint8Array => {
  const chunks = parts.map((p) => (typeof p === 'string' ? enc.encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
};
const detect = (b: Uint8Array | string, name = 'f') => detectFormat(typeof b === 'string' ? enc.encode(b) : b, name);
/** word2vec.c's entry: word, space, float32 LE, '\n'. */
const entry = (word: string, values: number[]) => bytes(`${word} `, new Uint8Array(Float32Array.from(values).buffer), '\n');
const rows = (n: number, bad: Set<number>, badRow = (i: number) => bytes(`w${i} 0.5 \x00.5\n`)) =>
  bytes(`${n} 2\n`, ...Array.from({ length: n }, (_, i) => (bad.has(i) ? badRow(i) : bytes(`w${i} 0.${i} -${i}.5\n`))));

describe('detectFormat: binary or text is decided by the bytes after the header', () => {
  it('the issue cases, whose bodies are exactly dim × 4 bytes, are text whatever the name', () => {
    for (const name of ['v.bin', 'v.txt', 'v']) {
      expect(detect('1 3\nking 0.1 abc 0.3\n', name)).toBe('word2vec-text');
      expect(detect('1 3\nking 0.1 0.2x 0.3\n', name)).toBe('word2vec-text');
      expect(detect('1 1\nking abc\n', name)).toBe('word2vec-text');
    }
    expect(detect('1 3\nking 0.1 abc 0.3\n', 'v.vec')).toBe('vec');
    expect(detect('1 3\nking 0.1 abc 0.3\n', 'V.VEC.GZ')).toBe('vec');
    expect(detect('1 3\nking 0.1 abc 0.3\n', 'v.vec.bin')).toBe('word2vec-text');
  });
  it('word2vec binary entries are binary, with or without newlines, named .txt too', () => {
    const two = bytes('2 2\n', entry('king', [0.25, -0.5]), entry('queen', [1, 2]));
    expect(detect(two, 'x.txt')).toBe('word2vec-binary');
    const gensim = bytes('2 2\n', entry('king', [0.25, -0.5]).subarray(0, 13), entry('queen', [1, 2]).subarray(0, 14));
    expect(detect(gensim)).toBe('word2vec-binary');
    expect(detect(bytes('1 1\n', entry('a', [0])))).toBe('word2vec-binary'); // 0.0 is four NUL bytes
  });
  it('a 1-dim binary entry whose 4 bytes happen to be printable reads as text (the documented limit)', () => {
    const printable = new Float32Array(new Uint8Array(enc.encode('AbC@')).buffer)[0]; // 3.0, positive, even exponent
    expect(detect(bytes('1 1\n', entry('a', [printable])))).toBe('word2vec-text');
    // With a second entry that is not printable the body is binary again (fewer than 16 lines: no tolerance).
    expect(detect(bytes('2 1\n', entry('a', [printable]), entry('b', [0.5])))).toBe('word2vec-binary');
  });
  it('one line in 16 may be non-text; fewer than 16 lines allow none', () => {
    expect(detect(rows(16, new Set([5])))).toBe('word2vec-text');
    expect(detect(rows(15, new Set([5])))).toBe('word2vec-binary');
    expect(detect(rows(32, new Set([0, 31])))).toBe('word2vec-text');
    expect(detect(rows(32, new Set([0, 1, 31])))).toBe('word2vec-binary');
    expect(detect(rows(1, new Set()))).toBe('word2vec-text');
    expect(detect(rows(1, new Set([0])))).toBe('word2vec-binary');
  });
  it('blank lines do not count; a word alone is not a text line', () => {
    expect(detect('2 2\n\n  \r\n\t\na 1 2\n\nb 3 4\n')).toBe('word2vec-text');
    expect(detect('0 3\n\n\n')).toBe('word2vec-text');
    expect(detect('1 2\nking\n')).toBe('word2vec-binary');
    expect(detect('1 2\nking   \n')).toBe('word2vec-binary');
  });
  it('header only (with or without its newline) is text', () => {
    expect(detect('0 300')).toBe('word2vec-text');
    expect(detect('0 300\n')).toBe('word2vec-text');
    expect(detect('\uFEFF3 2\na 1 2\nb 3 4\nc 5 6\n')).toBe('word2vec-text');
  });
  it('CRLF, tabs, fastText trailing spaces and a window-cut last line are text', () => {
    expect(detect('1 3\r\nking\t0.1\t0.2\t.3\r\n')).toBe('word2vec-text');
    expect(detect('2 2\nking 0.5 1 \nqueen 1 2 \n')).toBe('word2vec-text');
    const long = '1 30000\nlong' + ' 0.123456'.repeat(30000) + '\n';
    expect(long.length).toBeGreaterThan(DETECT_BYTES);
    expect(detect(enc.encode(long).subarray(0, DETECT_BYTES))).toBe('word2vec-text');
  });
  it('the word may hold any bytes (invalid UTF-8, controls): only what follows it is judged', () => {
    expect(detect(bytes('2 1\n', [0x63, 0x61, 0x66, 0xe9], ' 0.5\n', [0x01, 0x7f, 0xff], ' 1\n'))).toBe('word2vec-text');
  });
  it('values: valid UTF-8 from U+00A0 is text (the reader names it); C1, overlong, surrogate, beyond U+10FFFF, stray continuation are not', () => {
    const value = (...b: number[]) => detect(bytes('1 1\nw ', b, '\n'));
    expect(value(0xe2, 0x88, 0x92, 0x31)).toBe('word2vec-text'); // "−1", U+2212
    expect(value(0x31, 0xc2, 0xa0, 0x32)).toBe('word2vec-text'); // no-break space, the lowest allowed
    expect(value(0xf0, 0x9f, 0x98, 0x80)).toBe('word2vec-text'); // U+1F600
    expect(value(0xf4, 0x8f, 0xbf, 0xbf)).toBe('word2vec-text'); // U+10FFFF
    expect(value(0xc2, 0x9f, 0x31, 0x32)).toBe('word2vec-binary'); // U+009F, a C1 control
    expect(value(0xc1, 0xbf, 0x31, 0x32)).toBe('word2vec-binary'); // overlong
    expect(value(0xe0, 0x9f, 0xbf, 0x31)).toBe('word2vec-binary'); // overlong 3-byte (U+07FF)
    expect(value(0xf0, 0x8f, 0xbf, 0xbf)).toBe('word2vec-binary'); // overlong 4-byte (U+FFFF)
    expect(value(0xed, 0xa0, 0x80, 0x31)).toBe('word2vec-binary'); // U+D800, a surrogate
    expect(value(0xf4, 0x90, 0x80, 0x80)).toBe('word2vec-binary'); // U+110000
    expect(value(0x80, 0x31, 0x32, 0x33)).toBe('word2vec-binary'); // continuation without a lead
    expect(value(0xe2, 0x88, 0x31, 0x32)).toBe('word2vec-binary'); // lead cut by an ASCII byte
    expect(value(0x31, 0x00, 0x32, 0x33)).toBe('word2vec-binary');
    expect(value(0x31, 0x1b, 0x32, 0x33)).toBe('word2vec-binary');
    expect(value(0x31, 0x0b, 0x32, 0x33)).toBe('word2vec-binary');
  });
  it('a UTF-8 character cut by the end of the window is text; cut inside a line it is not', () => {
    expect(detect(bytes('1 2\nw 1 ', [0xe2, 0x88]))).toBe('word2vec-text');
    expect(detect(bytes('1 2\nw 1 ', [0xe2, 0x88], '\n'))).toBe('word2vec-binary');
  });
  it('no header: GloVe when the first line is a word and numbers; otherwise an error naming the file and line 1', () => {
    expect(detect('the 0.1 -2e-3 .5\n')).toBe('glove');
    expect(detect('the 1\n')).toBe('glove');
    const fail = (s: string) => {
      try {
        detect(s, 'name.txt');
      } catch (e) {
        return e as Wasm2VecError;
      }
      throw new Error('no error');
    };
    expect(fail('the 0.1 abc\n')).toMatchObject({
      code: 'BAD_FORMAT',
      message: expect.stringMatching(/^name\.txt: line 1: cannot tell the format.*"the 0\.1 abc"/),
    });
    expect(fail('the\n').message).toMatch(/cannot tell the format/);
    expect(fail('').message).toBe('name.txt: byte 0: the file is empty');
    expect(fail('\uFEFF').message).toBe('name.txt: byte 0: the file is empty');
    // A "header" that does not end within the window is not one: a long GloVe row whose word is "1".
    expect(detect('1 ' + '2 '.repeat(DETECT_BYTES / 2))).toBe('glove');
    expect(detect('1 2 3\n')).toBe('glove');
  });
  it('the wasm2vec magic wins over everything else; a partial magic does not', () => {
    expect(detect(bytes(MAGIC, '1 3\nking 0.1 0.2 0.3\n'), 'x.vec')).toBe('wasm2vec');
    expect(() => detect(bytes(MAGIC.slice(0, 7)))).toThrow(/cannot tell the format/);
  });
});
