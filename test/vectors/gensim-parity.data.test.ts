import { beforeAll, describe, expect, it } from 'vitest';
import { Embeddings } from '../../src/index.js';
import { FIXTURE, GOLDEN, readJson } from './vector-fixtures.js';
import { sharedData } from '../helpers/data.js';

/**
 * Data suite: the WordSim-353 part of the gensim parity checks (gensim-parity.test.ts has the rest).
 * The golden file names the pairs files as gensim read them, under ../shared/data.
 */
interface Golden {
  wordPairs: { file: string; restrictVocab: number; pearson: number; spearman: number; oovRatio: number }[];
}

const golden = readJson<Golden>(GOLDEN);
let e: Embeddings;
beforeAll(async () => {
  e = await Embeddings.load(FIXTURE);
});

describe('gensim parity (fixture: 3000 words × 24 dims trained by wasm2vec on the demo corpus)', () => {
  it('evaluate_word_pairs: Pearson, Spearman and OOV ratio to 3 decimals (4 files × restrictions)', async () => {
    for (const g of golden.wordPairs) {
      const r = await e.evaluateWordPairs(sharedData(g.file.replace('../shared/data/', '')), { restrictVocab: g.restrictVocab });
      expect(Math.abs(r.pearson - g.pearson)).toBeLessThan(5e-4);
      expect(Math.abs(r.spearman - g.spearman)).toBeLessThan(5e-4);
      expect(r.oovRatio).toBeCloseTo(g.oovRatio, 9);
      expect(r.pairs).toBeGreaterThan(0);
    }
  });
});
