import { Embeddings } from '../../../src/vectors/embeddings.js';
import { evaluateAnalogies } from '../../../src/vectors/evaluate-analogies.js';
import type { FastTextModel } from '../../../src/train/fasttext/model.js';
import { wordVector } from '../../../src/train/fasttext/word-vectors.js';
import { repoData } from '../../helpers/data.js';

/**
 * How the FastText quality checks judge a model, ours or Debian fastText's (read from its .bin), on the
 * same terms: the Google analogies' sections over in-vocabulary vectors (fastText's word vectors:
 * word row and n-gram rows averaged), and misspelt out-of-vocabulary words whose n-gram vector should
 * land near the word meant.
 */

/** Misspellings (none in the slice's vocabulary) and the word each means. */
export const MISSPELLINGS: readonly (readonly [string, string])[] = [
  ['kingdon', 'kingdom'],
  ['goverment', 'government'],
  ['philosphy', 'philosophy'],
  ['languge', 'language'],
  ['histroy', 'history'],
  ['politcal', 'political'],
  ['relegion', 'religion'],
  ['mathematcs', 'mathematics'],
  ['europen', 'european'],
  ['americn', 'american'],
  ['chrisitan', 'christian'],
  ['presidnet', 'president'],
  ['countires', 'countries'],
  ['differnt', 'different'],
  ['importnt', 'important'],
  ['numbr', 'number'],
  ['populaton', 'population'],
  ['scienctific', 'scientific'],
  ['univeristy', 'university'],
  ['musicial', 'musical'],
];

export const ANALOGIES = repoData('en-google-analogy/questions-words.txt');

/** The in-vocabulary words with their fastText word vectors. */
export function wordEmbeddings(model: FastTextModel): Embeddings {
  const d = model.dictionary;
  const dim = model.args.dim;
  const words = d.words.slice(0, d.nwords);
  const vectors = new Float32Array(words.length * dim);
  for (let i = 0; i < words.length; i++) wordVector(model, words[i], vectors.subarray(i * dim, (i + 1) * dim));
  return new Embeddings(words, vectors, dim);
}

export interface FastTextQuality {
  /** Google analogies, syntactic ("gram…") sections, restrict_vocab 30000. */
  syntactic: number;
  semantic: number;
  covered: number;
  /** Misspellings whose intended word is among the 10 in-vocabulary words nearest their n-gram vector. */
  oovTop10: number;
  /** Misspellings that were in the vocabulary after all (the list assumes none). */
  oovInVocabulary: string[];
}

export async function fastTextQuality(model: FastTextModel, threads = 1): Promise<FastTextQuality> {
  const e = wordEmbeddings(model);
  const a = await evaluateAnalogies(e, ANALOGIES, { threads });
  let hits = 0;
  const inVocabulary: string[] = [];
  for (const [wrong, meant] of MISSPELLINGS) {
    if (model.dictionary.id(wrong) >= 0) inVocabulary.push(wrong);
    const v = wordVector(model, wrong).vector;
    const top = e.mostSimilar({ positive: [v], topN: 10 });
    if (top.some((s) => s.word === meant)) hits++;
  }
  return { syntactic: a.syntactic, semantic: a.semantic, covered: a.covered, oovTop10: hits / MISSPELLINGS.length, oovInVocabulary: inVocabulary };
}
