import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync, gunzipSync } from 'node:zlib';
import { corpusPieces, isReusableCorpus, type CorpusInput, type CorpusPiece } from '../../src/text/corpus.js';
import { createTokenizer, whitespaceTokenizer } from '../../src/text/tokenizer.js';
import { demoCorpusPath, repoData } from '../helpers/data.js';
import { rejection, syncError } from '../helpers/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'wasm2vec-corpus-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(corpus: CorpusInput, options?: Parameters<typeof corpusPieces>[1]): Promise<CorpusPiece[]> {
  const out: CorpusPiece[] = [];
  for await (const piece of corpusPieces(corpus, options)) out.push(piece);
  return out;
}

/** Splits bytes into chunks of varying small sizes, so multi-byte characters straddle chunk ends. */
function oddChunks(bytes: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = 1 + ((k * 7) % 13);
    chunks.push(bytes.subarray(i, i + n));
    i += n;
  }
  return chunks;
}

function webStream<T>(chunks: T[]): ReadableStream<T> {
  let i = 0;
  return new ReadableStream<T>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]);
      else controller.close();
    },
  });
}

// CRLF, blank lines, multi-byte text, a long line and no final newline.
const SAMPLE =
  'The first line.\r\nSecond line, with “quotes” and café.\n\n\n我爱北京天安门。他说：“你好！”\r\n' + 'a long line '.repeat(30) + '\nlast line without newline';

describe('corpusPieces: every source gives the same pieces', () => {
  it('string, array, generators, Node and web streams, plain and .gz files', async () => {
    const bytes = new TextEncoder().encode(SAMPLE);
    const plain = join(dir, 'sample.txt');
    const gz = join(dir, 'sample.txt.gz');
    writeFileSync(plain, bytes);
    writeFileSync(gz, gzipSync(bytes));
    const lines = SAMPLE.split('\n');
    const options = { maxPieceChars: 64 };

    const expected = await collect(SAMPLE, options);
    // Blank lines give no piece; the 360-char line is cut into pieces of at most 64 chars.
    expect(expected.filter((p) => p.lineEnd).length).toBe(5);
    expect(expected.every((p) => p.text.length <= 64)).toBe(true);
    expect(expected[0]).toEqual({ text: 'The first line.', lineEnd: true });
    expect(expected.at(-1)).toEqual({ text: 'last line without newline', lineEnd: true });

    const sources: [string, () => CorpusInput][] = [
      ['array', () => lines],
      [
        'generator',
        () =>
          (function* () {
            yield* lines;
          })(),
      ],
      [
        'async generator',
        () =>
          (async function* () {
            for (const l of lines) yield l;
          })(),
      ],
      ['Node Readable of bytes', () => Readable.from(oddChunks(bytes).map((c) => Buffer.from(c)))],
      ['Node Readable of strings', () => Readable.from(SAMPLE.match(/[\s\S]{1,5}/g)!, { objectMode: true })],
      ['web ReadableStream of bytes', () => webStream(oddChunks(bytes))],
      ['web ReadableStream of strings', () => webStream(SAMPLE.match(/[\s\S]{1,9}/g)!)],
      ['{ path }', () => ({ path: plain })],
      ['{ path } .gz', () => ({ path: gz })],
    ];
    for (const [name, make] of sources) {
      expect({ name, pieces: await collect(make(), options) }).toEqual({ name, pieces: expected });
    }
  });

  it('splits an element of an iterable that contains newlines; each element ends a line', async () => {
    expect(await collect(['one\ntwo', 'three', '', 'four\r\n'])).toEqual([
      { text: 'one', lineEnd: true },
      { text: 'two', lineEnd: true },
      { text: 'three', lineEnd: true },
      { text: 'four', lineEnd: true },
    ]);
    // A stream's chunks are not documents: "thr" + "ee" is one line.
    expect(await collect(Readable.from(['one\ntwo ', 'thr', 'ee'], { objectMode: true }))).toEqual([
      { text: 'one', lineEnd: true },
      { text: 'two three', lineEnd: true },
    ]);
  });

  it('reads the real fairytales file and the gzipped classic-novels slice exactly like their text', async () => {
    expect(await collect({ path: demoCorpusPath })).toEqual(await collect(readFileSync(demoCorpusPath, 'utf8')));
    // The gzipped MSRA news file (not redistributable) is read the same way in corpus.data.test.ts.
    const novels = repoData('zh-classic-novels-head/novels.raw.txt.gz');
    const text = gunzipSync(readFileSync(novels)).toString('utf8');
    const pieces = corpusPieces({ path: novels });
    const got = [];
    for await (const p of pieces) got.push(p);
    expect(got.length).toBe(3000); // MANIFEST: 3,000 lines
    expect(got).toEqual(await collect(text));
    expect(pieces.totalBytes).toBe(797_979);
    expect(pieces.bytesRead).toBe(797_979);
  });
});

