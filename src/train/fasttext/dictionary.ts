import { Wasm2VecError, describe } from '../../errors.js';
import { type ByteCursor, badField } from './byte-cursor.js';

/** A word longer than this means a missing NUL terminator, not a real vocabulary entry. */
export const MAX_WORD_BYTES = 1 << 20;
/** fastText's ids are int32: words + labels + buckets must stay below 2^31. */
export const MAX_ROWS = 0x7fffffff;
/** Smallest dictionary entry: a 1-byte word, its NUL, the int64 count and the int8 type. */
const MIN_ENTRY_BYTES = 11;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');
const encoder = new TextEncoder();

export interface DictionaryParts {
  /** nwords words (most frequent first, as fastText sorts them), then nlabels labels. */
  words: string[];
  counts: ArrayLike<number>;
  nwords: number;
  nlabels: number;
  /** Tokens of the training corpus (fastText stores it; nothing reads it back). */
  ntokens: number;
  /**
   * A quantized model's kept n-gram buckets (Dictionary::prune): bucket keys[i] is row nwords + values[i]
   * of the input matrix; a bucket not listed has no row. null = not pruned (every bucket has its row).
   */
  prune?: { keys: Int32Array; values: Int32Array } | null;
  /** Entries whose stored bytes are not valid UTF-8: entry id -> the raw bytes (words[id] is their lenient decoding). */
  rawBytes?: Map<number, Uint8Array>;
  /**
   * word -> id of every entry not in rawBytes, already checked for duplicates (the reader builds it
   * while parsing; building a map of millions of words twice costs seconds). Taken over, not copied.
   */
  index?: Map<string, number>;
}

/**
 * fastText's Dictionary as a .bin stores it (dictionary.cc, Dictionary::save): word and label entries
 * with their counts, and for pruned (.ftz) models the bucket remapping `pruneidx`. Words are looked up
 * by their UTF-8 text; an entry whose bytes were not valid UTF-8 keeps them so its n-grams hash the
 * bytes fastText hashed.
 */
export class FastTextDictionary {
  readonly words: readonly string[];
  readonly counts: Float64Array;
  readonly nwords: number;
  readonly nlabels: number;
  readonly ntokens: number;
  /** -1: not pruned; 0: pruned to no n-gram at all; n: n buckets kept. */
  readonly pruneidxSize: number;
  /** pruneidx pairs in file order (kept so a rewrite is byte-identical). */
  readonly pruneKeys: Int32Array;
  readonly pruneValues: Int32Array;
  private readonly pruneMap: Map<number, number> | null;
  private readonly index: Map<string, number>;
  private readonly raw: Map<number, Uint8Array>;
  private readonly rawIndex = new Map<string, number>();
  /** What construction noticed (lenient decodings that collide). */
  readonly warnings: string[] = [];

