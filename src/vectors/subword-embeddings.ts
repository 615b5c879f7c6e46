import { Wasm2VecError, describe } from '../errors.js';
import type { FastTextModel } from '../train/fasttext/model.js';
import { fastTextTokens, lineRows } from '../train/fasttext/supervised.js';
import { type Ngram, ngrams, wordRows, wordVector } from '../train/fasttext/word-vectors.js';
import { Embeddings } from './embeddings.js';
import type { BatchOptions, MostSimilarQuery, QueryTerm, ScoredWord } from './word-vectors.js';

export type { Ngram };

/** What the vectors are computed from: fastText's args, dictionary and input matrix (never copied). */
export type SubwordModel = Pick<FastTextModel, 'args' | 'dictionary' | 'input'>;

export interface SubwordEmbeddingsOptions {
  /**
   * Called once per distinct word that has no row at all (not in the vocabulary, and every n-gram
   * bucket pruned from a .ftz, or a model without n-grams): its vector is zeros, as fastText prints.
   * Default: console.warn.
   */
  onWarning?: (message: string) => void;
  /** What loading reported, kept in `warnings`. */
  warnings?: readonly string[];
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** gensim's name for an entry that is not UTF-8 (errors='backslashreplace'): valid characters as text, other bytes as \xNN. */
function backslashReplace(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let text: string | null = null;
    if (len > 0 && i + len <= bytes.length) {
      try {
        text = strictUtf8.decode(bytes.subarray(i, i + len));
      } catch {
        text = null;
      }
    }
    if (text === null) {
      out += `\\x${b.toString(16).padStart(2, '0')}`;
      i++;
    } else {
      out += text;
      i += len;
    }
  }
  return out;
}

/**
 * The in-vocabulary part of a fastText model as an Embeddings: every word's vector precomputed as
 * fastText computes it (the mean of its own row and its character n-gram rows: fastText's
 * precomputeWordVectors, gensim's `vectors`), with the model's counts and, where possible, its
 * dictionary's word map shared rather than rebuilt. Entries that are not valid UTF-8 are named as
 * gensim names them (invalid bytes as \xNN).
 */
function vocabularyPart(model: SubwordModel): { words: readonly string[]; vectors: Float32Array; counts: Float64Array; index?: Map<string, number> } {
  const { dictionary: d, args } = model;
  const dim = args.dim;
  const n = d.nwords;
  const index = d.wordIndex();
  let words: readonly string[] = d.words;
  if (!index) {
    const named = d.words.slice(0, n);
    for (let i = 0; i < n; i++) {
      const raw = d.rawBytes(i);
      if (raw) named[i] = backslashReplace(raw);
    }
    words = named;
  }
  checkNgramWork(model);
  const vectors = new Float32Array(n * dim);
  const input = model.input;
  for (let i = 0; i < n; i++) {
    const raw = d.rawBytes(i);
    const rows = wordRows(model, raw ?? d.words[i]);
    const v = vectors.subarray(i * dim, (i + 1) * dim);
    for (const r of rows) input.addRowToVector(v, r);
    const a = Math.fround(1 / rows.length);
    for (let j = 0; j < dim; j++) v[j] *= a;
    if (!finite(v)) throw overflow(model, d.words[i], 'BAD_FORMAT');
  }
  return { words, vectors, counts: d.counts.subarray(0, n), index: index ?? undefined };
}

/**
 * Precomputing the vocabulary's vectors adds every word's n-gram rows: a word of L characters has
 * about L · (maxn - minn + 1) of them. Real models have a few dozen per word (cc.en.300: ~6); a
 * damaged or hostile file (a megabyte-long entry with maxn 100) could ask for billions, which would
 * hang the load. More than this many per word on average plus a fixed allowance is refused.
 */
const NGRAMS_PER_WORD = 256;
const NGRAM_ALLOWANCE = 1 << 24;

