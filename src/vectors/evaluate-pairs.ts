import { Wasm2VecError, describe } from '../errors.js';
import { boolOption, enumOption, intOption } from '../options.js';
import type { WordVectors } from './word-vectors.js';
import { parseWordPairs, readTextFile, type WordPair } from './eval-files.js';
import { pearson, spearman } from './statistics.js';

export interface WordPairsOptions {
  /** Compare words upper-cased, the most frequent case variant winning (gensim's default: true). */
  caseInsensitive?: boolean;
  /** Only the first N words count as known (gensim's default 300000). */
  restrictVocab?: number;
  /** Score pairs with unknown words as similarity 0 instead of skipping them (default false). */
  dummy4unknown?: boolean;
  /** Field separator of a pairs file (default TAB). */
  delimiter?: string;
  /**
   * Pairs with a word outside the (restricted) vocabulary: 'skip' (default; gensim's protocol, or 0
   * with dummy4unknown) or 'ngrams': score them with the words' character n-gram vectors, so every pair
   * counts (subword vectors only, e.g. FastText's embeddings). oovRatio still reports how many had one.
   */
  oov?: 'skip' | 'ngrams';
}

export interface WordPairsResult {
  /** Pearson's r between human scores and cosine similarities. */
  pearson: number;
  /** Spearman's ρ (ties get average ranks), the usual headline number. */
  spearman: number;
  /** Percentage (0–100, as gensim reports it) of pairs with a word outside the vocabulary. */
  oovRatio: number;
  /** Pairs that were scored. */
  pairs: number;
}

const KNOWN = new Set(['caseInsensitive', 'restrictVocab', 'dummy4unknown', 'delimiter', 'oov']);

/** Word -> row over the first `restrict` words; case-insensitive keys are upper-cased, first (most frequent) wins. */
export function knownWords(e: WordVectors, restrict: number, caseInsensitive: boolean): Map<string, number> {
  const ok = new Map<string, number>();
  const n = Math.min(e.size, restrict);
  for (let i = 0; i < n; i++) {
    const key = caseInsensitive ? e.words[i].toUpperCase() : e.words[i];
    if (!ok.has(key)) ok.set(key, i);
  }
  return ok;
}

export async function evaluateWordPairs(e: WordVectors, pathOrPairs: string | readonly WordPair[], options: WordPairsOptions = {}): Promise<WordPairsResult> {
  if (typeof options !== 'object' || options === null) throw new Wasm2VecError('INVALID_OPTION', 'evaluateWordPairs: options must be an object');
  for (const k of Object.keys(options)) if (!KNOWN.has(k)) throw new Wasm2VecError('INVALID_OPTION', `evaluateWordPairs: unknown option ${JSON.stringify(k)}`);
  const caseInsensitive = boolOption('caseInsensitive', options.caseInsensitive, true);
  const restrict = intOption('restrictVocab', options.restrictVocab, 300000, 1);
  const dummy = boolOption('dummy4unknown', options.dummy4unknown, false);
  const ngrams = enumOption('oov', options.oov, 'skip', ['skip', 'ngrams'] as const) === 'ngrams';
  if (ngrams && e.subwordVectors !== true) {
    throw new Wasm2VecError(
      'INVALID_OPTION',
      "option oov: 'ngrams' needs subword vectors (a FastText model's embeddings); these vectors have only their vocabulary",
    );
  }
  if (ngrams && dummy) throw new Wasm2VecError('INVALID_OPTION', "options oov: 'ngrams' and dummy4unknown contradict each other: give one");
  let pairs: readonly WordPair[];
  let source = 'pairs';
  if (typeof pathOrPairs === 'string') {
    source = pathOrPairs;
    pairs = parseWordPairs(await readTextFile(pathOrPairs, 'word pairs'), { delimiter: options.delimiter }).pairs;
  } else if (Array.isArray(pathOrPairs)) {
    pairs = pathOrPairs;
    pairs.forEach((p, i) => {
      if (!Array.isArray(p) || p.length !== 3 || typeof p[0] !== 'string' || typeof p[1] !== 'string' || typeof p[2] !== 'number') {
        throw new Wasm2VecError('INVALID_OPTION', `evaluateWordPairs: pair ${i} must be [word1, word2, score], got ${describe(p)}`);
      }
    });
  } else {
    throw new Wasm2VecError('INVALID_OPTION', `evaluateWordPairs: expected a file path or [word1, word2, score] pairs, got ${describe(pathOrPairs)}`);
  }
  const ok = knownWords(e, restrict, caseInsensitive);
  const gold: number[] = [];
  const model: number[] = [];
  let oov = 0;
  for (const [a0, b0, score] of pairs) {
    const a = caseInsensitive ? a0.toUpperCase() : a0,
      b = caseInsensitive ? b0.toUpperCase() : b0;
    const ia = ok.get(a),
      ib = ok.get(b);
    if (ia === undefined || ib === undefined) {
      oov++;
      if (ngrams) {
        // The known word as the vocabulary spells it (case variant), the unknown one as the file does.
        gold.push(score);
        model.push(e.similarity(ia === undefined ? a0 : e.words[ia], ib === undefined ? b0 : e.words[ib]));
        continue;
      }
      if (dummy) {
        gold.push(score);
        model.push(0);
      }
      continue;
    }
    gold.push(score);
    model.push(e.similarity(e.words[ia], e.words[ib]));
  }
  if (gold.length === 0) {
    throw new Wasm2VecError(
      'BAD_FORMAT',
      `${source}: no valid word pairs with both words in the vocabulary (${pairs.length} pairs read, ${oov} with unknown words)`,
    );
  }
  return {
    pearson: pearson(gold, model),
    spearman: spearman(gold, model),
    oovRatio: (oov / (dummy || ngrams ? gold.length : gold.length + oov)) * 100,
    pairs: dummy ? gold.length - oov : gold.length,
  };
}