  constructor(parts: DictionaryParts) {
    const { words, nwords, nlabels, ntokens } = parts;
    const what = 'FastTextDictionary';
    if (!Array.isArray(words)) throw new Wasm2VecError('INVALID_OPTION', `${what}: words must be an array, got ${describe(words)}`);
    if (!Number.isInteger(nwords) || !Number.isInteger(nlabels) || nwords < 0 || nlabels < 0 || nwords + nlabels !== words.length) {
      throw new Wasm2VecError('INVALID_OPTION', `${what}: ${words.length} entries but nwords ${nwords} + nlabels ${nlabels}`);
    }
    if (parts.counts.length !== words.length) {
      throw new Wasm2VecError('INVALID_OPTION', `${what}: ${words.length} entries but ${parts.counts.length} counts`);
    }
    if (!Number.isSafeInteger(ntokens) || ntokens < 0) throw new Wasm2VecError('INVALID_OPTION', `${what}: ntokens ${ntokens} is not a count`);
    this.words = words;
    this.counts = Float64Array.from(parts.counts);
    this.nwords = nwords;
    this.nlabels = nlabels;
    this.ntokens = ntokens;
    this.raw = parts.rawBytes ?? new Map();
    for (const [id, bytes] of this.raw) this.rawIndex.set(latin1.decode(bytes), id);
    if (parts.index) {
      if (parts.index.size + this.raw.size !== words.length) {
        throw new Wasm2VecError('INVALID_OPTION', `${what}: the index has ${parts.index.size} words for ${words.length - this.raw.size} entries`);
      }
      this.index = parts.index;
    } else {
      this.index = new Map();
      for (let i = 0; i < words.length; i++) {
        if (this.raw.has(i)) continue;
        const prev = this.index.get(words[i]);
        if (prev !== undefined) throw new Wasm2VecError('INVALID_OPTION', `${what}: duplicate entry ${JSON.stringify(words[i])} (${prev} and ${i})`);
        this.index.set(words[i], i);
      }
    }
    // Entries that are not valid UTF-8 answer to their lenient decoding too, unless a real word has it.
    for (const id of this.raw.keys()) {
      const prev = this.index.get(words[id]);
      if (prev === undefined) this.index.set(words[id], id);
      else this.warnings.push(`entry ${id} is not valid UTF-8 and decodes to ${JSON.stringify(words[id])} like entry ${prev}; look it up by its bytes`);
    }
    const prune = parts.prune ?? null;
    if (prune) {
      if (prune.keys.length !== prune.values.length) throw new Wasm2VecError('INVALID_OPTION', `${what}: pruneidx keys and values differ in length`);
      this.pruneKeys = prune.keys;
      this.pruneValues = prune.values;
      this.pruneMap = new Map();
      for (let i = 0; i < prune.keys.length; i++) this.pruneMap.set(prune.keys[i], prune.values[i]);
      this.pruneidxSize = prune.keys.length;
    } else {
      this.pruneKeys = new Int32Array(0);
      this.pruneValues = new Int32Array(0);
      this.pruneMap = null;
      this.pruneidxSize = -1;
    }
  }

  get size(): number {
    return this.words.length;
  }

  /** True for a pruned (.ftz -cutoff) dictionary. */
  get pruned(): boolean {
    return this.pruneidxSize >= 0;
  }

  /**
   * The entry id of a word or label (given as text, or as the exact bytes of an entry that is not valid
   * UTF-8), or -1.
   */
  id(word: string | Uint8Array): number {
    if (typeof word === 'string') return this.index.get(word) ?? -1;
    if (this.raw.size) {
      const r = this.rawIndex.get(latin1.decode(word));
      if (r !== undefined) return r;
    }
    let text: string;
    try {
      text = strictUtf8.decode(word);
    } catch {
      return -1;
    }
    return this.index.get(text) ?? -1;
  }

  /** An entry's bytes as the file stores them. */
  bytes(id: number): Uint8Array {
    return this.raw.get(id) ?? encoder.encode(this.words[id]);
  }

  /**
   * The word -> id map itself when it maps exactly the entries (no labels, every entry valid UTF-8),
   * so a vector store over the words can share it instead of building a second map of millions of
   * words; null otherwise. Do not modify it.
   */
  wordIndex(): Map<string, number> | null {
    return this.nlabels === 0 && this.raw.size === 0 && this.index.size === this.words.length ? this.index : null;
  }

  /** The raw bytes of an entry that is not valid UTF-8, else undefined. */
  rawBytes(id: number): Uint8Array | undefined {
    return this.raw.get(id);
  }

  isLabel(id: number): boolean {
    return id >= this.nwords;
  }

  /** Label `i` (0..nlabels-1) as stored, prefix included. */
  label(i: number): string {
    return this.words[this.nwords + i];
  }

  /**
   * The input-matrix row of hash bucket `b` (fastText's Dictionary::pushHash): nwords + b, remapped
   * through pruneidx for a pruned model, or -1 when pruning dropped the bucket.
   */
  bucketRow(b: number): number {
    if (this.pruneMap === null) return this.nwords + b;
    const v = this.pruneMap.get(b);
    return v === undefined ? -1 : this.nwords + v;
  }
}

