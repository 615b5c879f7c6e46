import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fastTextHash } from '../../../src/classify/linear/hash.js';
import { DenseMatrix } from '../../../src/train/fasttext/dense-matrix.js';
import type { FastTextArgs } from '../../../src/train/fasttext/args.js';
import { FastTextDictionary } from '../../../src/train/fasttext/dictionary.js';
import { fastTextTokens, lineRows } from '../../../src/train/fasttext/supervised.js';
import { forEachNgram, forEachNgramOfBytes, hashBytes } from '../../../src/train/fasttext/subwords.js';
import { ngrams, wordRows, wordVector } from '../../../src/train/fasttext/word-vectors.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const list = (word: string, minn: number, maxn: number, bucket = 1 << 30) => {
  const out: string[] = [];
  forEachNgram(word, minn, maxn, bucket, (_, g) => out.push(g));
  return out;
};

describe('character n-grams as fastText computeSubwords', () => {
  it('wraps the word in < >, goes by start then length, and leaves out the lone boundary characters', () => {
    expect(list('ab', 1, 2)).toEqual(['<a', 'a', 'ab', 'b', 'b>']);
    expect(list('ab', 1, 4)).toEqual(['<a', '<ab', '<ab>', 'a', 'ab', 'ab>', 'b', 'b>']);
    expect(list('a', 3, 6)).toEqual(['<a>']);
    expect(list('king', 3, 4)).toEqual(['<ki', '<kin', 'kin', 'king', 'ing', 'ing>', 'ng>']);
    expect(list('x', 4, 6)).toEqual([]);
    expect(list('abc', 5, 3)).toEqual([]); // minn > maxn: none, as fastText
    expect(list('abc', 3, 0)).toEqual([]);
  });

  it('counts characters as UTF-8 code points: astral characters are one character, a lone surrogate too', () => {
    expect(list('😀', 1, 3)).toEqual(['<😀', '<😀>', '😀', '😀>']);
    expect(list('北京', 3, 3)).toEqual(['<北京', '北京>']);
    expect(list('a\ud800', 2, 2)).toEqual(['<a', 'a\ud800', '\ud800>']);
  });

  it('the byte walk (for entries that are not UTF-8) gives the same n-grams and buckets on valid text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 10 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 1, max: 3_000_000 }),
        (w, minn, maxn, bucket) => {
          const a: [number, string][] = [];
          const b: [number, string][] = [];
          forEachNgram(w, minn, maxn, bucket, (h, g) => a.push([h, g]));
          forEachNgramOfBytes(utf8(w), minn, maxn, bucket, (h, g) => b.push([h, new TextDecoder().decode(g)]));
          // A lone surrogate is U+FFFD in UTF-8; compare through the same encoding.
          expect(b).toEqual(a.map(([h, g]) => [h, new TextDecoder().decode(utf8(g))]));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('walks invalid UTF-8 as fastText does: a stray continuation byte never starts a character', () => {
    const grams: string[] = [];
    // "a", a stray continuation byte 0x80, "b": the 0x80 sticks to the character before it.
    forEachNgramOfBytes(new Uint8Array([0x61, 0x80, 0x62]), 1, 2, 1000, (_, g) => grams.push(Buffer.from(g).toString('hex')));
    expect(grams).toEqual(['3c61' + '80', '6180', '618062', '62', '623e']);
  });

  it("hashBytes is fastText's FNV-1a over bytes, equal to linear-hash's fastTextHash on UTF-8", () => {
    expect(hashBytes(new Uint8Array(0))).toBe(0x811c9dc5 | 0);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }), (s) => hashBytes(utf8(s)) === fastTextHash(s)),
      { numRuns: 300 },
    );
    // Bucket = uint32 hash mod bucket (fastText: uint32_t % int promotes to unsigned).
    const seen: number[] = [];
    forEachNgram('a', 3, 3, 7, (b) => seen.push(b));
    expect(fastTextHash('<a>')).toBe(-1935879696); // negative as int32: a signed remainder would be -2
    expect(seen).toEqual([2]);
  });
});

const args = (over: Partial<FastTextArgs> = {}): FastTextArgs => ({
  dim: 2,
  ws: 5,
  epoch: 5,
  minCount: 1,
  neg: 5,
  wordNgrams: 1,
  loss: 'ns',
  model: 'skipgram',
  bucket: 10,
  minn: 2,
  maxn: 3,
  lrUpdateRate: 100,
  t: 1e-4,
  ...over,
});

