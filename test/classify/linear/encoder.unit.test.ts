import { describe, expect, it } from 'vitest';
import { EOS, IntBuffer, LinearEncoder } from '../../../src/classify/linear/encoder.js';
import { addWordNgramBuckets, fastTextHash } from '../../../src/classify/linear/hash.js';

const encode = (e: LinearEncoder, tokens: string[]) => {
  const out = new IntBuffer(4);
  const n = e.encode(tokens, out);
  const ids = [...out.toArray()];
  expect(n).toBe(ids.length);
  return ids;
};
const gramsOf = (tokens: string[], n: number, b: number) => {
  const out: number[] = [];
  addWordNgramBuckets([...tokens, EOS].map(fastTextHash), n, b, out);
  return out;
};

describe('IntBuffer', () => {
  it('grows past its capacity and returns a copy of what was pushed', () => {
    const b = new IntBuffer(1);
    for (let i = 0; i < 1000; i++) b.push(i - 500);
    const a = b.toArray();
    expect(a.length).toBe(1000);
    expect([a[0], a[999]]).toEqual([-500, 499]);
    b.push(7);
    expect(a.length).toBe(1000); // a copy
  });
});

describe('LinearEncoder (fastText Dictionary::getLine for supervised models)', () => {
  const words = ['good', 'movie', EOS];
  it('bag of words: in-vocabulary ids in text order, EOS last, out-of-vocabulary tokens dropped', () => {
    const e = new LinearEncoder(words, 1, 2_000_000);
    expect(encode(e, ['good', 'bad', 'movie', 'good'])).toEqual([0, 1, 0, 2]);
    expect(encode(e, [])).toEqual([2]);
    expect(e.rows).toBe(3);
    // EOS not in the vocabulary: nothing for it (fastText drops unknown words the same way).
    expect(encode(new LinearEncoder(['good'], 1, 10), ['good'])).toEqual([0]);
  });
  it('n-grams over all tokens (OOV and EOS included), each new bucket a new row after the words', () => {
    const e = new LinearEncoder(words, 2, 1000);
    const tokens = ['good', 'bad', 'movie'];
    const grams = gramsOf(tokens, 2, 1000); // (good bad) (bad movie) (movie </s>)
    expect(new Set(grams).size).toBe(3);
    expect(encode(e, tokens)).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...e.usedBuckets()]).toEqual(grams);
    expect(e.rows).toBe(6);
    // The same text again: the same rows, no new ones.
    expect(encode(e, tokens)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(e.rows).toBe(6);
    expect(e.wordHash(1)).toBe(fastTextHash('movie'));
  });
  it("trigrams: 2..n grams per start position, in fastText's order", () => {
    const e = new LinearEncoder(words, 3, 1_000_003);
    const tokens = ['a', 'b', 'c'];
    const grams = gramsOf(tokens, 3, 1_000_003); // starts a: ab abc; b: bc bc</s>; c: c</s>
    expect(grams).toHaveLength(5);
    const ids = encode(e, tokens);
    expect(ids[0]).toBe(2); // only EOS is in the vocabulary
    const rowOf = new Map<number, number>();
    grams.forEach((g) => {
      if (!rowOf.has(g)) rowOf.set(g, 3 + rowOf.size);
    });
    expect(ids.slice(1)).toEqual(grams.map((g) => rowOf.get(g)));
  });
  it('after freeze an unseen bucket maps to the virtual row rows + bucket and adds no row', () => {
    for (const b of [1000, (1 << 24) + 1]) {
      // flat bucket table, and the Map above 2^24 buckets
      const e = new LinearEncoder(words, 2, b);
      encode(e, ['good', 'movie']);
      const rows = e.rows;
      e.freeze();
      const fresh = gramsOf(['movie', 'good'], 2, b);
      const ids = encode(e, ['movie', 'good']);
      const known = new Map([...e.usedBuckets()].map((x, k) => [x, 3 + k]));
      expect(ids.slice(0, 3)).toEqual([1, 0, 2]);
      expect(ids.slice(3)).toEqual(fresh.map((g) => known.get(g) ?? rows + g));
      expect(e.rows).toBe(rows);
    }
  });
  it("a model's saved bucket list restores the same rows", () => {
    const e = new LinearEncoder(words, 2, 5000);
    const texts = [['good', 'x'], ['y', 'movie', 'good'], ['z']];
    const first = texts.map((t) => encode(e, t));
    const restored = new LinearEncoder(words, 2, 5000, e.usedBuckets());
    restored.freeze();
    expect(restored.rows).toBe(e.rows);
    expect(texts.map((t) => encode(restored, t))).toEqual(first);
  });
  it('encodeIds takes precomputed ids and hashes (training) and gives what encode gives', () => {
    const a = new LinearEncoder(words, 2, 777);
    const b = new LinearEncoder(words, 2, 777);
    const tokens = ['movie', 'unknown', 'good', 'good'];
    const all = [...tokens, EOS];
    const out = new IntBuffer();
    b.encodeIds(
      all.map((t) => words.indexOf(t)),
      all.map(fastTextHash),
      all.length,
      out,
    );
    expect([...out.toArray()]).toEqual(encode(a, tokens));
  });
  it('a long text grows the scratch buffers', () => {
    const e = new LinearEncoder(words, 2, 100);
    const tokens = Array.from({ length: 5000 }, (_, i) => (i % 2 ? 'good' : 'movie'));
    const ids = encode(e, tokens);
    expect(ids.length).toBe(5001 + 5000);
    expect(e.rows).toBe(3 + new Set(gramsOf(tokens, 2, 100)).size);
  });
});
