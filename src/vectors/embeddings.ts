import { Wasm2VecError } from '../errors.js';
import { importNode } from '../runtime/capabilities.js';

export interface ScoredWord { word: string; score: number }

/**
 * Word vectors: a vocabulary (by frequency rank when trained) and a dense row-major float32 matrix.
 * Unit-normalised rows are computed once, on first query, and cached.
 */
export class Embeddings {
  readonly words: readonly string[];
  readonly dim: number;
  /** Row-major [size × dim]. */
  readonly vectors: Float32Array;
  /** Corpus counts per word when known (trained models, or formats that carry them). */
  readonly counts?: Float64Array;
  private readonly index = new Map<string, number>();
  private normed: Float32Array | null = null;

  constructor(words: readonly string[], vectors: Float32Array, dim: number, options: { counts?: Float64Array } = {}) {
    if (!Number.isInteger(dim) || dim < 1) throw new Wasm2VecError('BAD_FORMAT', `embeddings: dim must be a positive integer, got ${dim}`);
    if (vectors.length !== words.length * dim) {
      throw new Wasm2VecError('BAD_FORMAT', `embeddings: ${words.length} words × dim ${dim} needs ${words.length * dim} floats, got ${vectors.length}`);
    }
    this.words = words;
    this.dim = dim;
    this.vectors = vectors;
    this.counts = options.counts;
    for (let i = 0; i < words.length; i++) {
      if (this.index.has(words[i])) throw new Wasm2VecError('BAD_FORMAT', `embeddings: duplicate word ${JSON.stringify(words[i])} at rows ${this.index.get(words[i])} and ${i}`);
      this.index.set(words[i], i);
    }
  }

  get size(): number {
    return this.words.length;
  }

  has(word: string): boolean {
    return this.index.has(word);
  }

  /** Row index of `word`, or -1. */
  indexOf(word: string): number {
    return this.index.get(word) ?? -1;
  }

  private rowOf(word: string): number {
    const i = this.index.get(word);
    if (i === undefined) throw new Wasm2VecError('NOT_FOUND', `word ${JSON.stringify(word)} is not in the vocabulary (${this.size} words)`);
    return i;
  }

  /** A copy of the word's vector; throws NOT_FOUND naming the word when it is out of vocabulary. */
  vector(word: string): Float32Array {
    const i = this.rowOf(word);
    return this.vectors.slice(i * this.dim, (i + 1) * this.dim);
  }

  /** Like vector() but returns undefined for an unknown word. */
  get(word: string): Float32Array | undefined {
    return this.has(word) ? this.vector(word) : undefined;
  }

  /** Unit-length rows (zero rows stay zero), computed once. */
  normalized(): Float32Array {
    if (!this.normed) {
      const d = this.dim;
      const out = new Float32Array(this.vectors.length);
      for (let r = 0; r < this.size; r++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += this.vectors[r * d + k] ** 2;
        const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
        for (let k = 0; k < d; k++) out[r * d + k] = this.vectors[r * d + k] * inv;
      }
      this.normed = out;
    }
    return this.normed;
  }

  similarity(a: string, b: string): number {
    const n = this.normalized();
    const i = this.rowOf(a) * this.dim, j = this.rowOf(b) * this.dim;
    let s = 0;
    for (let k = 0; k < this.dim; k++) s += n[i + k] * n[j + k];
    return s;
  }

  /** Nearest words by cosine to the mean of the positive (minus the negative) unit vectors. */
  mostSimilar(query: { positive: string[]; negative?: string[]; topN?: number; restrictVocab?: number }): ScoredWord[] {
    const { positive, negative = [], topN = 10 } = query;
    const limit = Math.min(this.size, query.restrictVocab ?? this.size);
    const n = this.normalized();
    const d = this.dim;
    const q = new Float64Array(d);
    const exclude = new Set<number>();
    for (const [words, sign] of [[positive, 1], [negative, -1]] as const) {
      for (const w of words) {
        const i = this.rowOf(w);
        exclude.add(i);
        for (let k = 0; k < d; k++) q[k] += sign * n[i * d + k];
      }
    }
    let qn = 0;
    for (let k = 0; k < d; k++) qn += q[k] * q[k];
    qn = Math.sqrt(qn) || 1;
    const best: ScoredWord[] = [];
    for (let r = 0; r < limit; r++) {
      if (exclude.has(r)) continue;
      let s = 0;
      for (let k = 0; k < d; k++) s += n[r * d + k] * q[k];
      s /= qn;
      if (best.length < topN || s > best[best.length - 1].score) {
        best.push({ word: this.words[r], score: s });
        best.sort((x, y) => y.score - x.score);
        if (best.length > topN) best.pop();
      }
    }
    return best;
  }

  /** Writes word2vec text format ("size dim" header, one word and its floats per line). */
  async save(target: string, options: { format?: 'word2vec-text' } = {}): Promise<void> {
    const format = options.format ?? 'word2vec-text';
    if (format !== 'word2vec-text') throw new Wasm2VecError('UNSUPPORTED', `save: format ${format} is not supported yet`);
    const fs = await importNode<typeof import('node:fs')>('node:fs');
    const out = fs.createWriteStream(target);
    const write = (s: string) => new Promise<void>((res, rej) => (out.write(s) ? res() : out.once('drain', res), out.once('error', rej)));
    await write(`${this.size} ${this.dim}\n`);
    const d = this.dim;
    for (let r = 0; r < this.size; r++) {
      let line = this.words[r];
      for (let k = 0; k < d; k++) line += ' ' + this.vectors[r * d + k];
      await write(line + '\n');
    }
    await new Promise<void>((res, rej) => out.end((e?: Error) => (e ? rej(e) : res())));
  }
}
