import { beforeAll, describe, expect, it } from 'vitest';
import { Embeddings, Wasm2VecError } from '../../src/index.js';
import { FIXTURE, GOLDEN, readJson } from './vector-fixtures.js';
import { repoData } from '../helpers/data.js';

/**
 * Parity with gensim 4.2 (Debian python3-gensim) on vectors trained by wasm2vec: the golden file was
 * written by `scripts/gensim-golden.py golden test/fixtures/vectors/fairytales-d24.bin …` (see its
 * header), so CI needs no gensim. evaluate_word_pairs runs on WordSim-353 (not redistributable):
 * gensim-parity.data.test.ts.
 */
type Scored = [string, number][];
interface Golden {
  size: number;
  wordPairs: { file: string; restrictVocab: number; pearson: number; spearman: number; oovRatio: number }[];
  analogies: {
    restrictVocab: number;
    accuracy: number;
    semantic: number;
    syntactic: number;
    sections: { name: string; correct: number; total: number }[];
    covered: number;
    total: number;
  }[];
  mostSimilar: { positive: string[]; negative?: string[]; topN: number; restrictVocab?: number; result: Scored }[];
  cosmul: { positive: string[]; negative: string[]; topN: number; result: Scored }[];
  similarity: [string, string, number][];
  nSimilarity: [string[], string[], number][];
  doesntMatch: [string[], string][];
}

const golden = readJson<Golden>(GOLDEN);
let e: Embeddings;
beforeAll(async () => {
  e = await Embeddings.load(FIXTURE);
});

/** Same words in the same order, scores to 1e-5, except that words whose gensim scores lie within 1e-5 may swap. */
function expectSameList(got: { word: string; score: number }[], want: Scored): void {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => {
    expect(Math.abs(g.score - want[i][1])).toBeLessThan(1e-5);
    if (g.word !== want[i][0]) {
      const j = want.findIndex(([w]) => w === g.word);
      expect(j, `${g.word} missing from gensim's list`).toBeGreaterThanOrEqual(0);
      expect(Math.abs(want[j][1] - want[i][1])).toBeLessThan(1e-5);
    }
  });
}

describe('gensim parity (fixture: 3000 words × 24 dims trained by wasm2vec on the demo corpus)', () => {
  it('loads the same vocabulary gensim saw', () => expect(e.size).toBe(golden.size));

  it(`most_similar top-10 lists (${golden.mostSimilar.length} queries: single words, restrict_vocab, b + c − a)`, () => {
    let swaps = 0;
    for (const q of golden.mostSimilar) {
      const got = e.mostSimilar({ positive: q.positive, negative: q.negative, topN: q.topN, restrictVocab: q.restrictVocab });
      expectSameList(got, q.result);
      swaps += got.filter((g, i) => g.word !== q.result[i][0]).length;
    }
    expect(swaps).toBeLessThanOrEqual(2);
  });

  it('most_similar_cosmul, similarity, n_similarity, doesnt_match', () => {
    for (const { result, ...query } of golden.cosmul) expectSameList(e.mostSimilarCosmul(query), result);
    for (const [a, b, s] of golden.similarity) expect(e.similarity(a, b)).toBeCloseTo(s, 6);
    for (const [a, b, s] of golden.nSimilarity) expect(e.nSimilarity(a, b)).toBeCloseTo(s, 6);
    for (const [ws, odd] of golden.doesntMatch) expect(e.doesntMatch(ws)).toBe(odd);
  });

  it('evaluate_word_analogies: same counts in every section, accuracies to 3 decimals', async () => {
    for (const g of golden.analogies) {
      const r = await e.evaluateAnalogies(repoData('en-google-analogy/questions-words.txt'), { restrictVocab: g.restrictVocab, threads: 1 });
      expect(r.sections).toEqual(g.sections);
      expect([r.covered, r.total]).toEqual([g.covered, g.total]);
      expect(Math.abs(r.accuracy - g.accuracy)).toBeLessThan(5e-4);
      expect(Math.abs(r.semantic - g.semantic)).toBeLessThan(5e-4);
      expect(Math.abs(r.syntactic - g.syntactic)).toBeLessThan(5e-4);
      expect(r.covered).toBeGreaterThan(100);
    }
  });
});

describe('one out-of-vocabulary convention', () => {
  it('word-taking methods throw NOT_FOUND naming the word; get() returns undefined; has() is false', () => {
    const calls = [
      () => e.vector('xyzzy'),
      () => e.similarity('king', 'xyzzy'),
      () => e.mostSimilar({ positive: ['xyzzy'] }),
      () => e.analogy('king', 'xyzzy', 'queen'),
      () => e.nSimilarity(['king'], ['xyzzy']),
      () => e.doesntMatch(['king', 'xyzzy']),
      () => e.mostSimilarCosmul({ positive: ['xyzzy'] }),
      () => e.unitVector('xyzzy'),
    ];
    for (const c of calls) {
      expect(c).toThrow(Wasm2VecError);
      expect(c).toThrow(/word "xyzzy" is not in the vocabulary \(3000 words\)/);
    }
    expect(e.get('xyzzy')).toBeUndefined();
    expect(e.has('xyzzy')).toBe(false);
    expect(e.get('king')).toEqual(e.vector('king'));
  });
  it('analogy(a, b, c) is mostSimilar(b + c − a) without a, b, c', () => {
    expect(e.analogy('man', 'king', 'woman', { topN: 5 })).toEqual(e.mostSimilar({ positive: ['king', 'woman'], negative: ['man'], topN: 5 }));
    expect(e.similarByVector(e.vector('king'), { topN: 3 })[0].word).toBe('king');
  });
});
