import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Vocabulary } from '../../src/text/vocabulary.js';
import { createTokenizer } from '../../src/text/tokenizer.js';
import { Wasm2VecError } from '../../src/errors.js';
import { demoCorpusPath } from '../helpers/data.js';

function error(f: () => unknown): Wasm2VecError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(Wasm2VecError);
    return err as Wasm2VecError;
  }
  throw new Error('expected a Wasm2VecError');
}

/** Insertion order = first occurrence (which must not matter). */
const counts = new Map<string, number>([
  ['the', 10],
  ['rare', 1],
  ['cat', 6],
  ['dog', 6],
  ['mat', 5],
  ['sat', 7],
  ['on', 4],
]);

describe('Vocabulary.fromCounts', () => {
  it('keeps words with count >= minCount, sorted by count, equal counts in UTF-16 order', () => {
    const v = Vocabulary.fromCounts(counts);
    expect(v.words).toEqual(['the', 'sat', 'cat', 'dog', 'mat']);
    expect(Array.from(v.counts)).toEqual([10, 7, 6, 6, 5]);
    expect(v.size).toBe(5);
    expect(v.totalCount).toBe(34);
    expect(v.id('cat')).toBe(2);
    expect(v.id('rare')).toBe(-1);
    expect(v.has('dog')).toBe(true);
    expect(v.has('on')).toBe(false);
    expect(v.word(4)).toBe('mat');
  });

  it('equal counts are in UTF-16 code-unit order whatever the insertion order (every permutation)', () => {
    const entries: [string, number][] = [
      ['b', 3],
      ['a', 3],
      ['c', 3],
      ['B', 3],
      ['z', 5],
      ['é', 3],
    ];
    const permutations = (xs: [string, number][]): [string, number][][] =>
      xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
    const seen = new Set(permutations(entries).map((p) => Vocabulary.fromCounts(new Map(p), { minCount: 1 }).words.join(' ')));
    // Upper case before lower case, ASCII before accented letters: plain `<`, not a locale's collation.
    expect([...seen]).toEqual(['z B a b c é']);
  });

  it('code units, not code points: a character above U+FFFF (surrogates D83D..) sorts before U+FF5E', () => {
    const v = Vocabulary.fromCounts(
      new Map([
        ['\uFF5E', 2],
        ['😀', 2],
        ['\uE000', 2],
      ]),
      { minCount: 1 },
    );
    expect(v.words).toEqual(['😀', '\uE000', '\uFF5E']);
    expect('😀'.codePointAt(0)! > 0xff5e).toBe(true); // code-point order would put it last
  });

  it('applies maxVocab as a final cap after minCount', () => {
    expect(Vocabulary.fromCounts(counts, { minCount: 1, maxVocab: 3 }).words).toEqual(['the', 'sat', 'cat']);
    // Tie at the cut: the word first in UTF-16 order survives, wherever the tied words occur.
    expect(Vocabulary.fromCounts(counts, { minCount: 5, maxVocab: 3 }).words).toEqual(['the', 'sat', 'cat']);
    const reversed = new Map([...counts].reverse());
    expect(Vocabulary.fromCounts(reversed, { minCount: 5, maxVocab: 3 }).words).toEqual(['the', 'sat', 'cat']);
    const late = new Map<string, number>([
      ['zebra', 2],
      ['yak', 2],
      ['mango', 2],
      ['apple', 2],
      ['common', 9],
    ]);
    expect(Vocabulary.fromCounts(late, { minCount: 1, maxVocab: 3 }).words).toEqual(['common', 'apple', 'mango']);
    expect(Vocabulary.fromCounts(counts, { minCount: 7, maxVocab: 100 }).words).toEqual(['the', 'sat']);
    const capped = Vocabulary.fromCounts(counts, { minCount: 1, maxVocab: 2 });
    expect(capped.totalCount).toBe(17);
  });

  it('keeps counts beyond 2^32 exactly', () => {
    const big = 2 ** 40 + 3;
    const v = Vocabulary.fromCounts(
      new Map([
        ['a', big],
        ['b', 2 ** 33],
      ]),
      { minCount: 1 },
    );
    expect(v.counts[0]).toBe(big);
    expect(v.totalCount).toBe(big + 2 ** 33);
  });

  it('throws EMPTY_VOCABULARY naming minCount, the distinct words and the most frequent word', () => {
    const err = error(() => Vocabulary.fromCounts(counts, { minCount: 50 }));
    expect(err.code).toBe('EMPTY_VOCABULARY');
    expect(err.message).toBe(
      'no word occurs at least minCount=50 times; the corpus has 7 distinct words, the most frequent "the" occurs 10 times (lower minCount or use a larger corpus)',
    );
    expect(error(() => Vocabulary.fromCounts(new Map())).code).toBe('EMPTY_VOCABULARY');
    // The most frequent word named: equal counts by the same rule as the ids.
    expect(
      error(() =>
        Vocabulary.fromCounts(
          new Map([
            ['yes', 3],
            ['no', 3],
          ]),
          { minCount: 5 },
        ),
      ).message,
    ).toMatch(/the most frequent "no" occurs 3 times/);
  });

  it('validates its options and counts', () => {
    for (const [options, name] of [
      [{ minCount: 0 }, 'minCount'],
      [{ minCount: 2.5 }, 'minCount'],
      [{ minCount: '5' }, 'minCount'],
      [{ maxVocab: 0 }, 'maxVocab'],
      [{ maxVocab: Infinity }, 'maxVocab'],
    ] as const) {
      const err = error(() => Vocabulary.fromCounts(counts, options as never));
      expect(err.code).toBe('INVALID_OPTION');
      expect(err.message).toContain(`option ${name}`);
    }
    expect(error(() => Vocabulary.fromCounts({} as never)).message).toMatch(/counts.*Map/);
    expect(error(() => Vocabulary.fromCounts(new Map([['x', -1]]))).code).toBe('BAD_FORMAT');
  });

  it('agrees with a straightforward count of the fairytales corpus', () => {
    const tok = createTokenizer();
    const counted = new Map<string, number>();
    for (const line of readFileSync(demoCorpusPath, 'utf8').split('\n')) {
      for (const t of tok(line)) counted.set(t, (counted.get(t) ?? 0) + 1);
    }
    const v = Vocabulary.fromCounts(counted, { minCount: 5 });
    const kept = [...counted].filter(([, c]) => c >= 5);
    expect(v.size).toBe(kept.length);
    expect(v.words[0]).toBe('the');
    for (let i = 1; i < v.size; i++) expect(v.counts[i]).toBeLessThanOrEqual(v.counts[i - 1]);
    for (const [w, c] of kept) expect(v.counts[v.id(w)]).toBe(c);
    expect(v.totalCount).toBe(kept.reduce((s, [, c]) => s + c, 0));
  });
});

