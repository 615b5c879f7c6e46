import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Embeddings, parseAnalogies, parseWordPairs, pearson, spearman } from '../../src/index.js';
import { averageRanks } from '../../src/vectors/statistics.js';
import { repoData } from '../helpers/data.js';

describe('statistics (scipy semantics)', () => {
  it('average ranks for ties, Spearman and Pearson as scipy computes them', () => {
    expect([...averageRanks([10, 20, 20, 30, 20])]).toEqual([1, 3, 3, 5, 3]);
    const x = [1, 2, 2, 3, 5, 5, 5, 8],
      y = [2.5, 1, 4, 4, 3, 9, 7, 7];
    // scipy.stats 1.10: spearmanr(x, y).correlation, pearsonr(x, y)[0]
    expect(spearman(x, y)).toBeCloseTo(0.7144097497387378, 14);
    expect(pearson(x, y)).toBeCloseTo(0.6929299344411685, 14);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(spearman([1], [2])).toBeNaN();
  });
});

describe('evaluation file readers', () => {
  // Reading the WordSim sets (not redistributable) is in evaluation.data.test.ts.
  it('pairs: comments, invalid lines skipped (reported by line), Python float syntax, other delimiters', () => {
    const r = parseWordPairs('# header\na\tb\t1.5\nbad line\na\tb\tc\n x \ty\t 1_0 \r\nq\tr\t2e1\n\nz\tw\n');
    expect(r.pairs).toEqual([
      ['a', 'b', 1.5],
      [' x ', 'y', 10],
      ['q', 'r', 20],
    ]);
    expect(r.skippedLines).toEqual([3, 4, 7, 8]);
    expect(parseWordPairs('a,b,3\n', { delimiter: ',' }).pairs).toEqual([['a', 'b', 3]]);
  });
  it('analogies: the Google file has 14 sections and 19,544 questions; a question before a section is an error', () => {
    const r = parseAnalogies(readFileSync(repoData('en-google-analogy/questions-words.txt'), 'utf8'));
    expect(r.sections).toHaveLength(14);
    expect(r.sections.reduce((n, s) => n + s.questions.length, 0)).toBe(19544);
    expect(r.sections.filter((s) => s.name.startsWith('gram'))).toHaveLength(9);
    expect(() => parseAnalogies('a b c d\n', 'q.txt')).toThrow(/q\.txt: line 1: a question before the first ": section" line/);
    expect(parseAnalogies(': s\na b c\na b c d\n').skippedLines).toEqual([2]);
  });
});

describe('evaluation protocol details (as gensim)', () => {
  // Four directions in 2-D; case variants of one word, the more frequent first.
  const words = ['paris', 'france', 'rome', 'italy', 'Paris', 'madrid'];
  const v = Float32Array.from([1, 0, 0.9, 0.45, 0, 1, -0.45, 0.9, 1, 0.01, -1, 0]);
  const e = new Embeddings(words, v, 2);

  it('word pairs: case-insensitive lookup takes the most frequent variant; OOV ratio is a percentage; dummy4unknown scores 0', async () => {
    const pairs = [
      ['PARIS', 'France', 3],
      ['rome', 'Italy', 2],
      ['rome', 'paris', 1],
      ['atlantis', 'rome', 0],
    ] as const;
    const r = await e.evaluateWordPairs(pairs as never);
    expect(r.pairs).toBe(3);
    expect(r.oovRatio).toBeCloseTo(25, 12);
    expect(r.spearman).toBeCloseTo(spearman([3, 2, 1], [e.similarity('paris', 'france'), e.similarity('rome', 'italy'), e.similarity('rome', 'paris')]), 12);
    const d = await e.evaluateWordPairs(pairs as never, { dummy4unknown: true });
    expect(d.oovRatio).toBeCloseTo(100 / 4, 12);
    expect(d.pairs).toBe(3);
    await expect(e.evaluateWordPairs([['x', 'y', 1]])).rejects.toThrow(/no valid word pairs/);
    await expect(e.evaluateWordPairs('/nope/pairs.txt')).rejects.toMatchObject({ code: 'IO' });
  });

  it('analogies: questions need all four words; a, b, c and their case variants are never the answer', async () => {
    const sections = [
      {
        name: 'capitals',
        questions: [
          ['paris', 'france', 'rome', 'italy'],
          ['Paris', 'France', 'Rome', 'Italy'],
          ['paris', 'france', 'atlantis', 'x'],
        ] as never,
      },
      { name: 'gram-empty', questions: [] },
    ];
    const r = await e.evaluateAnalogies(sections, { threads: 1 });
    expect(r.sections).toEqual([
      { name: 'capitals', correct: 2, total: 2 },
      { name: 'gram-empty', correct: 0, total: 0 },
    ]);
    expect([r.accuracy, r.semantic, r.syntactic, r.covered, r.total]).toEqual([1, 1, 0, 2, 3]);
    const d = await e.evaluateAnalogies(sections, { dummy4unknown: true, threads: 1 });
    expect(d.sections[0]).toEqual({ name: 'capitals', correct: 2, total: 3 });
    // Case-sensitive: "Paris"/"France" as written; "France" is unknown, so that question is skipped.
    const cs = await e.evaluateAnalogies(sections, { caseInsensitive: false, threads: 1 });
    expect(cs.covered).toBe(1);
    // restrictVocab 3 leaves "italy" out of the known words: nothing is covered.
    expect((await e.evaluateAnalogies(sections, { restrictVocab: 3, threads: 1 })).covered).toBe(0);
    await expect(e.evaluateAnalogies(sections, { restrictVocab: 0 })).rejects.toThrow(/option restrictVocab: got 0/);
  });
});
