import { describe, expect, it } from 'vitest';
import { addWordNgramBuckets, fastTextHash } from '../../../src/classify/linear/hash.js';

/** fastText's Dictionary::hash over the UTF-8 bytes, in BigInt: uint32 h ^= uint32(int8(byte)); h *= 16777619. */
function reference(bytes: Iterable<number>, signExtend = true): number {
  let h = 0x811c9dc5n;
  for (const b of bytes) {
    const x = BigInt.asUintN(32, BigInt(signExtend && b >= 0x80 ? b - 256 : b));
    h = ((h ^ x) * 16777619n) & 0xffffffffn;
  }
  return Number(BigInt.asIntN(32, h));
}
const utf8 = (s: string) => new TextEncoder().encode(s);

/** fastText's addWordNgrams: h = h * 116049371 + hash (int32 sign-extended), all mod 2^64; bucket h mod B. */
function referenceBuckets(hashes: number[], n: number, buckets: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < hashes.length; i++) {
    let h = BigInt.asUintN(64, BigInt(hashes[i]));
    for (let j = i + 1; j < hashes.length && j < i + n; j++) {
      h = BigInt.asUintN(64, h * 116049371n + BigInt.asUintN(64, BigInt(hashes[j])));
      out.push(Number(h % BigInt(buckets)));
    }
  }
  return out;
}
const buckets = (hashes: number[], n: number, b: number, len?: number) => {
  const out: number[] = [];
  addWordNgramBuckets(hashes, n, b, out, len);
  return out;
};

describe('fastTextHash', () => {
  it('is FNV-1a for ASCII (the published values) and the signed int32 fastText stores', () => {
    expect(fastTextHash('')).toBe(0x811c9dc5 | 0);
    expect(fastTextHash('a')).toBe(0xe40c292c | 0); // FNV-1a 32 of "a"
    expect(fastTextHash('foobar')).toBe(0xbf9cf968 | 0);
    expect(fastTextHash('</s>')).toBe(reference(utf8('</s>')));
  });
  it('sign-extends bytes from 0x80, so non-ASCII words differ from plain FNV-1a', () => {
    for (const w of ['é', 'café', '北京', 'ß']) {
      expect(fastTextHash(w)).toBe(reference(utf8(w)));
      expect(fastTextHash(w)).not.toBe(reference(utf8(w), false));
    }
  });
  it('encodes like TextEncoder: 2-, 3- and 4-byte characters at their boundaries, pairs joined, lone surrogates as U+FFFD', () => {
    for (const w of ['\u007f', '\u0080', '\u07ff', '\u0800', '\uffff', '\u{10000}', '\u{10ffff}', '😀x', 'x\ud83d', '\ude00\ud83d', '\ud83d\ud83d\ude00']) {
      expect(fastTextHash(w), JSON.stringify(w)).toBe(reference(utf8(w)));
    }
    expect(fastTextHash('\ud800')).toBe(fastTextHash('\ufffd'));
  });
});

describe('addWordNgramBuckets', () => {
  it('by hand: [1, 2] → 1·116049371 + 2 = 116049373, bucket 373 of 1000; [-1, 0] → 2^64 - 116049371 ≡ 616 - 371 = 245', () => {
    expect(buckets([1, 2], 2, 1000)).toEqual([373]);
    expect(buckets([-1, 0], 2, 1000)).toEqual([245]);
  });
  it('order: by start position, then length; n = 1 gives none; only the first len hashes count', () => {
    const h = [11, -22, 33, -44];
    const all = referenceBuckets(h, 3, 97);
    expect(buckets(h, 3, 97)).toEqual(all);
    expect(all).toHaveLength(3 + 2 + 0 + 0 + 0); // [0,1] [0,1,2] [1,2] [1,2,3] [2,3] = 5
    expect(buckets(h, 1, 97)).toEqual([]);
    expect(buckets(h, 3, 97, 2)).toEqual(referenceBuckets(h.slice(0, 2), 3, 97));
    expect(buckets([5], 2, 97)).toEqual([]);
  });
  it('the bigram fast path (up to 2^26 buckets) and the 64-bit path agree with uint64 arithmetic at the extremes', () => {
    const extremes = [-2147483648, 2147483647, 0, -1, 1, -116049371, 116049371, 2147483647, -2147483648];
    for (const b of [1, 2, 3, 1000, 2_000_000, (1 << 26) - 1, 1 << 26, (1 << 26) + 1, 1 << 30]) {
      for (const n of [2, 3, 5]) {
        const got = buckets(extremes, n, b);
        expect(got, `buckets ${b}, n ${n}`).toEqual(referenceBuckets(extremes, n, b));
        expect(got.every((x) => Number.isInteger(x) && x >= 0 && x < b)).toBe(true);
      }
    }
    expect(buckets(extremes, 2, 1).every((x) => x === 0)).toBe(true);
  });
  it('a remainder that is -0 in doubles comes out as 0', () => {
    // 3·K mod 1000 = 113, plus -1113 = -1000 → -0 before the | 0; 3·K - 1113 > 0, so no 2^64 wrap.
    const [r] = buckets([3, -1113], 2, 1000);
    expect(Object.is(r, 0)).toBe(true);
    expect(r).toBe(referenceBuckets([3, -1113], 2, 1000)[0]);
  });
  it('random signed hashes, n 2..5, bucket counts either side of the fast path limit', () => {
    let s = 12345;
    const next = () => {
      s = (Math.imul(s, 1103515245) + 12345) | 0;
      return s;
    };
    for (let k = 0; k < 300; k++) {
      const h = Array.from({ length: 2 + (k % 7) }, next);
      const b = [7, 2_000_000, 1 << 26, (1 << 26) + 3, 1_073_741_789][k % 5];
      const n = 2 + (k % 4);
      expect(buckets(h, n, b)).toEqual(referenceBuckets(h, n, b));
    }
  });
});
