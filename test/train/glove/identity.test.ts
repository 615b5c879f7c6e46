import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { GloVe, whitespaceTokenizer } from '../../../src/index.js';
import { fnv1a } from '../../helpers/hash.js';
import { demoCorpusPath } from '../../helpers/data.js';
import { openPage, chromiumAvailable, type ServedPage } from '../../browser/harness.js';

const settings = { dim: 24, window: 6, xMax: 10, epochs: 3, minCount: 5, seed: 11 } as const;

describe('GloVe identity (threads: 1, seed): Node == Chromium', () => {
  const pages: ServedPage[] = [];
  afterAll(async () => {
    for (const p of pages) await p.close();
  });

  it.runIf(chromiumAvailable)('gives bit-identical vectors in Node and headless Chromium (isolated and not)', async () => {
    const text = readFileSync(demoCorpusPath, 'utf8').split('\n').slice(0, 8000).join('\n');
    const m = await GloVe.train(text, { ...settings, threads: 1, tokenizer: whitespaceTokenizer });
    const expected = { hash: fnv1a(m.embeddings.vectors), size: m.embeddings.size };
    m.dispose();
    for (const isolated of [true, false]) {
      const served = await openPage({ isolated });
      pages.push(served);
      const got = await served.page.evaluate(
        async ({ settings }) => {
          const api = (globalThis as any).wasm2vec;
          const text = (await (await fetch('/data/demo-fairytales/corpus.txt')).text()).split('\n').slice(0, 8000).join('\n');
          const model = await api.GloVe.train(text, { ...settings, threads: 1, tokenizer: api.whitespaceTokenizer });
          const v: Float32Array = model.embeddings.vectors;
          const b = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
          let h = 0x811c9dc5;
          for (let i = 0; i < b.length; i++) {
            h ^= b[i];
            h = Math.imul(h, 0x01000193) >>> 0;
          }
          const out = { hash: h.toString(16).padStart(8, '0'), size: model.embeddings.size };
          model.dispose();
          return out;
        },
        { settings },
      );
      expect(got).toEqual(expected);
    }
  });
});