function checkNgramWork(model: SubwordModel): void {
  const { dictionary: d, args } = model;
  if (args.maxn <= 0 || args.bucket <= 0) return;
  const span = args.maxn - Math.max(args.minn, 1) + 1;
  if (span <= 0) return;
  let total = 0;
  let longest = 0;
  for (let i = 0; i < d.nwords; i++) {
    // UTF-16 units (or bytes of an invalid entry) bound the characters from above; +2 for "<" and ">".
    const len = (d.rawBytes(i)?.length ?? d.words[i].length) + 2;
    if (len > longest) longest = len;
    total += len * span;
  }
  if (total > NGRAMS_PER_WORD * d.nwords + NGRAM_ALLOWANCE) {
    throw new Wasm2VecError(
      'BAD_FORMAT',
      `fastText model: its ${d.nwords.toLocaleString('en-US')} words would have up to ${total.toLocaleString('en-US')} character n-grams of ` +
        `${args.minn}..${args.maxn} characters (the longest word ${longest - 2} characters): far beyond any real model; a damaged args.maxn or dictionary`,
    );
  }
}

const SPACE = /[ \t\n\v\f\r]+/;

/**
 * fastText word vectors where every word has a vector: an in-vocabulary word's is its precomputed row
 * (the inherited Embeddings matrix, `vectors`), any other word's is the mean of its character n-gram
 * rows, computed on request from the model's input matrix (held, not copied: float32, float16 or
 * product-quantized). Queries that take words (`vector`, `similarity`, `mostSimilar`, `analogy`,
 * `doesntMatch`, `nSimilarity`, `mostSimilarCosmul`) accept out-of-vocabulary words; candidates are
 * the in-vocabulary words, as in fastText's nn/analogies and gensim. `has`/`indexOf` still answer
 * for the vocabulary. Saving to a word format writes the in-vocabulary words.
 */
export class SubwordEmbeddings extends Embeddings {
  /** vector(), similarity() and the queries accept any word (evaluators score OOV pairs with it). */
  readonly subwordVectors = true;
  private readonly model: SubwordModel;
  private readonly onWarning: (message: string) => void;
  private readonly warned = new Set<string>();

  constructor(model: SubwordModel, options: SubwordEmbeddingsOptions = {}) {
    if (options.onWarning !== undefined && typeof options.onWarning !== 'function') {
      throw new Wasm2VecError('INVALID_OPTION', `option onWarning: expected a function, got ${describe(options.onWarning)}`);
    }
    const part = vocabularyPart(model);
    super(part.words, part.vectors, model.args.dim, { counts: part.counts, index: part.index, warnings: [...(options.warnings ?? [])] });
    this.model = model;
    this.onWarning = options.onWarning ?? ((m) => console.warn(`wasm2vec: ${m}`));
  }

  /** fastText's minn, maxn and bucket: the character n-grams every word is made of. */
  get subwords(): { minn: number; maxn: number; bucket: number } {
    const { minn, maxn, bucket } = this.model.args;
    return { minn, maxn, bucket };
  }

  private checkWord(word: unknown, what: string): string {
    if (typeof word !== 'string') throw new Wasm2VecError('INVALID_OPTION', `${what}: expected a word (string), got ${describe(word)}`);
    return word;
  }

  /** The word's vector computed from the model (its rows' mean), warning once for a word without rows. */
  private computed(word: string, out?: Float32Array): Float32Array {
    const r = wordVector(this.model, word, out);
    if (!finite(r.vector)) throw overflow(this.model, word, 'NUMERIC');
    if (r.rows === 0 && !this.warned.has(word)) {
      this.warned.add(word);
      const { minn, maxn } = this.model.args;
      const why =
        maxn === 0
          ? 'the model has no character n-grams (maxn 0)'
          : this.model.dictionary.pruned
            ? 'its n-gram buckets were all pruned from this quantized model'
            : `it has no n-grams of ${minn}..${maxn} characters`;
      this.onWarning(`word ${JSON.stringify(word)} is not in the vocabulary and ${why}: its vector is zeros (as fastText gives)`);
    }
    return r.vector;
  }

