import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { GloVe, Wasm2VecError, type GloVeProgress } from '../../../src/index.js';
import { scanCorpus } from '../../../src/text/id-stream.js';
import { whitespaceTokenizer } from '../../../src/text/tokenizer.js';
import { Vocabulary } from '../../../src/text/vocabulary.js';
import { countCooccurrencesBaseline, trainGloVeBaseline } from '../../../bench/baseline/glove.js';
import { fnv1a } from '../../helpers/hash.js';
import { demoCorpusPath } from '../../helpers/data.js';

// The fairy-tale demo corpus: about 300,000 tokens, one paragraph per line.
const demo = readFileSync(demoCorpusPath, 'utf8');
const small = demo.split('\n').slice(0, 4000).join('\n');
const settings = { dim: 32, window: 8, xMax: 10, epochs: 4, minCount: 3, seed: 3, tokenizer: whitespaceTokenizer } as const;

async function hashOf(extra: Record<string, unknown> = {}): Promise<{ hash: string; costs: number[] }> {
  const m = await GloVe.train(small, { ...settings, threads: 1, ...extra });
  try {
    return { hash: fnv1a(m.embeddings.vectors), costs: m.stats.epochCosts };
  } finally {
    m.dispose();
  }
}

describe('GloVe training', () => {
  it('is bit-identical for one thread and a seed, and differs for another seed', async () => {
    const a = await hashOf();
    const b = await hashOf();
    expect(b).toEqual(a);
    const c = await hashOf({ seed: 4 });
    expect(c.hash).not.toBe(a.hash);
  });

  it('trains from merged spill runs, streaming the cells from disk past the budget, as well as from memory', async () => {
    // The spill path merges sorted runs, so its cells come in another order before the shuffle;
    // equality of the counts is the counting test's job. Here: same cells and a final cost within 2 %.
    const a = await hashOf();
    const m = await GloVe.train(small, { ...settings, threads: 2, memoryBudget: 8 << 20, maxProduct: 0 });
    try {
      expect(m.stats.spilledRuns).toBeGreaterThan(1);
      expect(m.stats.cellsOnDisk).toBe(true);
      expect(m.stats.memoryBytes).toBeLessThan(8 << 20);
      const last = m.stats.epochCosts.at(-1)!;
      expect(Math.abs(last - a.costs.at(-1)!) / last).toBeLessThan(0.02);
    } finally {
      m.dispose();
    }
  });

  it('reports counting, shuffling and training with a falling cost, and the cost per epoch in stats', async () => {
    const seen: GloVeProgress[] = [];
    const m = await GloVe.train(small, { ...settings, threads: 2, onProgress: (p) => seen.push({ ...p }) });
    try {
      const phases = [...new Set(seen.map((p) => p.phase))];
      expect(phases).toEqual(['counting', 'shuffling', 'training']);
      const ends = seen.filter((p) => p.phase === 'training' && p.progress === p.epoch / p.epochs);
      expect(ends.map((p) => p.epoch)).toEqual([1, 2, 3, 4]);
      expect(ends.map((p) => p.cost)).toEqual(m.stats.epochCosts);
      for (let e = 1; e < 4; e++) expect(m.stats.epochCosts[e]).toBeLessThan(m.stats.epochCosts[e - 1]);
      expect(seen.at(-1)!.cells).toBe(m.stats.cells);
      expect(m.stats.threads).toBe(2);
      expect(m.stats.tokens).toBeGreaterThan(30_000);
      expect(m.stats.cells).toBeGreaterThan(100_000);
      expect(m.embeddings.size).toBe(m.vocabulary.size);
      expect(m.embeddings.dim).toBe(32);
    } finally {
      m.dispose();
    }
  });

  it('returns word + context vectors by default, and either alone on request', async () => {
    const m = await GloVe.train(small, { ...settings, threads: 1, epochs: 1 });
    try {
      const word = await m.vectors('word');
      const context = await m.vectors('context');
      const sum = m.embeddings.vectors;
      for (let i = 0; i < sum.length; i += 97) expect(sum[i]).toBe(Math.fround(word.vectors[i] + context.vectors[i]));
      const onlyWord = await GloVe.train(small, { ...settings, threads: 1, epochs: 1, vectors: 'word' });
      expect(onlyWord.embeddings.vectors).toEqual(word.vectors);
      onlyWord.dispose();
    } finally {
      m.dispose();
    }
    await expect(m.vectors('word')).rejects.toThrow(/disposed/);
  });

  it('matches the plain TypeScript baseline: same cells, and its cost curve within a few percent', async () => {
    const m = await GloVe.train(small, { ...settings, threads: 1 });
    const scanned = await scanCorpus(small, { tokenizer: whitespaceTokenizer });
    try {
      const vocab = Vocabulary.fromCounts(scanned.counts, { minCount: settings.minCount });
      const stream = scanned.encode(vocab, { maxSentenceLength: 1_000_000 });
      const cells = await countCooccurrencesBaseline(stream, vocab.size, { window: settings.window, symmetric: true });
      expect(cells.rows.length).toBe(m.stats.cells);
      const base = trainGloVeBaseline(cells, vocab.size, { ...settings, alpha: 0.75, learningRate: 0.05, gradientClip: 100 });
      for (let e = 0; e < settings.epochs; e++) {
        expect(Math.abs(m.stats.epochCosts[e] - base.costs[e]) / base.costs[e]).toBeLessThan(0.03);
      }
    } finally {
      m.dispose();
      await scanned.dispose();
    }
  });

  it('stops at an AbortSignal with ABORTED, during counting or training', async () => {
    const early = new AbortController();
    early.abort();
    await expect(GloVe.train(small, { ...settings, signal: early.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    const late = new AbortController();
    const m = await GloVe.train(small, {
      ...settings,
      epochs: 50,
      threads: 1,
      onProgress: (p) => {
        if (p.phase === 'training' && p.epoch === 2) late.abort();
      },
      signal: late.signal,
    });
    try {
      expect(m.stats.aborted).toBe(true);
      expect(m.stats.epochsCompleted).toBeLessThan(3);
      expect(m.embeddings.size).toBe(m.vocabulary.size);
    } finally {
      m.dispose();
    }
  });

  it('throws a Wasm2VecError, not a trap, for a corpus with no pair inside the window', async () => {
    const e = await GloVe.train('a\nb\na\nb\n', { minCount: 1, threads: 1 }).catch((x) => x);
    expect(e).toBeInstanceOf(Wasm2VecError);
    expect(e.code).toBe('EMPTY_CORPUS');
    expect(e.message).toMatch(/no two in-vocabulary words occur within window 10/);
  });
});
