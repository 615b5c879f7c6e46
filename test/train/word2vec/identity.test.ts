import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { Word2Vec } from '../../../src/index.js';
import { fnv1a } from '../../helpers/hash.js';
import { demoCorpusPath } from '../../helpers/data.js';
import { openPage, chromiumAvailable, type ServedPage } from '../../browser/harness.js';

// Small settings keep the run short; identity does not depend on size.
const settings = { dim: 48, window: 5, negative: 5, epochs: 1, minCount: 5, seed: 7, threads: 1 } as const;
const demoText = readFileSync(demoCorpusPath, 'utf8');

async function nodeHash(extra: Record<string, unknown> = {}): Promise<{ hash: string; size: number }> {
  const m = await Word2Vec.train(demoText, { ...settings, ...extra });
  try {
    return { hash: fnv1a(m.embeddings.vectors), size: m.vocabulary.size };
  } finally {
    m.dispose();
  }
}

describe('Word2Vec identity (threads: 1, seed)', () => {
  const pages: ServedPage[] = [];
  afterAll(async () => {
    for (const p of pages) await p.close();
  });

  it('is bit-identical across two Node runs, and different for another seed', async () => {
    const a = await nodeHash();
    const b = await nodeHash();
    expect(b.hash).toBe(a.hash);
    expect(a.size).toBeGreaterThan(3000);
    const c = await nodeHash({ seed: 8 });
    expect(c.hash).not.toBe(a.hash);
  });

  it.runIf(chromiumAvailable)('is bit-identical in headless Chromium (isolated: workers on shared memory; not isolated: fallback)', async () => {
    const expected = { sg: await nodeHash(), cbowHs: await nodeHash({ model: 'cbow', hs: true, negative: 0 }) };
    for (const isolated of [true, false]) {
      const served = await openPage({ isolated });
      pages.push(served);
      const result = await served.page.evaluate(
        async ({ settings, isolated }) => {
          const api = (globalThis as any).wasm2vec;
          const text = await (await fetch('/data/demo-fairytales/corpus.txt')).text();
          const hash = (v: Float32Array) => {
            const b = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
            let h = 0x811c9dc5;
            for (let i = 0; i < b.length; i++) {
              h ^= b[i];
              h = Math.imul(h, 0x01000193) >>> 0;
            }
            return h.toString(16).padStart(8, '0');
          };
          const notes: string[] = [];
          const run = async (extra: Record<string, unknown>) => {
            // Asking for 2 threads where memory cannot be shared must fall back to 1 and say so.
            const m = await api.Word2Vec.train(text, {
              ...settings,
              ...extra,
              threads: isolated ? 1 : 2,
              onProgress: (p: any) => {
                if (p.note) notes.push(p.note);
              },
            });
            const out = { hash: hash(m.embeddings.vectors), size: m.vocabulary.size, threads: m.stats.threads };
            m.dispose();
            return out;
          };
          return { coi: (globalThis as any).crossOriginIsolated, sg: await run({}), cbowHs: await run({ model: 'cbow', hs: true, negative: 0 }), notes };
        },
        { settings, isolated },
      );
      expect(result.coi).toBe(isolated);
      expect(result.sg.hash).toBe(expected.sg.hash);
      expect(result.sg.size).toBe(expected.sg.size);
      expect(result.cbowHs.hash).toBe(expected.cbowHs.hash);
      expect(result.sg.threads).toBe(1);
      if (!isolated) expect(result.notes.join(' ')).toMatch(/cross-origin isolated/);
      else expect(result.notes).toEqual([]);
    }
  });
});