function tiny(over: Partial<FastTextArgs> = {}, prune?: { keys: number[]; values: number[] }) {
  const a = args(over);
  const words = ['</s>', 'ab', '__label__x'];
  const dictionary = new FastTextDictionary({
    words,
    counts: [3, 2, 1],
    nwords: 2,
    nlabels: 1,
    ntokens: 6,
    prune: prune && { keys: Int32Array.from(prune.keys), values: Int32Array.from(prune.values) },
  });
  const rows = 2 + (prune ? prune.keys.length : a.bucket);
  const data = Float32Array.from({ length: rows * a.dim }, (_, i) => (i + 1) / 8);
  return { args: a, dictionary, input: new DenseMatrix(rows, a.dim, data) };
}

describe('word rows and vectors (Dictionary::getSubwords, FastText::getWordVector)', () => {
  it('in-vocabulary: own row first, then n-gram rows nwords + hash % bucket; OOV: n-grams only; EOS: no n-grams', () => {
    const m = tiny();
    const bucketRows = (w: string) => {
      const r: number[] = [];
      forEachNgram(w, 2, 3, 10, (b) => r.push(2 + b));
      return r;
    };
    expect(wordRows(m, 'ab')).toEqual([1, ...bucketRows('ab')]);
    expect(wordRows(m, 'zz')).toEqual(bucketRows('zz'));
    expect(wordRows(m, '</s>')).toEqual([0]);
    expect(wordRows(m, utf8('ab'))).toEqual(wordRows(m, 'ab'));
    expect(ngrams(m, 'ab').map((g) => g.text)).toEqual(['ab', '<a', '<ab', 'ab', 'ab>', 'b>']);
  });

  it('sums in order and multiplies by float32(1/n), as Vector::mul (not a division)', () => {
    const m = tiny();
    const rows = wordRows(m, 'zzz');
    const want = new Float32Array(2);
    for (const r of rows) for (let j = 0; j < 2; j++) want[j] += m.input.data[r * 2 + j];
    const a = Math.fround(1 / rows.length);
    for (let j = 0; j < 2; j++) want[j] *= a;
    const got = wordVector(m, 'zzz');
    expect(Array.from(got.vector)).toEqual(Array.from(want));
    expect(got.rows).toBe(rows.length);
    expect(got.inVocabulary).toBe(false);
    const out = new Float32Array(2).fill(9);
    expect(wordVector(m, 'zzz', out).vector).toBe(out);
  });

  it('pruneidx remaps kept buckets and drops the rest; pruneidx_size 0 drops every n-gram; maxn 0 has none', () => {
    let b0 = -1;
    forEachNgram('ab', 2, 3, 10, (b) => {
      if (b0 < 0) b0 = b;
    });
    const m = tiny({}, { keys: [b0], values: [0] });
    expect(m.dictionary.bucketRow(b0)).toBe(2);
    expect(m.dictionary.bucketRow((b0 + 1) % 10)).toBe(-1);
    expect(wordRows(m, 'ab').filter((r) => r === 2).length).toBeGreaterThan(0);
    expect(wordRows(m, 'ab').every((r) => r === 1 || r === 2)).toBe(true);
    const none = tiny({}, { keys: [], values: [] });
    expect(none.dictionary.pruneidxSize).toBe(0);
    expect(wordRows(none, 'ab')).toEqual([1]);
    const z = wordVector(none, 'qq');
    expect(z.rows).toBe(0);
    expect(Array.from(z.vector)).toEqual([0, 0]);
    expect(wordRows(tiny({ maxn: 0 }), 'zz')).toEqual([]);
  });
});

describe('fastText tokens and supervised line rows (Dictionary::getLine)', () => {
  it("splits on fastText's separators only, keeps case, and ends lines with </s>", () => {
    expect(fastTextTokens('The  cat\tsat\r\vdown\f\0')).toEqual(['The', 'cat', 'sat', 'down', '</s>']);
    expect(fastTextTokens('a\nb', { eos: false })).toEqual(['a', '</s>', 'b']);
    expect(fastTextTokens('')).toEqual(['</s>']);
    expect(fastTextTokens('naïve 北京\u00a0x')).toEqual(['naïve', '北京\u00a0x', '</s>']); // NBSP is not a separator
  });

  it('skips labels (in the dictionary or by prefix), adds word n-gram buckets over every word token', () => {
    const m = tiny({ model: 'supervised', maxn: 0, wordNgrams: 2 });
    const rows = lineRows(m, ['ab', '__label__x', '__label__new', 'zz', '</s>']);
    // ab (id 1), zz OOV without char n-grams: nothing, </s> (id 0), then bigrams ab|zz and zz|</s>.
    expect(rows.slice(0, 2)).toEqual([1, 0]);
    expect(rows.length).toBe(4);
    for (const r of rows.slice(2)) expect(r).toBeGreaterThanOrEqual(2);
  });
});