/** Reads the dictionary at the cursor, checking every count against the bytes that follow. */
export async function readDictionary(cur: ByteCursor, bucket: number): Promise<FastTextDictionary> {
  const name = cur.name;
  const start = cur.offset;
  await cur.need(28, 'dictionary header');
  const size = cur.int32();
  const nwords = cur.int32();
  const nlabels = cur.int32();
  const ntokens = cur.int64();
  const pruneidxSize = cur.int64();
  if (size < 0) throw badField(name, start, 'dictionary.size', `${size} entries is negative`);
  if (nwords < 0) throw badField(name, start + 4, 'dictionary.nwords', `${nwords} is negative`);
  if (nlabels < 0) throw badField(name, start + 8, 'dictionary.nlabels', `${nlabels} is negative`);
  if (nwords + nlabels !== size) {
    throw badField(name, start, 'dictionary.size', `${size} entries, but nwords ${nwords} + nlabels ${nlabels} = ${nwords + nlabels}`);
  }
  if (!Number.isSafeInteger(ntokens) || ntokens < 0) throw badField(name, start + 12, 'dictionary.ntokens', `${ntokens} is not a token count`);
  if (!Number.isSafeInteger(pruneidxSize) || pruneidxSize < -1) {
    throw badField(name, start + 20, 'dictionary.pruneidx_size', `${pruneidxSize} (must be -1, not pruned, or a count)`);
  }
  if (pruneidxSize > bucket) {
    throw badField(name, start + 20, 'dictionary.pruneidx_size', `${pruneidxSize} kept buckets, more than the model's ${bucket} buckets`);
  }
  const remaining = cur.remaining;
  const least = size * MIN_ENTRY_BYTES + Math.max(0, pruneidxSize) * 8;
  if (remaining !== undefined && least > remaining) {
    throw badField(
      name,
      start,
      'dictionary.size',
      `${size} entries and ${Math.max(0, pruneidxSize)} pruneidx pairs need at least ` + `${least} bytes, but only ${remaining} follow`,
    );
  }

  const words: string[] = [];
  const counts: number[] = [];
  const rawBytes = new Map<number, Uint8Array>();
  const rawSeen = new Map<string, number>();
  const seen = new Map<string, number>();
  for (let i = 0; i < size; i++) {
    const what = i < nwords ? `dictionary word ${i}` : `dictionary label ${i - nwords}`;
    let nul: number;
    for (;;) {
      const b = cur.bytes;
      nul = b.indexOf(0, cur.pos);
      if (nul >= 0 && nul - cur.pos > MAX_WORD_BYTES) break;
      if (nul >= 0 && nul + 10 <= b.length) break;
      if (nul < 0 && cur.available > MAX_WORD_BYTES) break;
      if (!(await cur.more())) throw cur.truncated(what, nul < 0 ? 10 : nul + 10 - cur.bytes.length);
    }
    const at = cur.offset;
    if (nul < 0 || nul - cur.pos > MAX_WORD_BYTES) {
      throw badField(name, at, what, `no NUL terminator within ${MAX_WORD_BYTES} bytes (a misaligned entry or not a fastText file)`);
    }
    if (nul === cur.pos) throw badField(name, at, what, 'empty word (a misaligned entry)');
    const raw = cur.bytes.subarray(cur.pos, nul);
    let text: string;
    let ascii = true;
    let valid = true;
    for (let k = 0; k < raw.length; k++)
      if (raw[k] >= 0x80) {
        ascii = false;
        break;
      }
    if (ascii) text = latin1.decode(raw);
    else {
      try {
        text = strictUtf8.decode(raw);
      } catch {
        valid = false;
        text = lenientUtf8.decode(raw);
        const key = latin1.decode(raw);
        const prev = rawSeen.get(key);
        if (prev !== undefined) throw badField(name, at, what, `duplicate entry (the same bytes as entry ${prev})`);
        rawSeen.set(key, i);
        rawBytes.set(i, raw.slice());
      }
    }
    if (valid) {
      // One map operation per word (millions of them): a duplicate shows as a size that did not grow.
      const before = seen.size;
      seen.set(text, i);
      if (seen.size === before) {
        const first = words.findIndex((w, j) => w === text && !rawBytes.has(j));
        throw badField(name, at, what, `duplicate entry ${JSON.stringify(text)} (first as entry ${first})`);
      }
    }
    cur.pos = nul + 1;
    const count = cur.int64();
    if (!Number.isSafeInteger(count) || count < 0) throw badField(name, cur.offset - 8, `${what} count`, `${count} is not a count`);
    const type = cur.uint8();
    const expected = i < nwords ? 0 : 1;
    if (type !== expected) {
      throw badField(
        name,
        cur.offset - 1,
        `${what} type`,
        `${type}, expected ${expected} (${expected ? 'label' : 'word'}): ` +
          `the header says the first ${nwords} entries are words and the other ${nlabels} labels`,
      );
    }
    words.push(text);
    counts.push(count);
  }

  let prune: { keys: Int32Array; values: Int32Array } | null = null;
  if (pruneidxSize >= 0) {
    const keys = new Int32Array(pruneidxSize);
    const values = new Int32Array(pruneidxSize);
    const keySeen = new Set<number>();
    const valueSeen = new Uint8Array(pruneidxSize);
    for (let i = 0; i < pruneidxSize; i++) {
      if (cur.available < 8) await cur.need(8, `pruneidx pair ${i}`);
      const at = cur.offset;
      const k = cur.int32();
      const v = cur.int32();
      if (k < 0 || k >= bucket) throw badField(name, at, `pruneidx pair ${i}`, `bucket ${k} is outside 0..${bucket - 1}`);
      if (v < 0 || v >= pruneidxSize) throw badField(name, at + 4, `pruneidx pair ${i}`, `row ${v} is outside 0..${pruneidxSize - 1}`);
      if (keySeen.has(k)) throw badField(name, at, `pruneidx pair ${i}`, `bucket ${k} is listed twice`);
      if (valueSeen[v]) throw badField(name, at + 4, `pruneidx pair ${i}`, `row ${v} is given to two buckets`);
      keySeen.add(k);
      valueSeen[v] = 1;
      keys[i] = k;
      values[i] = v;
    }
    prune = { keys, values };
  }
  return new FastTextDictionary({ words, counts, nwords, nlabels, ntokens, prune, rawBytes, index: seen });
}

