import { Wasm2VecError, describe } from '../../errors.js';
import { EOS } from './args.js';
import type { FastTextModel } from './model.js';
import { forEachNgram, forEachNgramOfBytes } from './subwords.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

type Model = Pick<FastTextModel, 'args' | 'dictionary' | 'input'>;

/** A word as looked up: its entry id (or -1) and what its n-grams are computed from. */
interface Resolved {
  id: number;
  text: string | null;
  bytes: Uint8Array | null;
  eos: boolean;
}

/**
 * A word is a string (its UTF-8 is what fastText hashes), or bytes, for words that are not valid UTF-8
 * (fastText reads bytes: a model trained on Latin-1 text has such entries). Words are used as given:
 * fastText does not lowercase or normalise, and a word containing whitespace can never be in its
 * vocabulary (its tokenizer splits there).
 */
function resolve(model: Model, word: string | Uint8Array): Resolved {
  const d = model.dictionary;
  if (typeof word !== 'string' && !(word instanceof Uint8Array)) {
    throw new Wasm2VecError('INVALID_OPTION', `fastText word: expected a string or Uint8Array, got ${describe(word)}`);
  }
  const id = d.id(word);
  if (id >= 0) {
    const raw = d.rawBytes(id);
    return { id, text: raw ? null : d.words[id], bytes: raw ?? null, eos: d.words[id] === EOS && !raw };
  }
  if (typeof word === 'string') return { id, text: word, bytes: null, eos: word === EOS };
  try {
    const text = strictUtf8.decode(word);
    return { id, text, bytes: null, eos: text === EOS };
  } catch {
    return { id, text: null, bytes: word, eos: false };
  }
}

/**
 * The input-matrix rows whose mean is the word's vector, as fastText's Dictionary::getSubwords(word):
 * the word's own row when it is in the vocabulary, then the rows of its character n-grams (bucket
 * nwords + hash % bucket, remapped or dropped by a .ftz's pruneidx). EOS ("</s>") has no n-grams. An
 * empty list means fastText's zero vector.
 */
export function wordRows(model: Model, word: string | Uint8Array): number[] {
  return rowsOf(model, word).rows;
}

function rowsOf(model: Model, word: string | Uint8Array): { rows: number[]; id: number } {
  const r = resolve(model, word);
  const rows: number[] = [];
  if (r.id >= 0) rows.push(r.id);
  if (r.eos) return { rows, id: r.id };
  const { minn, maxn, bucket } = model.args;
  const d = model.dictionary;
  const push = (b: number) => {
    const row = d.bucketRow(b);
    if (row >= 0) rows.push(row);
  };
  if (r.text !== null) forEachNgram(r.text, minn, maxn, bucket, push);
  else forEachNgramOfBytes(r.bytes!, minn, maxn, bucket, push);
  return { rows, id: r.id };
}

export interface WordVector {
  vector: Float32Array;
  /** Rows averaged; 0 means the vector is zeros because the word has no row (fastText prints zeros too). */
  rows: number;
  inVocabulary: boolean;
}

/**
 * A word's input vector as fastText computes it (FastText::getWordVector): the float32 sum of its rows
 * in order, then multiplied by float32(1/n) (Vector::mul), so it matches fastText bit for bit. A word
 * without rows (a pruned .ftz, or a model without n-grams) gets zeros and rows = 0, so the caller can
 * warn. `out` (dim floats) is overwritten when given.
 */
export function wordVector(model: Model, word: string | Uint8Array, out?: Float32Array): WordVector {
  const dim = model.args.dim;
  if (out !== undefined && (!(out instanceof Float32Array) || out.length !== dim)) {
    throw new Wasm2VecError('INVALID_OPTION', `wordVector: out must be a Float32Array of ${dim} floats, got ${describe(out)}`);
  }
  const vector = out ?? new Float32Array(dim);
  vector.fill(0);
  const { rows, id } = rowsOf(model, word);
  for (const row of rows) model.input.addRowToVector(vector, row);
  if (rows.length > 0) {
    const a = Math.fround(1 / rows.length);
    for (let j = 0; j < dim; j++) vector[j] *= a;
  }
  return { vector, rows: rows.length, inVocabulary: id >= 0 };
}

export interface Ngram {
  /** The n-gram with its "<" / ">" boundary marks, or the word itself for its own row. */
  text: string;
  /** 'word' for the word's own row (in vocabulary only), else 'ngram'. */
  kind: 'word' | 'ngram';
  /** Hash bucket (0..bucket-1) of an n-gram; null for the word's own row. */
  bucket: number | null;
  /** Input-matrix row, or null when a pruned .ftz dropped the bucket. */
  row: number | null;
}

/**
 * The word's own entry (when in the vocabulary) and its character n-grams in fastText's order, with
 * their buckets and rows; pruned n-grams are listed with row null (fastText's print-ngrams leaves them
 * out). Text of n-grams of a word that is not valid UTF-8 is decoded with U+FFFD replacements.
 */
export function ngrams(model: Model, word: string | Uint8Array): Ngram[] {
  const r = resolve(model, word);
  const d = model.dictionary;
  const out: Ngram[] = [];
  if (r.id >= 0) out.push({ text: d.words[r.id], kind: 'word', bucket: null, row: r.id });
  if (r.eos) return out;
  const { minn, maxn, bucket } = model.args;
  const add = (b: number, text: string) => {
    const row = d.bucketRow(b);
    out.push({ text, kind: 'ngram', bucket: b, row: row >= 0 ? row : null });
  };
  if (r.text !== null) forEachNgram(r.text, minn, maxn, bucket, add);
  else forEachNgramOfBytes(r.bytes!, minn, maxn, bucket, (b, g) => add(b, lenientUtf8.decode(g)));
  return out;
}
