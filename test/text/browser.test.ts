import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { chromiumAvailable, openPage, type ServedPage } from '../browser/harness.js';
import { demoCorpusPath, repoRoot } from '../helpers/data.js';
import { createTokenizer } from '../../src/text/tokenizer.js';
import { corpusPieces } from '../../src/text/corpus.js';
import { scanCorpus } from '../../src/text/id-stream.js';
import { Vocabulary } from '../../src/text/vocabulary.js';

/**
 * The text modules in Chromium: bundled for the browser with NO externals (so a literal `node:*`
 * import would fail the build), they must load, agree with Node, and fail clearly where Node is needed.
 */

const fairy = readFileSync(demoCorpusPath, 'utf8').slice(0, 200_000);
const chinese = '我爱北京天安门。1998年，我用Python写代码！\nภาษาไทยง่าย\r\n';

let served: ServedPage | undefined;

beforeAll(async () => {
  if (!chromiumAvailable) return;
  const bundle = await build({
    stdin: {
      contents: `
        import * as tokenizer from './src/text/tokenizer.ts';
        import * as corpus from './src/text/corpus.ts';
        import * as idStream from './src/text/id-stream.ts';
        import * as vocabulary from './src/text/vocabulary.ts';
        globalThis.wasm2vec = { ...tokenizer, ...corpus, ...idStream, ...vocabulary };`,
      resolveDir: repoRoot,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  served = await openPage({
    isolated: false,
    html: '<!doctype html><meta charset="utf-8"><title>text</title><script type="module" src="/text.js"></script>',
    routes: { '/text.js': bundle.outputFiles[0].text, '/fairy.txt': fairy },
  });
});

afterAll(async () => {
  await served?.close();
});

describe.skipIf(!chromiumAvailable)('text modules in Chromium', () => {
  it('tokenise, read a fetch() stream and encode exactly like Node', async () => {
    const tok = createTokenizer();
    const nodePieces = [];
    for await (const p of corpusPieces(fairy, { maxPieceChars: 500 })) nodePieces.push(p);
    const scanned = await scanCorpus(fairy);
    const vocab = Vocabulary.fromCounts(scanned.counts, { minCount: 2 });
    const nodeChunks = [];
    for await (const c of scanned.encode(vocab, { chunkTokens: 2000 }).chunks()) nodeChunks.push(Array.from(c));
    await scanned.dispose();

    const browser = await served!.page.evaluate(async (chinese: string) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const w = (globalThis as any).wasm2vec;
      const tok = w.createTokenizer();
      const pieces = [];
      for await (const p of w.corpusPieces((await fetch('/fairy.txt')).body, { maxPieceChars: 500 })) pieces.push(p);
      const scanned = await w.scanCorpus((await fetch('/fairy.txt')).body);
      const vocab = w.Vocabulary.fromCounts(scanned.counts, { minCount: 2 });
      const chunks = [];
      for await (const c of scanned.encode(vocab, { chunkTokens: 2000 }).chunks()) chunks.push(Array.from(c));
      return { chineseTokens: tok(chinese), pieces, chunks };
    }, chinese);

    expect(browser.chineseTokens).toEqual(tok(chinese));
    expect(browser.chineseTokens.slice(0, 4)).toEqual(['我', '爱', '北京', '天安门']);
    expect(browser.pieces).toEqual(nodePieces);
    expect(browser.chunks.length).toBe(nodeChunks.length);
    expect(JSON.stringify(browser.chunks) === JSON.stringify(nodeChunks)).toBe(true);
  });

  it('fails clearly where Node is needed: { path } and spilling past memoryBudget', async () => {
    const errors = await served!.page.evaluate(async () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const w = (globalThis as any).wasm2vec;
      const catchIt = (p: Promise<unknown>) =>
        p.then(
          () => null,
          (e: { name: string; code: string; message: string }) => ({ name: e.name, code: e.code, message: e.message }),
        );
      return {
        path: await catchIt(w.scanCorpus({ path: '/corpus.txt' })),
        memory: await catchIt(w.scanCorpus('word '.repeat(70_000), { memoryBudget: 100_000 })),
      };
    });
    expect(errors.path).toMatchObject({ name: 'Wasm2VecError', code: 'UNSUPPORTED' });
    expect(errors.path!.message).toMatch(/"\/corpus\.txt".*needs Node\.js.*ReadableStream/);
    expect(errors.memory).toMatchObject({ name: 'Wasm2VecError', code: 'MEMORY_LIMIT' });
    expect(errors.memory!.message).toMatch(/memoryBudget=100000 bytes after 65536 tokens/);
  });
});