describe('corpusPieces: bounded memory', () => {
  it('cuts a long single line into pieces of at most maxPieceChars at whitespace', async () => {
    const line = readFileSync(repoData('demo-fairytales-text8/corpus.text8.txt'), 'utf8').split('\n')[0];
    expect(line.length).toBeGreaterThan(300_000);
    const pieces = await collect(line, { maxPieceChars: 4096 });
    expect(pieces.length).toBeGreaterThan(line.length / 4096);
    expect(pieces.every((p) => p.text.length <= 4096)).toBe(true);
    expect(pieces.map((p) => p.lineEnd)).toEqual(pieces.map((_, i) => i === pieces.length - 1));
    expect(pieces.map((p) => p.text).join('')).toBe(line);
    // Every cut is at a space, so no word is split.
    for (let i = 1; i < pieces.length; i++) expect(pieces[i].text[0]).toBe(' ');
    expect(pieces.flatMap((p) => whitespaceTokenizer(p.text))).toEqual(whitespaceTokenizer(line));
  });

  it('cuts Chinese without spaces at punctuation, keeping the tokens', async () => {
    const line = gunzipSync(readFileSync(repoData('zh-classic-novels-head/novels.raw.txt.gz')))
      .toString('utf8')
      .split('\n')
      .slice(0, 400)
      .join('');
    const pieces = await collect(line, { maxPieceChars: 1000 });
    expect(pieces.every((p) => p.text.length <= 1000)).toBe(true);
    expect(pieces.map((p) => p.text).join('')).toBe(line);
    const tok = createTokenizer();
    expect(pieces.flatMap((p) => tok(p.text))).toEqual(tok(line));
  });

  it('streams: yields pieces long before a huge one-line stream ends', async () => {
    let pulled = 0;
    const chunk = Buffer.from('lorem ipsum dolor sit amet '.repeat(2500)); // ~66 KB, no newline
    const total = 300; // ~20 MB in all
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < total; i++) {
          pulled++;
          yield chunk;
        }
      })(),
    );
    let pieces = 0;
    let pulledAtFirst = -1;
    let longest = 0;
    let chars = 0;
    for await (const p of corpusPieces(source, { maxPieceChars: 1 << 16 })) {
      if (pulledAtFirst < 0) pulledAtFirst = pulled;
      pieces++;
      chars += p.text.length;
      longest = Math.max(longest, p.text.length);
    }
    expect(pulledAtFirst).toBeLessThan(20);
    expect(longest).toBeLessThanOrEqual(1 << 16);
    expect(chars).toBe(chunk.length * total);
    expect(pieces).toBeGreaterThan(250);
  });

  it('hard-cuts a line with no whitespace or punctuation, never inside a surrogate pair', async () => {
    const line = 'x\u{20000}'.repeat(100); // 300 UTF-16 units, astral Han
    const pieces = await collect(line, { maxPieceChars: 10 });
    expect(pieces.every((p) => p.text.length <= 10 && !/[\ud800-\udbff]$|^[\udc00-\udfff]/.test(p.text))).toBe(true);
    expect(pieces.map((p) => p.text).join('')).toBe(line);
  });
});

describe('corpusPieces: decoding', () => {
  it('decodes UTF-8 split across chunks, strips a BOM and turns invalid bytes into U+FFFD', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('héllo 我\n'), Buffer.from([0xff, 0xfe, 0x41, 0x0a, 0xe4, 0xb8])]);
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    expect(await collect(Readable.from(chunks))).toEqual([
      { text: 'héllo 我', lineEnd: true },
      { text: '\ufffd\ufffdA', lineEnd: true },
      { text: '\ufffd', lineEnd: true },
    ]);
  });
});