describe('Vocabulary: word()', () => {
  it('throws for an id out of range', () => {
    const v = Vocabulary.fromCounts(counts);
    expect(error(() => v.word(5)).message).toMatch(/no word with id 5 \(ids are 0\.\.4\)/);
    expect(error(() => v.word(-1)).code).toBe('NOT_FOUND');
    expect(error(() => v.word(1.5)).code).toBe('NOT_FOUND');
  });

  it('cannot be mutated through words', () => {
    const v = Vocabulary.fromCounts(counts);
    expect(() => (v.words as string[]).push('x')).toThrow(TypeError);
  });
});

describe('Vocabulary JSON', () => {
  it('round-trips words, counts and ids through JSON text', () => {
    const v = Vocabulary.fromCounts(counts, { minCount: 1 });
    const back = Vocabulary.fromJSON(JSON.parse(JSON.stringify(v)));
    expect(back.words).toEqual(v.words);
    expect(Array.from(back.counts)).toEqual(Array.from(v.counts));
    expect(back.id('on')).toBe(v.id('on'));
    expect(Vocabulary.fromJSON(JSON.stringify(v)).words).toEqual(v.words);
  });

  it('keeps the saved order rather than re-sorting (ids must match saved vectors)', () => {
    const v = Vocabulary.fromJSON({ words: ['b', 'a'], counts: [1, 9] });
    expect(v.id('b')).toBe(0);
  });

  it('rejects malformed data with BAD_FORMAT naming the problem', () => {
    const cases: [unknown, RegExp][] = [
      [null, /expected an object/],
      ['{not json', /not valid JSON/],
      [{ words: 'a b', counts: [1] }, /"words" must be an array/],
      [{ words: ['a'] }, /"counts" must be an array/],
      [{ words: ['a', 'b'], counts: [1] }, /2 words but 1 counts/],
      [{ words: ['a', 'b', 'a'], counts: [3, 2, 1] }, /duplicate word "a" at ids 0 and 2/],
      [{ words: ['a', 'b'], counts: [3, -2] }, /count of "b" \(id 1\) is -2/],
      [{ words: ['a', 'b'], counts: [3, null] }, /count of "b" \(id 1\) is null/], // NaN after JSON.stringify
      [{ words: ['a', 'b'], counts: [3, '2'] }, /count of "b"/],
      [{ words: ['a', ''], counts: [3, 2] }, /word 1 is "", expected a non-empty string/],
      [{ words: ['a', 5], counts: [3, 2] }, /word 1 is 5/],
    ];
    for (const [json, message] of cases) {
      const err = error(() => Vocabulary.fromJSON(json));
      expect(err.code).toBe('BAD_FORMAT');
      expect(err.message).toMatch(message);
    }
    expect(error(() => Vocabulary.fromJSON({ words: ['a'], counts: [NaN] })).message).toMatch(/NaN/);
  });
});