  /** Any word's vector (a copy): the in-vocabulary row, else the mean of its n-gram rows (zeros, with a warning, when it has none). */
  override vector(word: string): Float32Array {
    const w = this.checkWord(word, 'vector');
    const i = this.indexOf(w);
    return i >= 0 ? this.vectors.slice(i * this.dim, (i + 1) * this.dim) : this.computed(w);
  }

  /** Like vector(), but undefined for a word that has no row at all (instead of zeros and a warning). */
  override get(word: string): Float32Array | undefined {
    const w = this.checkWord(word, 'get');
    if (this.indexOf(w) >= 0) return this.vector(w);
    const r = wordVector(this.model, w);
    return r.rows > 0 ? r.vector : undefined;
  }

  /** True when the word is in the vocabulary or has at least one n-gram row. */
  hasVector(word: string): boolean {
    const w = this.checkWord(word, 'hasVector');
    return this.indexOf(w) >= 0 || wordRows(this.model, w).length > 0;
  }

  /** The word's own entry (in vocabulary) and character n-grams in fastText's order, with their buckets and input rows (null: pruned). */
  ngrams(word: string): Ngram[] {
    return ngrams(this.model, this.checkWord(word, 'ngrams'));
  }

  override unitVector(word: string): Float32Array {
    const w = this.checkWord(word, 'unitVector');
    if (this.indexOf(w) >= 0) return super.unitVector(w);
    return unit(this.computed(w));
  }

  override similarity(a: string, b: string): number {
    const wa = this.checkWord(a, 'similarity');
    const wb = this.checkWord(b, 'similarity');
    if (this.indexOf(wa) >= 0 && this.indexOf(wb) >= 0) return super.similarity(wa, wb);
    return cosine(this.vector(wa), this.vector(wb));
  }

