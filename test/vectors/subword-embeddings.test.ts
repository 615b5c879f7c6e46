import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Embeddings } from '../../src/vectors/embeddings.js';
import { FastText } from '../../src/train/fasttext/fasttext.js';
import { ngrams } from '../../src/train/fasttext/word-vectors.js';
import { readFastText } from '../../src/train/fasttext/reader.js';
import { syncError, rejection } from '../helpers/errors.js';
import { MODELS, fixture, fixtureWords, fullVectors, hex } from '../train/fasttext/fixtures.js';

interface Queries {
  neighbours: { word: string; k: number; result: [number, string][] }[];
  analogies: { a: string; b: string; c: string; k: number; result: [number, string][] }[];
  sentences: { hex: string; vector: number[] }[];
}
const queries = (stem: string): Queries => JSON.parse(readFileSync(fixture(`${stem}.queries.json`), 'utf8'));

const cache = new Map<string, Promise<FastText>>();
const load = (file: string) => {
  if (!cache.has(file)) cache.set(file, FastText.load(fixture(file), { onWarning: () => undefined }));
  return cache.get(file)!;
};
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const asText = (b: Uint8Array): string | null => {
  try {
    return strictUtf8.decode(b);
  } catch {
    return null;
  }
};

/**
 * The same ranking as fastText's, allowing two neighbours whose fastText cosines differ by less than
 * `tie` to come in either order (the summation orders differ), and scores equal to 1e-5.
 */
function expectSameNeighbours(got: { word: string; score: number }[], want: [number, string][], what: string) {
  expect(got.length, what).toBe(want.length);
  const tie = 1e-6;
  for (let i = 0; i < want.length; i++) {
    const [score, word] = want[i];
    const j = got.findIndex((g) => g.word === word);
    expect(j, `${what}: ${word} at ${i}`).toBeGreaterThanOrEqual(0);
    if (j !== i) expect(Math.abs(want[j][0] - score), `${what}: ${word} at ${j}, fastText's ${i}`).toBeLessThan(tie);
    expect(Math.abs(got[j].score - score), `${what}: ${word}`).toBeLessThan(1e-5);
  }
}

