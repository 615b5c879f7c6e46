/**
 * fastText's hashing of words and word n-grams (dictionary.cc), reproduced exactly so a model's
 * buckets mean the same as fastText's:
 * - word hash: 32-bit FNV-1a over the UTF-8 bytes, each byte sign-extended first (`uint32_t(int8_t(c))`,
 *   kept by fastText for compatibility with its released models);
 * - n-gram of words i..j: h = hash_i, then h = h · 116049371 + hash_k for k = i+1..j in uint64
 *   arithmetic, where each 32-bit hash enters as a *signed* int32 sign-extended to 64 bits (fastText
 *   stores the hashes in a std::vector<int32_t>); bucket = h mod buckets.
 * All integer arithmetic, so it is the same in every JavaScript engine.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const NGRAM_MULTIPLIER = 116049371;
const TWO32 = 4294967296;

function fnvByte(h: number, byte: number): number {
  // int8_t sign extension: bytes >= 0x80 become 0xFFFFFF80..0xFFFFFFFF.
  return Math.imul(h ^ (byte >= 0x80 ? byte | 0xffffff00 : byte), FNV_PRIME);
}

/** fastText's Dictionary::hash of a token (UTF-8 bytes), as a signed int32 (how fastText stores it). */
export function fastTextHash(token: string): number {
  let h = FNV_OFFSET | 0;
  for (let i = 0; i < token.length; i++) {
    let c = token.charCodeAt(i);
    if (c < 0x80) {
      h = fnvByte(h, c);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < token.length) {
      const d = token.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate encodes as U+FFFD, like TextEncoder
    if (c < 0x800) {
      h = fnvByte(h, 0xc0 | (c >> 6));
    } else if (c < 0x10000) {
      h = fnvByte(h, 0xe0 | (c >> 12));
      h = fnvByte(h, 0x80 | ((c >> 6) & 0x3f));
    } else {
      h = fnvByte(h, 0xf0 | (c >> 18));
      h = fnvByte(h, 0x80 | ((c >> 12) & 0x3f));
      h = fnvByte(h, 0x80 | ((c >> 6) & 0x3f));
    }
    h = fnvByte(h, 0x80 | (c & 0x3f));
  }
  return h | 0;
}

/** (a · b) mod m for integers 0 <= a, b < m <= 2^31, exactly (each partial product stays < 2^53). */
function mulMod(a: number, b: number, m: number): number {
  const hi = Math.floor(b / 65536);
  const lo = b - hi * 65536;
  return (((((a * hi) % m) * 65536) % m) + a * lo) % m;
}

/**
 * Appends the bucket (0..buckets-1) of every word n-gram of length 2..n over hashes[0..len) (signed
 * int32 word hashes in text order) to `out`, in fastText's order (by start position, then length).
 */
export function addWordNgramBuckets(hashes: ArrayLike<number>, n: number, buckets: number, out: { push(v: number): unknown }, len = hashes.length): void {
  if (n === 2 && buckets <= BIGRAM_FAST_MAX) {
    addBigramBuckets(hashes, len, buckets, out);
    return;
  }
  const two32ModB = TWO32 % buckets;
  for (let i = 0; i < len; i++) {
    // h as two uint32 halves; the signed int32 start value is sign-extended into the high half.
    let lo = hashes[i] >>> 0;
    let hi = hashes[i] < 0 ? 0xffffffff : 0;
    for (let j = i + 1; j < len && j < i + n; j++) {
      // h = h · K mod 2^64 with K < 2^27: split lo into 16-bit halves so partial products stay exact.
      const loLo = lo & 0xffff;
      const loHi = lo >>> 16;
      const p0 = loLo * NGRAM_MULTIPLIER; // < 2^43
      const p1 = loHi * NGRAM_MULTIPLIER; // < 2^43
      const p1Low = (p1 % 65536) * 65536; // < 2^32
      const sumLow = p0 + p1Low; // < 2^44
      const newLo = sumLow % TWO32;
      const carry = Math.floor(sumLow / TWO32) + Math.floor(p1 / 65536);
      hi = (Math.imul(hi, NGRAM_MULTIPLIER) + carry) >>> 0;
      lo = newLo;
      // h += sign-extended hash_j
      const add = hashes[j];
      const addLo = add >>> 0;
      const s = lo + addLo;
      lo = s % TWO32;
      hi = (hi + (add < 0 ? 0xffffffff : 0) + (s >= TWO32 ? 1 : 0)) >>> 0;
      out.push((mulMod(hi % buckets, two32ModB, buckets) + (lo % buckets)) % buckets);
    }
  }
}

/** Below this bucket count, (a mod B) · (K mod B) < 2^53 stays exact in a double. */
const BIGRAM_FAST_MAX = 1 << 26;
const two64Mod = new Map<number, number>();

/**
 * The bigram case without 64-bit emulation: a·K + b (a, b signed int32) never leaves the int64 range,
 * so its uint64 value is a·K + b, or that + 2^64 when negative; reduce both mod B in doubles. The sign
 * computed in doubles is exact: a·K + b is inexact only when |a| > 2^53 / K, far from zero.
 */
function addBigramBuckets(hashes: ArrayLike<number>, len: number, buckets: number, out: { push(v: number): unknown }): void {
  let wrap = two64Mod.get(buckets);
  if (wrap === undefined) {
    wrap = Number((1n << 64n) % BigInt(buckets));
    two64Mod.set(buckets, wrap);
  }
  const kMod = NGRAM_MULTIPLIER % buckets;
  for (let i = 0; i + 1 < len; i++) {
    const a = hashes[i],
      b = hashes[i + 1];
    let r = ((((a % buckets) * kMod) % buckets) + b) % buckets;
    if (r < 0) r += buckets;
    if (a * NGRAM_MULTIPLIER + b < 0) r = (r + wrap) % buckets;
    out.push(r | 0); // | 0 turns a -0 remainder into 0
  }
}
