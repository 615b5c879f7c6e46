import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { FastText } from '../../../src/train/fasttext/fasttext.js';
import { wordVector } from '../../../src/train/fasttext/word-vectors.js';
import { readFastText } from '../../../src/train/fasttext/reader.js';
import { repoData } from '../../helpers/data.js';

const corpus = readFileSync(repoData('demo-fairytales/corpus.txt'), 'utf8').split('\n').slice(0, 3000).join('\n');
const small = { dim: 8, epochs: 1, bucket: 2000, minCount: 5, threads: 1, seed: 1 };

describe('FastText.train', () => {
  it('trains a model whose embeddings answer OOV words; saved and loaded back, the vectors are the same bits', async () => {
    const m = await FastText.train(corpus, small);
    try {
      expect(m.stats?.epochsCompleted).toBe(1);
      expect(m.vocabulary?.size).toBe(m.embeddings.size);
      expect(m.args).toMatchObject({ model: 'skipgram', dim: 8, bucket: 2000, minn: 3, maxn: 6 });
      const oov = m.embeddings.vector('unfathomably');
      expect(oov.some((x) => x !== 0)).toBe(true);
      const back = await FastText.load(m.toBytes(), { onWarning: () => undefined });
      expect(Array.from(back.embeddings.vector('unfathomably'))).toEqual(Array.from(oov));
      expect(Array.from(back.embeddings.vector('king'))).toEqual(Array.from(m.embeddings.vector('king')));
      // The in-vocabulary matrix is fastText's mean of rows, computed from the one input matrix.
      const model = await readFastText(m.toBytes());
      expect(Array.from(m.embeddings.vector('king'))).toEqual(Array.from(wordVector(model, 'king').vector));
    } finally {
      m.dispose();
    }
  });

  it('learningRate answers to lr and alpha: the same model bit for bit', async () => {
    const a = await FastText.train(corpus, { ...small, learningRate: 0.1 });
    const b = await FastText.train(corpus, { ...small, lr: 0.1 });
    const c = await FastText.train(corpus, { ...small, alpha: 0.1 });
    const d = await FastText.train(corpus, small);
    const v = (m: FastText) => Array.from(m.embeddings.vector('king'));
    expect(v(b)).toEqual(v(a));
    expect(v(c)).toEqual(v(a));
    expect(v(d)).not.toEqual(v(a));
    for (const m of [a, b, c, d]) m.dispose();
  });
});
