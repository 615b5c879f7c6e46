import { describe, it, expect } from 'vitest';
import { GloVe } from '../../../src/index.js';
import { rejection } from '../../helpers/errors.js';

const text = 'the cat sat on the mat and the dog sat on the log\n'.repeat(20);

describe('GloVe bad input', () => {
  it('rejects an empty corpus, and one where no word reaches minCount', async () => {
    expect((await rejection(GloVe.train('', { threads: 1 }))).code).toBe('EMPTY_CORPUS');
    expect((await rejection(GloVe.train([], { threads: 1 }))).code).toBe('EMPTY_CORPUS');
    expect((await rejection(GloVe.train('\n\n  \n', { threads: 1 }))).code).toBe('EMPTY_CORPUS');
    const e = await rejection(GloVe.train('one two three', { threads: 1 }));
    expect(e.code).toBe('EMPTY_VOCABULARY');
    expect(e.message).toMatch(/minCount=5/);
  });

  it('refuses a memoryBudget too small for the vocabulary before allocating, naming budget, vocabulary and dim', async () => {
    const words = Array.from({ length: 20000 }, (_, i) => `w${i}`).join(' ');
    const e = await rejection(GloVe.train(words, { minCount: 1, dim: 100, memoryBudget: 8 << 20, threads: 1 }));
    expect(e.code).toBe('MEMORY_LIMIT');
    expect(e.message).toMatch(/memoryBudget 8,388,608 bytes \(8\.0 MiB\) is too small/);
    expect(e.message).toMatch(/20,000 words × dim 100/);
    expect(e.message).toMatch(/raise memoryBudget to at least \d/);
  });

  it.each([
    [{ xMax: 0 }, /xMax: got 0, expected a finite number > 0/],
    [{ xMax: -5 }, /xMax: got -5/],
    [{ xMax: Infinity }, /xMax/],
    [{ dim: 0 }, /dim: got 0/],
    [{ window: 0 }, /window: got 0/],
    [{ alpha: -1 }, /alpha: got -1/],
    [{ learningRate: 0 }, /learningRate: got 0/],
    [{ epochs: 0 }, /epochs: got 0/],
    [{ minCount: 0 }, /minCount: got 0/],
    [{ symmetric: 'yes' }, /symmetric: got "yes", expected true or false/],
    [{ threads: 0 }, /threads: got 0/],
    [{ seed: -1 }, /seed: got -1/],
    [{ memoryBudget: 1000 }, /memoryBudget: got 1000/],
    [{ memoryBudget: 2.5e6 + 0.5 }, /memoryBudget/],
    [{ gradientClip: 0 }, /gradientClip: got 0/],
    [{ vectors: 'both' }, /vectors: got "both", expected one of 'sum', 'word', 'context'/],
    [{ maxProduct: -1 }, /maxProduct: got -1/],
    [{ tempDir: '' }, /tempDir/],
    [{ onProgress: 1 }, /onProgress: got 1, expected a function/],
    [{ signal: {} }, /signal/],
    [{ eta: 0.1 }, /unknown option "eta"/],
  ] as [Record<string, unknown>, RegExp][])('rejects %o with INVALID_OPTION naming it', async (opts, re) => {
    const e = await rejection(GloVe.train(text, { minCount: 1, threads: 1, ...opts } as never));
    expect(e.code).toBe('INVALID_OPTION');
    expect(e.message).toMatch(re);
  });

  it('rejects non-object options', async () => {
    expect((await rejection(GloVe.train(text, 5 as never))).code).toBe('INVALID_OPTION');
  });

  it('names the budget and the corpus size when a browser could not spill', async () => {
    // Spilling is a Node feature; this simulates the browser's path through the counting driver.
    const { countCooccurrences } = await import('../../../src/train/glove/cooccurrence-count.js');
    const { GloveKernel } = await import('../../../src/train/glove/kernel.js');
    const { scanCorpus } = await import('../../../src/text/id-stream.js');
    const { Vocabulary } = await import('../../../src/text/vocabulary.js');
    const corpus = Array.from({ length: 3000 }, (_, i) => `w${i % 997} w${(i * 7) % 991} w${(i * 13) % 983}`).join(' ');
    const scanned = await scanCorpus(corpus);
    const vocab = Vocabulary.fromCounts(scanned.counts, { minCount: 1 });
    const stream = scanned.encode(vocab, { maxSentenceLength: 1_000_000 });
    const kernel = await GloveKernel.create({
      counts: vocab.counts,
      dim: 8,
      window: 10,
      symmetric: true,
      threads: 1,
      budget: 3 << 20,
      maxProduct: 0,
      xMax: 100,
      alpha: 0.75,
      learningRate: 0.05,
      gradientClip: 100,
    });
    try {
      await kernel.initialise();
      const e = await rejection(countCooccurrences(kernel, stream, { window: 10, budget: 3 << 20, spill: null }));
      expect(e.code).toBe('MEMORY_LIMIT');
      expect(e.message).toMatch(/9,000 in-vocabulary tokens/);
      expect(e.message).toMatch(/memoryBudget 3,145,728 bytes \(3\.0 MiB\)/);
      expect(e.message).toMatch(/needs Node\.js/);
    } finally {
      kernel.dispose();
      await scanned.dispose();
    }
  });
});