describe('SubwordEmbeddings: any word has the vector fastText 0.9.2 gives it', () => {
  for (const m of MODELS) {
    it(`${m.file}: vector(word) of every UTF-8 fixture word (in vocabulary and OOV) is fastText's get_word_vector, bit for bit`, async () => {
      const e = (await load(m.file)).embeddings;
      const words = fixtureWords();
      const full = fullVectors(m.stem);
      let oov = 0;
      let checked = 0;
      for (let i = 0; i < words.length; i++) {
        expect(full[i].hex).toBe(hex(words[i]));
        const text = asText(words[i]);
        if (text === null) continue; // bytes that are not UTF-8 have no string form (the reader's tests cover them)
        checked++;
        if (!e.has(text)) oov++;
        expect(Array.from(e.vector(text)), `${m.file}: ${text}`).toEqual(full[i].vector);
      }
      expect(checked).toBe(words.length - 2);
      expect(oov).toBeGreaterThan(5);
    });
  }

  it('is an Embeddings over the in-vocabulary words (fastText precomputeWordVectors), counts included; OOV words are not in it', async () => {
    const ft = await load('skipgram.bin');
    const e = ft.embeddings;
    const model = await readFastText(fixture('skipgram.bin'));
    expect(e).toBeInstanceOf(Embeddings);
    expect(e.size).toBe(model.dictionary.nwords);
    expect(e.words[0]).toBe('</s>');
    expect(Array.from(e.counts!.subarray(0, 3))).toEqual(Array.from(model.dictionary.counts.subarray(0, 3)));
    expect(e.has('king')).toBe(true);
    expect(e.has('unfathomably')).toBe(false);
    expect(e.indexOf('unfathomably')).toBe(-1);
    expect(e.hasVector('unfathomably')).toBe(true);
    const k = e.indexOf('king');
    expect(Array.from(e.vectors.subarray(k * e.dim, (k + 1) * e.dim))).toEqual(Array.from(e.vector('king')));
    // The Latin-1 entry of the corpus is named as gensim names it.
    expect(e.has('caf\\xe9')).toBe(true);
    // Saving to a word format writes the in-vocabulary words.
    const text = new TextDecoder().decode(e.toBytes({ format: 'word2vec-text' }));
    expect(text.split('\n')[0]).toBe(`${e.size} ${e.dim}`);
    expect(text).not.toContain('unfathomably');
    const back = await Embeddings.load(new TextEncoder().encode(text));
    expect(back.size).toBe(e.size);
    expect(back.similarity('king', 'queen')).toBeCloseTo(e.similarity('king', 'queen'), 5);
  });

  it('ngrams(word) lists the word row and n-grams with their buckets and rows, as the model computes them', async () => {
    const e = (await load('skipgram.bin')).embeddings;
    const model = await readFastText(fixture('skipgram.bin'));
    expect(e.ngrams('unfathomably')).toEqual(ngrams(model, 'unfathomably'));
    const g = e.ngrams('king');
    expect(g[0]).toEqual({ text: 'king', kind: 'word', bucket: null, row: e.indexOf('king') });
    expect(g.slice(1).map((x) => x.text)).toContain('<ki');
    expect(e.subwords).toEqual({ minn: 3, maxn: 6, bucket: 5000 });
  });

  it('a word without any row (no n-grams in the model) gets zeros and one warning, as fastText prints zeros', async () => {
    const warnings: string[] = [];
    const ft = await FastText.load(fixture('supervised-ova.bin'), { onWarning: (w) => warnings.push(w) });
    const v = ft.embeddings.vector('unfathomably');
    expect(Array.from(v).every((x) => x === 0)).toBe(true);
    ft.embeddings.vector('unfathomably');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"unfathomably"');
    expect(warnings[0]).toContain('maxn 0');
    expect(ft.embeddings.get('unfathomably')).toBeUndefined();
    expect(ft.embeddings.hasVector('unfathomably')).toBe(false);
    expect(ft.embeddings.similarity('unfathomably', 'the')).toBe(0);
    // A pruned .ftz: a word whose buckets were all dropped.
    const ftz = await FastText.load(fixture('supervised.ftz'), { onWarning: (w) => warnings.push(w) });
    const model = await readFastText(fixture('supervised.ftz'));
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const twoLetter = [...letters].flatMap((x) => [...letters].map((y) => x + y));
    const dropped = twoLetter.find((w) => model.dictionary.id(w) < 0 && ngrams(model, w).every((g) => g.row === null));
    expect(dropped).toBeDefined();
    expect(Array.from(ftz.embeddings.vector(dropped!)).every((x) => x === 0)).toBe(true);
    expect(warnings.at(-1)).toContain('pruned');
  });

  it('refuses a non-string word with INVALID_OPTION', async () => {
    const e = (await load('skipgram.bin')).embeddings;
    expect(syncError(() => e.vector(42 as unknown as string)).code).toBe('INVALID_OPTION');
    expect(syncError(() => e.ngrams(null as unknown as string)).code).toBe('INVALID_OPTION');
  });
});

