import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { TextClassifier } from '../../../src/index.js';
import { parseLabelledTsv } from '../../../src/classify/labelled-tsv.js';
import { fnv1a } from '../../helpers/hash.js';
import { repoData } from '../../helpers/data.js';
import { openPage, chromiumAvailable, type ServedPage } from '../../browser/harness.js';

// Data-parallel training sums per-shard gradients in a fixed order, so the thread count must not
// change a single bit. A small model on 600 MR snippets (both classes), batch 32 = 4 shards of 8
// rows (a partial last batch too), 2 stacked layers so every kernel path runs.
const mr = parseLabelledTsv(readFileSync(repoData('en-mr-polarity/mr.tsv'), 'utf8'), 'mr.tsv');
const pick = [...Array(300).keys(), ...Array.from({ length: 300 }, (_, i) => 5331 + i)];
const texts = pick.map((i) => mr.texts[i]);
const labels = pick.map((i) => mr.labels[i]);
const config = {
  vocabSize: 3000,
  sequenceLength: 24,
  embeddingDim: 16,
  lstm: [{ units: 20, returnSequences: true }, { units: 12 }],
  classes: 2,
  seed: 5,
};

function hashWeights(tensors: { values: Float32Array }[]): string {
  const all = new Float32Array(tensors.reduce((a, t) => a + t.values.length, 0));
  let at = 0;
  for (const t of tensors) {
    all.set(t.values, at);
    at += t.values.length;
  }
  return fnv1a(all);
}

async function trainedHash(threads: number, seed = config.seed): Promise<{ weights: string; predictions: string; loss: number; threads: number | null }> {
  const clf = new TextClassifier({ ...config, seed, threads });
  try {
    const fit = await clf.fit(texts, labels, { epochs: 1, batchSize: 32 });
    const predictions = (await clf.predict(texts.slice(0, 50))) as Float32Array;
    return { weights: hashWeights(await clf.getWeights()), predictions: fnv1a(predictions), loss: fit.history[0].loss, threads: clf.threads };
  } finally {
    clf.dispose();
  }
}

describe('TextClassifier identity', () => {
  const pages: ServedPage[] = [];
  afterAll(async () => {
    for (const p of pages) await p.close();
  });

  it('same seed: bit-identical weights after an epoch with 1 and 2 threads; another seed differs', async () => {
    const one = await trainedHash(1);
    const two = await trainedHash(2);
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(two.weights).toBe(one.weights);
    expect(two.predictions).toBe(one.predictions);
    expect(two.loss).toBe(one.loss);
    const other = await trainedHash(2, 6);
    expect(other.weights).not.toBe(one.weights);
  });

  it.runIf(chromiumAvailable)('is bit-identical in headless Chromium (workers on shared memory, and the unshared fallback)', async () => {
    const expected = await trainedHash(1);
    for (const isolated of [true, false]) {
      const served = await openPage({ isolated, routes: { '/mr-slice.json': JSON.stringify({ texts, labels }) } });
      pages.push(served);
      const result = await served.page.evaluate(
        async ({ config }) => {
          const api = (globalThis as any).wasm2vec;
          const { texts, labels } = await (await fetch('/mr-slice.json')).json();
          const fnv = (v: Float32Array) => {
            const b = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
            let h = 0x811c9dc5;
            for (let i = 0; i < b.length; i++) {
              h ^= b[i];
              h = Math.imul(h, 0x01000193) >>> 0;
            }
            return h.toString(16).padStart(8, '0');
          };
          const clf = new api.TextClassifier({ ...config, threads: 2 });
          const fit = await clf.fit(texts, labels, { epochs: 1, batchSize: 32 });
          const tensors = await clf.getWeights();
          const all = new Float32Array(tensors.reduce((a: number, t: any) => a + t.values.length, 0));
          let at = 0;
          for (const t of tensors) {
            all.set(t.values, at);
            at += t.values.length;
          }
          const predictions = await clf.predict(texts.slice(0, 50));
          // The saved bytes load back in the page to the same predictions.
          const again = await api.TextClassifier.load(await clf.toBytes());
          const reloaded = fnv(await again.predict(texts.slice(0, 50)));
          again.dispose();
          const out = { weights: fnv(all), predictions: fnv(predictions), reloaded, loss: fit.history[0].loss, threads: fit.threads, note: fit.note ?? null };
          clf.dispose();
          return out;
        },
        { config },
      );
      expect(result.weights).toBe(expected.weights);
      expect(result.predictions).toBe(expected.predictions);
      expect(result.reloaded).toBe(expected.predictions);
      expect(result.loss).toBe(expected.loss);
      expect(result.threads).toBe(isolated ? 2 : 1);
      if (!isolated) expect(result.note).toMatch(/cross-origin isolated/);
    }
  });
});
