import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Word2Vec, whitespaceTokenizer, type Word2VecProgress } from '../../../src/index.js';
import { fnv1a } from '../../helpers/hash.js';
import { demoCorpusPath, text8Slice } from '../../helpers/data.js';

const demo = readFileSync(demoCorpusPath, 'utf8');
const quick = { dim: 32, epochs: 1, seed: 3, threads: 1 } as const;

function neighbours(m: Word2Vec, word: string, n = 10): string[] {
  return m.embeddings.mostSimilar({ positive: [word], topN: n }).map((x) => x.word);
}

describe('Word2Vec training', () => {
  it('every corpus kind gives the same model as the plain string', async () => {
    const lines = demo.split('\n').slice(0, 4000);
    const text = lines.join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'w2v-src-'));
    try {
      writeFileSync(join(dir, 'c.txt'), text);
      writeFileSync(join(dir, 'c.txt.gz'), gzipSync(text));
      const enc = new TextEncoder().encode(text);
      const sources: [string, () => unknown][] = [
        ['string', () => text],
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
        ['node stream', () => Readable.from([Buffer.from(enc.subarray(0, 1000)), Buffer.from(enc.subarray(1000))])],
        [
          'web stream',
          () =>
            new ReadableStream<Uint8Array>({
              start(c) {
                c.enqueue(enc.subarray(0, 777));
                c.enqueue(enc.subarray(777));
                c.close();
              },
            }),
        ],
        ['path', () => ({ path: join(dir, 'c.txt') })],
        ['gzip path', () => ({ path: join(dir, 'c.txt.gz') })],
      ];
      const hashes = new Map<string, string>();
      for (const [name, make] of sources) {
        const m = await Word2Vec.train(make() as never, { ...quick, minCount: 3 });
        hashes.set(name, fnv1a(m.embeddings.vectors) + ':' + m.vocabulary.size);
        m.dispose();
      }
      expect(new Set(hashes.values()).size, JSON.stringify([...hashes])).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('learns recognisable neighbours on the demo corpus (skip-gram, CBOW, hs), reports progress and loss', async () => {
    const reports: Word2VecProgress[] = [];
    const sg = await Word2Vec.train(demo, { seed: 1, threads: 1, epochs: 3, onProgress: (p) => reports.push(p) });
    expect(neighbours(sg, 'day')).toEqual(expect.arrayContaining(['morning', 'evening']));
    expect(neighbours(sg, 'gold')).toContain('silver');
    expect(neighbours(sg, 'mother', 10)).toEqual(expect.arrayContaining(['father']));
    expect(sg.embeddings.vector('king')).toHaveLength(100);
    // Progress: monotone words, epochs 1..3, decaying alpha, finite loss that falls between epochs.
    const last = reports[reports.length - 1];
    expect(last.words).toBe(sg.stats.tokens * 3);
    expect(last.progress).toBeCloseTo(1, 6);
    for (let i = 1; i < reports.length; i++) expect(reports[i].words).toBeGreaterThanOrEqual(reports[i - 1].words);
    expect(reports[0].alpha).toBeGreaterThan(last.alpha);
    const epochEnd = (e: number) => reports.filter((r) => r.epoch === e).pop()!;
    expect(epochEnd(3).meanLoss).toBeLessThan(epochEnd(1).meanLoss);
    expect(Number.isFinite(last.loss) && last.loss > 0).toBe(true);
    sg.dispose();

    const cbow = await Word2Vec.train(demo, { model: 'cbow', seed: 1, threads: 1, epochs: 5 });
    expect(neighbours(cbow, 'day').filter((w) => ['morning', 'evening', 'night'].includes(w)).length).toBeGreaterThanOrEqual(1);
    cbow.dispose();
    const hs = await Word2Vec.train(demo, { hs: true, negative: 0, seed: 1, threads: 1, epochs: 3 });
    expect(neighbours(hs, 'gold')).toContain('silver');
    hs.dispose();
  });

  it('trains with 2 Hogwild threads on one shared memory', async () => {
    const m = await Word2Vec.train(demo, { seed: 1, threads: 2, epochs: 3 });
    expect(m.stats.threads).toBe(2);
    expect(m.stats.epochsCompleted).toBe(3);
    expect(neighbours(m, 'day')).toEqual(expect.arrayContaining(['morning', 'evening']));
    for (const x of m.embeddings.vectors) if (!Number.isFinite(x)) throw new Error('non-finite weight');
    m.dispose();
  });

  it('2 threads, batched: the frequent words trained in thread-private rows are merged into the model', async () => {
    // Batched mode with threads > 1 trains the 512 most frequent words' rows privately per thread and
    // adds the changes to the shared rows every 4096 windows and at the end of every kernel call. A lost,
    // doubled or missing merge shows in these rows' norms and in the loss, compared with one thread.
    const text = text8Slice(3_000_000);
    const run = async (threads: number) => {
      const m = await Word2Vec.train(text, { dim: 50, epochs: 1, seed: 1, threads, mode: 'batched', tokenizer: whitespaceTokenizer });
      const norm = (from: number, to: number) => {
        let sum = 0;
        for (let i = from; i < to; i++) {
          const v = m.embeddings.vectors.subarray(i * 50, (i + 1) * 50);
          sum += Math.hypot(...v);
        }
        return sum / (to - from);
      };
      const r = { hot: norm(0, 512), warm: norm(512, 1512), loss: m.stats.finalLoss, vocab: m.vocabulary.size };
      m.dispose();
      return r;
    };
    const one = await run(1);
    const two = await run(2);
    expect(one.vocab).toBeGreaterThan(2000);
    // Trained rows grow from the ~0.01 of initialisation to ~2-4; a merge that never happened leaves them there.
    expect(one.hot).toBeGreaterThan(1);
    expect(two.hot / one.hot).toBeGreaterThan(0.85);
    expect(two.hot / one.hot).toBeLessThan(1.15);
    expect(two.warm / one.warm).toBeGreaterThan(0.85);
    expect(two.warm / one.warm).toBeLessThan(1.15);
    expect(Math.abs(two.loss / one.loss - 1)).toBeLessThan(0.03);
  });

  it('stops cleanly on abort and keeps a usable model', async () => {
    const ac = new AbortController();
    const t0 = performance.now();
    let abortedAt = 0;
    const m = await Word2Vec.train(demo, {
      seed: 1,
      threads: 2,
      epochs: 50,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.words > 100_000 && !ac.signal.aborted) {
          abortedAt = performance.now();
          ac.abort();
        }
      },
    });
    expect(m.stats.aborted).toBe(true);
    expect(m.stats.epochsCompleted).toBeLessThan(50);
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(m.embeddings.mostSimilar({ positive: ['king'], topN: 3 })).toHaveLength(3);
    expect(performance.now() - t0).toBeLessThan(30_000);
    m.dispose();
  });

  it('rejects an already-aborted signal before reading the corpus', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(Word2Vec.train(demo, { threads: 1, signal: ac.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('Word2Vec batched skip-gram', () => {
  it('trains comparable neighbours to classic, is deterministic with one thread, and differs from classic', async () => {
    const run = async (mode: 'classic' | 'batched') => {
      const m = await Word2Vec.train(demo, { seed: 1, threads: 1, epochs: 3, mode });
      const out = { hash: fnv1a(m.embeddings.vectors), day: neighbours(m, 'day'), gold: neighbours(m, 'gold'), loss: m.stats.finalLoss };
      m.dispose();
      return out;
    };
    const b1 = await run('batched');
    const b2 = await run('batched');
    const c = await run('classic');
    expect(b2.hash).toBe(b1.hash);
    expect(c.hash).not.toBe(b1.hash);
    expect(b1.day).toEqual(expect.arrayContaining(['morning', 'evening']));
    expect(b1.gold).toContain('silver');
    expect(Math.abs(b1.loss - c.loss) / c.loss).toBeLessThan(0.1);
  });

  it('refuses batched with hierarchical softmax', async () => {
    await expect(Word2Vec.train(demo, { mode: 'batched', hs: true, threads: 1 })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringMatching(/batched/),
    });
  });
});
