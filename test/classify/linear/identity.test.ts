import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { LinearClassifier } from '../../../src/index.js';
import { fnv1a } from '../../helpers/hash.js';
import { repoData } from '../../helpers/data.js';
import { openPage, chromiumAvailable, type ServedPage } from '../../browser/harness.js';

const rows = readFileSync(repoData('en-mr-polarity/mr.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((l) => l.split('\t'));
const sample = [...rows.slice(0, 1000), ...rows.slice(-1000)];
const texts = sample.map((r) => r[2]);
const labels = sample.map((r) => Number(r[0]));
// tf-idf + bigrams + hs exercise every kernel path that has float math of its own (idf logs, tree sigmoids).
const settings = { dim: 24, wordNgrams: 2, epochs: 3, learningRate: 0.5, threads: 1, seed: 5, weighting: 'tfidf', loss: 'hs' } as const;
const probe = ['a gorgeous , moving film', 'dull and badly acted zzqx'];

describe('LinearClassifier identity (threads: 1, seed)', () => {
  const pages: ServedPage[] = [];
  afterAll(async () => {
    for (const p of pages) await p.close();
  });

  it.runIf(chromiumAvailable)('trains the bit-identical model in headless Chromium (isolated: worker on shared memory; not isolated: fallback)', async () => {
    const clf = new LinearClassifier(settings);
    await clf.fit(texts, labels);
    const w = await clf.weights();
    const expected = { input: fnv1a(w.input), output: fnv1a(w.output), predictions: await clf.predict(probe, { k: 2 }) };
    clf.dispose();
    for (const isolated of [true, false]) {
      const served = await openPage({ isolated });
      pages.push(served);
      // A string body: the page gets exactly this code, untouched by the test transform.
      const result = (await served.page.evaluate(`(async () => {
        const api = globalThis.wasm2vec;
        const hash = (v) => { const b = new Uint8Array(v.buffer, v.byteOffset, v.byteLength); let h = 0x811c9dc5;
          for (let i = 0; i < b.length; i++) { h ^= b[i]; h = Math.imul(h, 0x01000193) >>> 0; } return h.toString(16).padStart(8, '0'); };
        const c = new api.LinearClassifier(${JSON.stringify(settings)});
        const fit = await c.fit(${JSON.stringify(texts)}, ${JSON.stringify(labels)});
        const w = await c.weights();
        const loaded = await api.LinearClassifier.load(await c.toBytes(), { threads: 1 });
        const out = { coi: globalThis.crossOriginIsolated, threads: fit.threads, input: hash(w.input), output: hash(w.output),
          predictions: await loaded.predict(${JSON.stringify(probe)}, { k: 2 }) };
        c.dispose();
        loaded.dispose();
        return out;
      })()`)) as { coi: boolean; threads: number; input: string; output: string; predictions: unknown };
      expect(result.coi).toBe(isolated);
      expect(result.threads).toBe(1);
      expect(result.input).toBe(expected.input);
      expect(result.output).toBe(expected.output);
      expect(result.predictions).toEqual(expected.predictions);
    }
  });
});
