import { addWordNgramBuckets, fastTextHash } from './hash.js';

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

/** Bucket counts up to this get a flat bucket → row table (4 bytes per bucket); larger ones a Map. */
const FLAT_BUCKET_TABLE_MAX = 1 << 24;

/**
 * Turns texts into input-row ids like fastText's Dictionary::getLine for supervised models: the ids
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
  private readonly bucketTable: Int32Array | null;
  private readonly bucketMap: Map<number, number> | null;
  private readonly bucketList: number[];
  private frozen = false;
  private ids = new Int32Array(256);
  private hashes = new Int32Array(256);
  private readonly grams: number[] = [];

  constructor(
    readonly words: readonly string[],
    readonly wordNgrams: number,
    readonly buckets: number,
    usedBuckets: ArrayLike<number> = [],
  ) {
    this.wordHashes = new Int32Array(words.length);
    words.forEach((w, i) => {
      this.wordIds.set(w, i);
      this.wordHashes[i] = fastTextHash(w);
    });
    const flat = wordNgrams > 1 && buckets <= FLAT_BUCKET_TABLE_MAX;
    this.bucketTable = flat ? new Int32Array(buckets).fill(-1) : null;
    this.bucketMap = flat ? null : new Map();
    this.bucketList = Array.from(usedBuckets);
    this.bucketList.forEach((b, k) => this.setRow(b, words.length + k));
  }

  private rowOfBucket(b: number): number {
    return this.bucketTable ? this.bucketTable[b] : (this.bucketMap!.get(b) ?? -1);
  }

  private setRow(b: number, row: number): void {
    if (this.bucketTable) this.bucketTable[b] = row;
    else this.bucketMap!.set(b, row);
  }

  get nwords(): number {
    return this.words.length;
  }

  /** Materialised rows: words plus used buckets. */
  get rows(): number {
    return this.words.length + this.bucketList.length;
  }

  /** The fastText hash of word `id`. */
  wordHash(id: number): number {
    return this.wordHashes[id];
  }

  /** Bucket index of each materialised n-gram row, in row order. */
  usedBuckets(): Int32Array {
    return Int32Array.from(this.bucketList);
  }

  /** After training: unseen buckets map to virtual ids instead of new rows. */
  freeze(): void {
    this.frozen = true;
  }

  private reserve(n: number): void {
    if (this.ids.length < n) {
      this.ids = new Int32Array(n * 2);
      this.hashes = new Int32Array(n * 2);
    }
  }

  /** Appends the row ids of one text (its tokens; EOS is added here) to `out`; returns how many. */
  encode(tokens: readonly string[], out: IntBuffer): number {
    const n = tokens.length + 1;
    this.reserve(n);
    const ids = this.ids,
      hashes = this.hashes;
    for (let i = 0; i < n; i++) {
      const token = i < tokens.length ? tokens[i] : EOS;
      const id = this.wordIds.get(token);
      ids[i] = id ?? -1;
      hashes[i] = id !== undefined ? this.wordHashes[id] : fastTextHash(token);
    }
    return this.encodeIds(ids, hashes, n, out);
  }

  /**
   * The core of encode() for callers that already know each token's word id (-1 out of vocabulary)
   * and hash, EOS included as the last entry: training encodes from ids assigned while counting.
   */
  encodeIds(ids: ArrayLike<number>, hashes: ArrayLike<number>, n: number, out: IntBuffer): number {
    const before = out.length;
    for (let i = 0; i < n; i++) if (ids[i] >= 0) out.push(ids[i]);
    if (this.wordNgrams > 1) {
      const grams = this.grams;
      grams.length = 0;
      addWordNgramBuckets(hashes, this.wordNgrams, this.buckets, grams, n);
      for (let g = 0; g < grams.length; g++) {
        const b = grams[g];
        let row = this.rowOfBucket(b);
        if (row < 0) {
          if (this.frozen) row = this.rows + b;
          else {
            row = this.rows;
            this.setRow(b, row);
            this.bucketList.push(b);
          }
        }
        out.push(row);
      }
    }
    return out.length - before;
  }
}
