import { describe, it, expect } from 'vitest';
import { Word2Vec } from '../../../src/index.js';
import { rejection } from '../../helpers/errors.js';

const text = 'the cat sat on the mat and the dog sat on the log '.repeat(20);

describe('Word2Vec bad input', () => {
  it('rejects an empty corpus', async () => {
    const e = await rejection(Word2Vec.train('', { threads: 1 }));
    expect(e.code).toBe('EMPTY_CORPUS');
    expect((await rejection(Word2Vec.train([], { threads: 1 }))).code).toBe('EMPTY_CORPUS');
    expect((await rejection(Word2Vec.train('  ...  !!! \n\n', { threads: 1 }))).code).toBe('EMPTY_CORPUS');
  });

  it('rejects a corpus where no word reaches minCount, naming minCount', async () => {
    const e = await rejection(Word2Vec.train('one two three four', { threads: 1 }));
    expect(e.code).toBe('EMPTY_VOCABULARY');
    expect(e.message).toMatch(/minCount/);
  });

  it.each([
    [{ dim: 0 }, /dim.*0/],
    [{ dim: 1.5 }, /dim/],
    [{ window: -1 }, /window.*-1/],
    [{ alpha: NaN }, /alpha.*NaN/],
    [{ alpha: -0.1 }, /alpha/],
    [{ threads: 0 }, /threads.*0/],
    [{ negative: -2 }, /negative/],
    [{ negative: 0 }, /negative.*hs/],
    [{ epochs: 0 }, /epochs/],
    [{ sample: 2 }, /sample/],
    [{ minCount: 0 }, /minCount/],
    [{ model: 'glove' }, /model.*skipgram/],
    [{ minAlpha: 1 }, /minAlpha/],
    [{ seed: -1 }, /seed/],
    [{ onProgress: 'yes' }, /onProgress/],
    [{ dimension: 100 }, /unknown option "dimension"/],
  ] as [Record<string, unknown>, RegExp][])('rejects %o with a message naming it', async (opts, re) => {
    const e = await rejection(Word2Vec.train(text, { minCount: 1, threads: 1, ...opts } as never));
    expect(e.code).toBe('INVALID_OPTION');
    expect(e.message).toMatch(re);
  });

  it('refuses a vocabulary × dim beyond wasm32 4 GiB before allocating, in words', async () => {
    // 13 distinct words × dim 100000 is small; use maxVocab-free huge dim with many words instead:
    const words = Array.from({ length: 6000 }, (_, i) => `w${i}`).join(' ');
    const before = process.memoryUsage().rss;
    const e = await rejection(Word2Vec.train(words, { minCount: 1, dim: 100000, threads: 1 }));
    expect(e.code).toBe('MEMORY_LIMIT');
    expect(e.message).toMatch(/4 GiB/);
    expect(e.message).toMatch(/vocabulary 6,000 × dim 100000/);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 2 ** 20);
  });

  it('rejects corpus values of the wrong type', async () => {
    expect((await rejection(Word2Vec.train(42 as never, { threads: 1 }))).message).toMatch(/corpus/);
    expect((await rejection(Word2Vec.train(['ok text', 7] as never, { threads: 1 }))).message).toMatch(/1/);
    expect((await rejection(Word2Vec.train({ path: '/nonexistent/corpus.txt' }, { threads: 1 }))).message).toMatch(/nonexistent\/corpus.txt/);
  });
});
