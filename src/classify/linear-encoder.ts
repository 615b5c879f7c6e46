import { addWordNgramBuckets, fastTextHash } from './linear-hash.js';

/** fastText ends every line with this word; it acts as a learned bias row shared by all texts. */
export const EOS = '</s>';

/** A growable Int32Array (training sets can hold tens of millions of ids). */
export class IntBuffer {
  private data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Turns tokens into input-row ids like fastText's Dictionary::getLine for supervised models: the ids
 * of in-vocabulary words in order, EOS last, then the hashed word n-grams (2..wordNgrams) over ALL
 * tokens' hashes, out-of-vocabulary ones included.
 *
 * Rows are compact: words take ids 0..nwords-1, and only the n-gram buckets the training data uses
 * get a materialised row (nwords + k for the k-th bucket first seen), instead of fastText's
 * nwords + 2M rows. A bucket first met at prediction time maps to the virtual id rows + bucket;
 * the kernel generates its never-trained initial vector, exactly what fastText's full matrix holds.
 */
export class LinearEncoder {
  private readonly wordIds = new Map<string, number>();
  private readonly wordHashes: Int32Array;
  private readonly bucketRows = new Map<number, number>();
  private readonly bucketList: number[];
  private frozen = false;

  constructor(readonly words: readonly string[], readonly wordNgrams: number, readonly buckets: number, usedBuckets: ArrayLike<number> = []) {
    this.wordHashes = new Int32Array(words.length);
    words.forEach((w, i) => { this.wordIds.set(w, i); this.wordHashes[i] = fastTextHash(w); });
    this.bucketList = Array.from(usedBuckets);
    this.bucketList.forEach((b, k) => this.bucketRows.set(b, words.length + k));
  }

  get nwords(): number {
    return this.words.length;
  }

  /** Materialised rows: words plus used buckets. */
  get rows(): number {
    return this.words.length + this.bucketList.length;
  }

  /** Bucket index of each materialised n-gram row, in row order. */
  usedBuckets(): Int32Array {
    return Int32Array.from(this.bucketList);
  }

  /** After training: unseen buckets map to virtual ids instead of new rows. */
  freeze(): void {
    this.frozen = true;
  }

  /** Appends the row ids of one text (its tokens, EOS added here) to `out`; returns how many. */
  encode(tokens: readonly string[], out: IntBuffer): number {
    const before = out.length;
    const hashes = this.wordNgrams > 1 ? new Int32Array(tokens.length + 1) : null;
    for (let i = 0; i <= tokens.length; i++) {
      const token = i < tokens.length ? tokens[i] : EOS;
      const id = this.wordIds.get(token);
      if (id !== undefined) out.push(id);
      if (hashes) hashes[i] = id !== undefined ? this.wordHashes[id] : fastTextHash(token);
    }
    if (hashes) {
      const grams: number[] = [];
      addWordNgramBuckets(hashes, this.wordNgrams, this.buckets, grams);
      for (const b of grams) {
        let row = this.bucketRows.get(b);
        if (row === undefined) {
          if (this.frozen) row = this.rows + b;
          else {
            row = this.rows;
            this.bucketRows.set(b, row);
            this.bucketList.push(b);
          }
        }
        out.push(row);
      }
    }
    return out.length - before;
  }
}
