import { fastTextHash } from '../../classify/linear/hash.js';

/**
 * fastText's character n-grams (Dictionary::computeSubwords): the word is wrapped as "<word>", and
 * every run of minn..maxn characters is hashed (FNV-1a, fastText's variant) into one of `bucket`
 * buckets, except the lone boundary characters "<" and ">". fastText walks UTF-8 bytes and counts a
 * character as a lead byte plus its continuation bytes (10xxxxxx); for valid UTF-8 that is one Unicode
 * code point, which is how the string version below counts (a lone surrogate is one character, encoded
 * as U+FFFD like TextEncoder does, so it hashes as fastText would hash those bytes).
 *
 * Order: by start character, then by length, as fastText emits them (a model's mean does not depend on
 * it, but ngrams() lists them in this order).
 */
export function forEachNgram(word: string, minn: number, maxn: number, bucket: number, emit: (bucketIndex: number, ngram: string) => void): void {
  if (maxn <= 0 || bucket <= 0) return;
  const s = '<' + word + '>';
  // Start index of every code point, plus the end.
  const starts: number[] = [];
  for (let i = 0; i < s.length; i++) {
    starts.push(i);
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  const count = starts.length;
  starts.push(s.length);
  for (let i = 0; i < count; i++) {
    for (let n = 1; n <= maxn && i + n <= count; n++) {
      if (n < minn || (n === 1 && (i === 0 || i + n === count))) continue;
      const ngram = s.slice(starts[i], starts[i + n]);
      emit((fastTextHash(ngram) >>> 0) % bucket, ngram);
    }
  }
}

/**
 * The same over raw bytes, for dictionary entries that are not valid UTF-8 (fastText hashes whatever
 * bytes the training text had): characters are a lead byte and its continuation bytes, exactly as
 * fastText counts them. `word` is the entry without "<" and ">".
 */
export function forEachNgramOfBytes(
  word: Uint8Array,
  minn: number,
  maxn: number,
  bucket: number,
  emit: (bucketIndex: number, ngram: Uint8Array) => void,
): void {
  if (maxn <= 0 || bucket <= 0) return;
  const b = new Uint8Array(word.length + 2);
  b[0] = 0x3c; // '<'
  b.set(word, 1);
  b[b.length - 1] = 0x3e; // '>'
  const len = b.length;
  for (let i = 0; i < len; i++) {
    if ((b[i] & 0xc0) === 0x80) continue;
    let j = i;
    for (let n = 1; j < len && n <= maxn; n++) {
      j++;
      while (j < len && (b[j] & 0xc0) === 0x80) j++;
      if (n >= minn && !(n === 1 && (i === 0 || j === len))) emit((hashBytes(b, i, j) >>> 0) % bucket, b.subarray(i, j));
    }
  }
}

/**
 * fastText's Dictionary::hash over bytes[start..end): 32-bit FNV-1a with each byte sign-extended
 * (`uint32_t(int8_t(c))`). linear-hash.ts's fastTextHash is the same function over a string's UTF-8;
 * this one exists only because an invalid-UTF-8 entry has no string form (the unit tests check both
 * agree on valid text).
 */
export function hashBytes(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    h = Math.imul(h ^ (c >= 0x80 ? c | 0xffffff00 : c), 0x01000193);
  }
  return h | 0;
}