describe('corpusPieces: errors', () => {
  it('rejects wrong corpus types, naming what it got', () => {
    const expectedTypes = /corpus: expected text, an iterable of strings, a stream or \{ path \}, got/;
    for (const bad of [42, null, undefined, true, { text: 'hi' }]) {
      const err = syncError(() => corpusPieces(bad as unknown as CorpusInput));
      expect(err.code).toBe('INVALID_OPTION');
      expect(err.message).toMatch(expectedTypes);
    }
    expect(syncError(() => corpusPieces(new Uint8Array(3) as unknown as CorpusInput)).message).toMatch(/raw bytes.*TextDecoder/);
    expect(syncError(() => corpusPieces({ path: 7 } as unknown as CorpusInput)).message).toMatch(/corpus\.path.*got 7/);
    expect(syncError(() => corpusPieces('x', { maxPieceChars: 0 })).message).toMatch(/maxPieceChars/);
    expect(syncError(() => corpusPieces('x', { signal: 'stop' as unknown as AbortSignal })).message).toMatch(/signal/);
  });

  it('names a missing file and a directory', async () => {
    const missing = join(dir, 'nope.txt');
    const err = await rejection(collect({ path: missing }));
    expect(err.code).toBe('IO');
    expect(err.message).toContain(missing);
    expect((await rejection(collect({ path: dir }))).message).toMatch(/is a directory/);
  });

  it('reports a corrupt or truncated .gz file as BAD_FORMAT', async () => {
    const notGz = join(dir, 'plain.txt.gz');
    writeFileSync(notGz, 'this is not gzip\n');
    const err = await rejection(collect({ path: notGz }));
    expect(err.code).toBe('BAD_FORMAT');
    expect(err.message).toContain(notGz);
    const truncated = join(dir, 'truncated.txt.gz');
    const full = gzipSync(Buffer.from('word '.repeat(10_000)));
    writeFileSync(truncated, full.subarray(0, full.length >> 1));
    expect((await rejection(collect({ path: truncated }))).code).toBe('BAD_FORMAT');
  });

  it('names the index of a non-string element', async () => {
    const err = await rejection(collect(['fine', 'also fine', 17 as unknown as string]));
    expect(err.message).toMatch(/element 2 is 17/);
    const asyncErr = await rejection(
      collect(
        (async function* () {
          yield 'ok';
          yield { a: 1 } as unknown as string;
        })(),
      ),
    );
    expect(asyncErr.message).toMatch(/element 1 is \[object Object\]/);
    const chunkErr = await rejection(collect(Readable.from([Buffer.from('ok'), 5], { objectMode: true })));
    expect(chunkErr.code).toBe('BAD_FORMAT');
    expect(chunkErr.message).toMatch(/chunk 1 is 5/);
  });

  it('wraps a failing source as IO with the cause', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('disk on fire'));
      },
    });
    const err = await rejection(collect(failing));
    expect(err.code).toBe('IO');
    expect(err.message).toMatch(/disk on fire/);
  });

  it('aborts: before starting, and promptly while a stream hangs', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await rejection(collect('a\nb', { signal: controller.signal }))).code).toBe('ABORTED');

    const hanging = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('first line\nsecond'));
      },
      // never closes and never enqueues again
    });
    const live = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const p of corpusPieces(hanging, { signal: live.signal })) {
        seen.push(p.text);
        setTimeout(() => live.abort(), 20);
      }
    })();
    const err = await rejection(done);
    expect(err.code).toBe('ABORTED');
    expect(seen).toEqual(['first line']);

    const hangingGen = (async function* () {
      yield 'one';
      await new Promise(() => {});
    })();
    const genAbort = new AbortController();
    setTimeout(() => genAbort.abort(), 20);
    expect((await rejection(collect(hangingGen, { signal: genAbort.signal }))).code).toBe('ABORTED');
  });
});

describe('isReusableCorpus', () => {
  it('is true for text, arrays, collections and { path }, false for one-shot sources', () => {
    expect(isReusableCorpus('text')).toBe(true);
    expect(isReusableCorpus(['a', 'b'])).toBe(true);
    expect(isReusableCorpus(new Set(['a']))).toBe(true);
    expect(isReusableCorpus({ path: '/x.txt' })).toBe(true);
    expect(
      isReusableCorpus(
        (function* () {
          yield 'a';
        })(),
      ),
    ).toBe(false);
    expect(
      isReusableCorpus(
        (async function* () {
          yield 'a';
        })(),
      ),
    ).toBe(false);
    expect(isReusableCorpus(Readable.from(['a']))).toBe(false);
    expect(isReusableCorpus(webStream(['a']))).toBe(false);
    expect(isReusableCorpus(42)).toBe(false);
  });

  it('a reusable corpus really gives the same pieces twice', async () => {
    const pieces = corpusPieces(['x y', 'z']);
    const first = [];
    for await (const p of pieces) first.push(p);
    const second = [];
    for await (const p of pieces) second.push(p);
    expect(second).toEqual(first);
    expect(first.length).toBe(2);
  });
});