/** The dictionary in fastText's byte layout, in pieces of about 1 MiB. */
export function* dictionaryChunks(d: FastTextDictionary): Generator<Uint8Array> {
  const head = new Uint8Array(28);
  const hv = new DataView(head.buffer);
  hv.setInt32(0, d.size, true);
  hv.setInt32(4, d.nwords, true);
  hv.setInt32(8, d.nlabels, true);
  setInt64(hv, 12, d.ntokens);
  setInt64(hv, 20, d.pruneidxSize);
  yield head;
  const CHUNK = 1 << 20;
  let buf = new Uint8Array(CHUNK);
  let view = new DataView(buf.buffer);
  let p = 0;
  for (let i = 0; i < d.size; i++) {
    const bytes = d.bytes(i);
    const need = bytes.length + 10;
    if (p + need > buf.length) {
      if (p > 0) yield buf.subarray(0, p);
      buf = new Uint8Array(Math.max(CHUNK, need));
      view = new DataView(buf.buffer);
      p = 0;
    }
    buf.set(bytes, p);
    p += bytes.length;
    buf[p++] = 0;
    setInt64(view, p, d.counts[i]);
    p += 8;
    buf[p++] = d.isLabel(i) ? 1 : 0;
  }
  if (p > 0) yield buf.subarray(0, p);
  if (d.pruneidxSize > 0) {
    const pairs = new Uint8Array(d.pruneidxSize * 8);
    const pv = new DataView(pairs.buffer);
    for (let i = 0; i < d.pruneidxSize; i++) {
      pv.setInt32(i * 8, d.pruneKeys[i], true);
      pv.setInt32(i * 8 + 4, d.pruneValues[i], true);
    }
    yield pairs;
  }
}

function setInt64(v: DataView, at: number, x: number): void {
  v.setBigInt64(at, BigInt(x), true);
}
