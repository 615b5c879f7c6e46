import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { chromiumAvailable, openPage, type ServedPage } from '../browser/harness.js';
import { repoData, repoRoot } from '../helpers/data.js';
import { Embeddings } from '../../src/index.js';
import { FIXTURE } from './vector-fixtures.js';

/**
 * Embeddings in Chromium, bundled with NO externals (a literal `node:*` import would fail the build):
 * load from a fetch Response, Blob and ArrayBuffer, query, evaluate and save to a Blob, with the
 * results bit-identical to Node's. Without cross-origin isolation the search runs on an unshared
 * memory; with it, batches also use worker threads on a shared one.
 */
const fixture = readFileSync(FIXTURE);
const questions = readFileSync(repoData('en-google-analogy/questions-words.txt'), 'utf8');
let bundle = '';
const pages: Record<string, ServedPage | undefined> = {};

beforeAll(async () => {
  if (!chromiumAvailable) return;
  const out = await build({
    stdin: { contents: `import * as api from './src/index.ts'; globalThis.wasm2vec = api;`, resolveDir: repoRoot, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  bundle = out.outputFiles[0].text;
  for (const isolated of [false, true]) {
    pages[String(isolated)] = await openPage({
      isolated,
      html: '<!doctype html><meta charset="utf-8"><title>vectors</title><script type="module" src="/vectors.js"></script>',
      routes: { '/vectors.js': bundle, '/fixture.bin': fixture, '/questions.txt': questions },
    });
  }
});

afterAll(async () => {
  for (const p of Object.values(pages)) await p?.close();
});

/** The same work in Node and in the page (the function body runs in both). */
async function work(api: any, fetchBytes: (p: string) => Promise<Response>, threads: number) {
  const { Embeddings: E, parseAnalogies } = api;
  const e = await E.load(await fetchBytes('/fixture.bin'));
  const queries = ['king', 'gold', 'forest', 'mother', 'day'].map((w) => ({ positive: [w], topN: 10 }));
  const single = queries.map((q) => e.mostSimilar(q));
  const batch = await e.mostSimilarBatch(queries, { threads });
  const text = await (await fetchBytes('/questions.txt')).text();
  const analogies = await e.evaluateAnalogies(parseAnalogies(text).sections, { restrictVocab: 30000, threads });
  const blob = await e.save(Blob, { format: 'wasm2vec', dtype: 'float16' });
  const back = await E.load(blob);
  const viaBuffer = await E.load(await (await e.save(Blob, { format: 'word2vec-text' })).arrayBuffer());
  let pathError = '';
  try {
    await E.load('/some/file.bin');
  } catch (err) {
    pathError = (err as Error).message;
  }
  const hash = (v: Float32Array) => {
    let h = 2166136261;
    const u = new Uint32Array(v.buffer, v.byteOffset, v.length);
    for (const x of u) h = Math.imul(h ^ x, 16777619) >>> 0;
    return h;
  };
  return {
    single,
    batch,
    analogies,
    f16Size: back.size,
    f16Hash: hash(back.vectors),
    textHash: hash(viaBuffer.vectors),
    hash: hash(e.vectors),
    pca: e.pca({ words: 30 }).points,
    pathError,
    isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated ?? null,
  };
}

describe.skipIf(!chromiumAvailable)('Embeddings in Chromium', () => {
  let node: Awaited<ReturnType<typeof work>>;
  beforeAll(async () => {
    const local = (p: string) => Promise.resolve(new Response(p === '/fixture.bin' ? fixture : questions));
    node = await work(await import('../../src/index.js'), local, 2);
    node.pathError = '';
    node.isolated = null;
  });

  for (const isolated of [false, true]) {
    it(`${isolated ? 'cross-origin isolated (shared memory, workers)' : 'not isolated (unshared memory, one thread)'}: same results as Node`, async () => {
      const page = pages[String(isolated)]!.page;
      const r = (await page.evaluate(`(${work.toString()})(globalThis.wasm2vec, (p) => fetch(p), 2)`)) as typeof node;
      expect(r.isolated).toBe(isolated);
      expect(r.pathError).toMatch(/file paths need Node\.js; in a browser pass an ArrayBuffer, Blob\/File or fetch Response/);
      expect({ ...r, pathError: '', isolated: null }).toEqual(node);
    });
  }

  it('the Node results are real', () => {
    expect(node.single[0]).toHaveLength(10);
    expect(node.analogies.covered).toBe(1608);
    expect(node.textHash).toBe(node.hash);
    expect(node.f16Size).toBe(3000);
    expect(Embeddings).toBeDefined();
  });
});