  override nSimilarity(a: readonly string[], b: readonly string[]): number {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length === 0 || b.length === 0) {
      throw new Wasm2VecError('INVALID_OPTION', 'nSimilarity: both word lists must be non-empty arrays');
    }
    const mean = (ws: readonly string[]) => {
      const m = new Float64Array(this.dim);
      for (const w of ws) {
        const v = this.vector(w);
        for (let k = 0; k < this.dim; k++) m[k] += v[k];
      }
      return m;
    };
    return cosine(mean(a), mean(b));
  }

  /** Out-of-vocabulary words of a query become their unit vectors (what an in-vocabulary word contributes). */
  private mapTerms(list: QueryTerm[] | QueryTerm | undefined): QueryTerm[] | QueryTerm | undefined {
    const one = (t: QueryTerm): QueryTerm => (typeof t === 'string' && this.indexOf(t) < 0 ? unit(this.computed(t)) : t);
    if (typeof list === 'string') return one(list);
    if (!Array.isArray(list) || (list.length > 0 && typeof list[0] === 'number')) return list;
    return (list as QueryTerm[]).map(one);
  }

  private mapQuery(q: MostSimilarQuery): MostSimilarQuery {
    if (typeof q !== 'object' || q === null) return q;
    const mapped: MostSimilarQuery = { ...q, positive: this.mapTerms(q.positive) as QueryTerm[] | QueryTerm };
    if (q.negative !== undefined) mapped.negative = this.mapTerms(q.negative);
    return mapped;
  }

  override mostSimilar(query: MostSimilarQuery): ScoredWord[] {
    return super.mostSimilar(this.mapQuery(query));
  }

  override mostSimilarBatch(queries: readonly MostSimilarQuery[], options: BatchOptions = {}): Promise<ScoredWord[][]> {
    return super.mostSimilarBatch(Array.isArray(queries) ? queries.map((q) => this.mapQuery(q)) : queries, options);
  }

  override mostSimilarCosmul(query: MostSimilarQuery): ScoredWord[] {
    return super.mostSimilarCosmul(this.mapQuery(query));
  }

  /** The word farthest from the mean of the words' unit vectors (gensim's doesnt_match; OOV words by their n-grams). */
  override doesntMatch(words: readonly string[]): string {
    if (!Array.isArray(words) || words.length === 0) throw new Wasm2VecError('INVALID_OPTION', 'doesntMatch: give a non-empty array of words');
    const rows = words.map((w) => this.unitVector(w));
    const d = this.dim;
    const mean = new Float64Array(d);
    for (const r of rows) for (let k = 0; k < d; k++) mean[k] += r[k];
    let n = 0;
    for (let k = 0; k < d; k++) n += mean[k] * mean[k];
    n = Math.sqrt(n) || 1;
    let worst = '';
    let worstScore = Infinity;
    rows.forEach((r, i) => {
      let s = 0;
      for (let k = 0; k < d; k++) s += r[k] * (mean[k] / n);
      if (s < worstScore || (s === worstScore && words[i] < worst)) {
        worst = words[i];
        worstScore = s;
      }
    });
    return worst;
  }

  /**
   * fastText's sentence vector (FastText::getSentenceVector). Unsupervised models: the mean of the
   * unit-length vectors of the whitespace-separated words (words whose vector is zero are left out; no
   * `</s>`), float32 in fastText's order. Supervised models: the mean of the line's input rows (words,
   * their n-grams, word n-grams and the `</s>` that ends the line), as the classifier's hidden layer.
   * Zeros when nothing contributes.
   */
  sentenceVector(text: string): Float32Array {
    if (typeof text !== 'string') throw new Wasm2VecError('INVALID_OPTION', `sentenceVector: expected a string, got ${describe(text)}`);
    const dim = this.dim;
    const out = new Float32Array(dim);
    if (this.model.args.model === 'supervised') {
      const rows = lineRows(this.model, fastTextTokens(text));
      for (const r of rows) this.model.input.addRowToVector(out, r);
      if (rows.length > 0) {
        const a = Math.fround(1 / rows.length);
        for (let j = 0; j < dim; j++) out[j] *= a;
      }
      return out;
    }
    const v = new Float32Array(dim);
    let count = 0;
    for (const word of text.split(SPACE)) {
      if (!word) continue;
      wordVector(this.model, word, v);
      // Vector::norm: a float32 sum of squares; then mul(1.0 / norm) with the quotient in double.
      let sum = 0;
      for (let j = 0; j < dim; j++) sum = Math.fround(sum + Math.fround(v[j] * v[j]));
      const norm = Math.fround(Math.sqrt(sum));
      if (norm > 0) {
        const a = Math.fround(1 / norm);
        for (let j = 0; j < dim; j++) out[j] += Math.fround(v[j] * a);
        count++;
      }
    }
    if (count > 0) {
      const a = Math.fround(1 / count);
      for (let j = 0; j < dim; j++) out[j] *= a;
    }
    return out;
  }
}

function finite(v: Float32Array): boolean {
  for (let k = 0; k < v.length; k++) if (v[k] - v[k] !== 0) return false;
  return true;
}

/** Finite weights whose float32 sum is not (magnitudes near 3.4e38): only a damaged matrix has them. */
function overflow(model: SubwordModel, word: string, code: 'BAD_FORMAT' | 'NUMERIC'): Wasm2VecError {
  return new Wasm2VecError(
    code,
    `fastText model: the vector of ${JSON.stringify(word)} overflows float32 (its ${model.input.kind} input rows hold weights near the float32 limit): a damaged matrix`,
  );
}

function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (let k = 0; k < v.length; k++) n += v[k] * v[k];
  n = Math.sqrt(n);
  const out = new Float32Array(v.length);
  if (n > 0) for (let k = 0; k < v.length; k++) out[k] = v[k] / n;
  return out;
}

function cosine(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < x.length; k++) {
    ab += x[k] * y[k];
    aa += x[k] * x[k];
    bb += y[k] * y[k];
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}