describe("SubwordEmbeddings queries: fastText's nn, analogies and sentence vectors", () => {
  it("mostSimilar of in-vocabulary and OOV words ranks the in-vocabulary words as fastText's get_nearest_neighbors (cosines to 1e-5)", async () => {
    const e = (await load('nn-skipgram.bin')).embeddings;
    const q = queries('nn-skipgram');
    expect(q.neighbours.length).toBeGreaterThan(10);
    let oov = 0;
    for (const n of q.neighbours) {
      if (!e.has(n.word)) oov++;
      expectSameNeighbours(e.mostSimilar({ positive: [n.word], topN: n.k }), n.result, `nn ${n.word}`);
    }
    expect(oov).toBeGreaterThanOrEqual(5);
    // The batched path answers the same.
    const batch = await e.mostSimilarBatch(
      q.neighbours.map((n) => ({ positive: n.word, topN: n.k })),
      { threads: 1 },
    );
    batch.forEach((b, i) => expectSameNeighbours(b, q.neighbours[i].result, `batch nn ${q.neighbours[i].word}`));
  });

  it("analogy(b, a, c) answers fastText's get_analogies(a, b, c) (its query is a - b + c), OOV words included", async () => {
    const e = (await load('nn-skipgram.bin')).embeddings;
    const q = queries('nn-skipgram');
    let withOov = 0;
    for (const a of q.analogies) {
      if (![a.a, a.b, a.c].every((w) => e.has(w))) withOov++;
      expectSameNeighbours(e.analogy(a.b, a.a, a.c, { topN: a.k }), a.result, `analogy ${a.a} - ${a.b} + ${a.c}`);
    }
    expect(withOov).toBeGreaterThanOrEqual(2);
  });

  for (const stem of ['nn-skipgram', 'skipgram', 'cbow-hs', 'supervised', 'supervised.ftz']) {
    it(`${stem}: sentenceVector(line) is fastText's get_sentence_vector, bit for bit`, async () => {
      const file = stem.endsWith('.ftz') ? stem : `${stem}.bin`;
      const e = (await load(file)).embeddings;
      const q = queries(stem);
      expect(q.sentences.length).toBeGreaterThan(15);
      let zeros = 0;
      for (const s of q.sentences) {
        const text = Buffer.from(s.hex, 'hex').toString('utf8');
        const v = e.sentenceVector(text);
        if (v.every((x) => x === 0)) zeros++;
        expect(Array.from(v), JSON.stringify(text)).toEqual(s.vector);
      }
      // Unsupervised: an empty and a blank line give zeros; supervised lines always hold </s>.
      expect(zeros).toBe(stem.startsWith('supervised') ? 0 : 2);
    });
  }

  it('similarity, doesntMatch, nSimilarity and mostSimilarCosmul accept OOV words (their n-gram vectors)', async () => {
    const e = (await load('nn-skipgram.bin')).embeddings;
    const cos = (x: Float32Array, y: Float32Array) => {
      let ab = 0;
      let aa = 0;
      let bb = 0;
      for (let k = 0; k < x.length; k++) {
        ab += x[k] * y[k];
        aa += x[k] * x[k];
        bb += y[k] * y[k];
      }
      return ab / Math.sqrt(aa * bb);
    };
    expect(e.similarity('kingz', 'king')).toBeCloseTo(cos(e.vector('kingz'), e.vector('king')), 12);
    expect(e.similarity('king', 'queen')).toBeCloseTo(cos(e.vector('king'), e.vector('queen')), 6);
    expect(e.nSimilarity(['kingz'], ['queen'])).toBeCloseTo(e.similarity('kingz', 'queen'), 12);
    expect(e.similarity('kingz', 'kingz')).toBeCloseTo(1, 6);
    // The odd one out: in-vocabulary and OOV alike.
    const words = ['king', 'kingz', 'queen', 'forest'];
    const odd = e.doesntMatch(words);
    const units = words.map((w) => e.unitVector(w));
    const mean = new Float64Array(e.dim);
    for (const u of units) for (let k = 0; k < e.dim; k++) mean[k] += u[k];
    const scores = units.map((u) => u.reduce((s, x, k) => s + x * mean[k], 0));
    expect(odd).toBe(words[scores.indexOf(Math.min(...scores))]);
    const cm = e.mostSimilarCosmul({ positive: ['kingz', 'woman'], negative: ['man'], topN: 3 });
    expect(cm).toHaveLength(3);
    expect(cm.every((c) => e.has(c.word) && Number.isFinite(c.score))).toBe(true);
  });

  it("evaluateWordPairs({ oov: 'ngrams' }) scores every pair; by default OOV pairs are skipped", async () => {
    const e = (await load('nn-skipgram.bin')).embeddings;
    const pairs: [string, string, number][] = [
      ['king', 'queen', 8],
      ['king', 'kingz', 9],
      ['forest', 'tree', 6],
      ['unfathomably', 'deep', 5],
      ['castle', 'gold', 3],
      ['said', 'wasm2vecification', 1],
    ];
    const skipped = await e.evaluateWordPairs(pairs);
    const all = await e.evaluateWordPairs(pairs, { oov: 'ngrams' });
    const unknown = pairs.filter(([a, b]) => !e.has(a) || !e.has(b)).length;
    expect(unknown).toBe(3);
    expect(skipped.pairs).toBe(pairs.length - unknown);
    expect(all.pairs).toBe(pairs.length);
    expect(all.oovRatio).toBeCloseTo(skipped.oovRatio, 10);
    expect(all.spearman).not.toBeCloseTo(skipped.spearman, 6);
    // Plain Embeddings have no n-grams to fall back on.
    const plain = new Embeddings(['a', 'b'], Float32Array.of(1, 0, 0, 1), 2);
    expect((await rejection(plain.evaluateWordPairs([['a', 'b', 1]], { oov: 'ngrams' }))).code).toBe('INVALID_OPTION');
    expect((await rejection(e.evaluateWordPairs(pairs, { oov: 'ngrams', dummy4unknown: true }))).code).toBe('INVALID_OPTION');
    expect((await rejection(e.evaluateWordPairs(pairs, { oov: 'guess' as 'skip' }))).code).toBe('INVALID_OPTION');
  });
});
