import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { trainFastText, type FastTextOptions } from '../../../src/train/fasttext/trainer.js';
import { fnv1a } from '../../helpers/hash.js';
import { demoCorpusPath, repoRoot } from '../../helpers/data.js';
import { chromiumAvailable, openPage, type ServedPage } from '../../browser/harness.js';

// Small settings keep the runs short; identity does not depend on size.
const settings: FastTextOptions = { dim: 20, bucket: 10_000, epochs: 1, seed: 7, threads: 1 };
const variants: Record<string, FastTextOptions> = {
  batched: {},
  classic: { mode: 'classic' },
  cbowHs: { model: 'cbow', loss: 'hs' },
};
const demoText = readFileSync(demoCorpusPath, 'utf8').slice(0, 200_000);

async function nodeHashes(extra: FastTextOptions = {}): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(variants)) {
    const r = await trainFastText(demoText, { ...settings, ...v, ...extra });
    out[name] = `${fnv1a(r.model.input.data)}/${fnv1a(r.model.output.data)}`;
  }
  return out;
}

describe('FastText identity (threads: 1, seed)', () => {
  const pages: ServedPage[] = [];
  afterAll(async () => {
    for (const p of pages) await p.close();
  });

  it('is bit-identical across two Node runs, and different for another seed', async () => {
    const a = await nodeHashes();
    expect(await nodeHashes()).toEqual(a);
    const c = await nodeHashes({ seed: 8 });
    for (const k of Object.keys(a)) expect(c[k]).not.toBe(a[k]);
  });

  it.runIf(chromiumAvailable)('is bit-identical in headless Chromium (isolated: workers on shared memory; not isolated: the one-memory fallback)', async () => {
    const expected = await nodeHashes();
    // The trainer alone, as the browser runs it (the public FastText class wraps it); the harness waits for globalThis.wasm2vec.
    const bundle = await build({
      stdin: {
        contents:
          "import { trainFastText } from './src/train/fasttext/trainer.ts'; globalThis.trainFastText = trainFastText; globalThis.wasm2vec = { trainFastText };",
        resolveDir: repoRoot,
        loader: 'ts',
      },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      external: ['node:*'],
      target: 'chrome120',
      write: false,
      logLevel: 'silent',
    });
    for (const isolated of [true, false]) {
      const served = await openPage({
        isolated,
        html: '<!doctype html><meta charset="utf-8"><script type="module" src="/fasttext.js"></script>',
        routes: { '/fasttext.js': bundle.outputFiles[0].text },
      });
      pages.push(served);
      await served.page.waitForFunction(() => typeof (globalThis as any).trainFastText === 'function');
      const result = await served.page.evaluate(
        async ({ settings, variants, chars, isolated }) => {
          const train = (globalThis as any).trainFastText;
          const text = (await (await fetch('/data/demo-fairytales/corpus.txt')).text()).slice(0, chars);
          const hash = (v: Float32Array) => {
            const b = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
            let h = 0x811c9dc5;
            for (let i = 0; i < b.length; i++) {
              h ^= b[i];
              h = Math.imul(h, 0x01000193) >>> 0;
            }
            return h.toString(16).padStart(8, '0');
          };
          const out: Record<string, string> = {};
          const threads: number[] = [];
          for (const [name, v] of Object.entries(variants)) {
            // Two threads asked for where memory cannot be shared must fall back to one.
            const r = await train(text, { ...settings, ...v, threads: isolated ? 1 : 2 });
            out[name] = `${hash(r.model.input.data)}/${hash(r.model.output.data)}`;
            threads.push(r.stats.threads);
          }
          return { coi: (globalThis as any).crossOriginIsolated, out, threads };
        },
        { settings, variants, chars: 200_000, isolated },
      );
      expect(result.coi).toBe(isolated);
      expect(result.threads).toEqual([1, 1, 1]);
      expect(result.out).toEqual(expected);
    }
  });
});
