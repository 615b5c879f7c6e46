import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { GloVe, type CooccurrenceMatrix } from '../../../src/index.js';
import { whitespaceTokenizer } from '../../../src/text/tokenizer.js';
import { demoCorpusPath } from '../../helpers/data.js';

// About 36,000 tokens of the fairy-tale demo corpus, one paragraph per line.
const text = readFileSync(demoCorpusPath, 'utf8').split('\n').slice(0, 2500).join('\n');
const base = { window: 5, minCount: 2, tokenizer: whitespaceTokenizer } as const;

/** The obvious count, straight from the text: per line, each token's left neighbours, weight 1/distance. */
function straightforwardCount(corpus: string, words: readonly string[], window: number, symmetric: boolean): Map<string, number> {
  const id = new Map(words.map((w, i) => [w, i]));
  const cells = new Map<string, number>();
  const add = (key: string, x: number) => cells.set(key, (cells.get(key) ?? 0) + x);
  for (const line of corpus.split('\n')) {
    const ids = line
      .split(/\s+/)
      .filter((w) => w !== '')
      .map((w) => id.get(w))
      .filter((x): x is number => x !== undefined);
    for (let p = 0; p < ids.length; p++) {
      for (let k = p - 1; k >= 0 && k >= p - window; k--) {
        add(`${ids[k]} ${ids[p]}`, 1 / (p - k));
        if (symmetric) add(`${ids[p]} ${ids[k]}`, 1 / (p - k));
      }
    }
  }
  return cells;
}

/** Same keys, and every weight equal after rounding both to float32. */
function expectSameTable(m: CooccurrenceMatrix, reference: Map<string, number>): void {
  expect(m.rows.length).toBe(reference.size);
  let mismatched = 0,
    missing = 0;
  for (let k = 0; k < m.rows.length; k++) {
    if (k > 0) expect(m.rows[k] > m.rows[k - 1] || (m.rows[k] === m.rows[k - 1] && m.cols[k] > m.cols[k - 1])).toBe(true);
    const ref = reference.get(`${m.rows[k]} ${m.cols[k]}`);
    if (ref === undefined) missing++;
    else if (Math.fround(ref) !== Math.fround(m.values[k])) mismatched++;
  }
  expect({ missing, mismatched }).toEqual({ missing: 0, mismatched: 0 });
}

describe('GloVe co-occurrence counting', () => {
  let symmetricReference: Map<string, number> | null = null;
  const reference = (m: CooccurrenceMatrix) => (symmetricReference ??= straightforwardCount(text, m.vocabulary.words, 5, true));

  it('equals a straightforward TypeScript count: 1 thread, dense corner + hash table', async () => {
    const m = await GloVe.cooccurrences(text, { ...base, threads: 1 });
    expect(m.vocabulary.size).toBeGreaterThan(1000);
    expect(m.rows.length).toBeGreaterThan(50_000);
    expect(m.spilledRuns).toBe(0);
    expectSameTable(m, reference(m));
  });

  it('equals it with 2 threads (rows partitioned between the workers)', async () => {
    const m = await GloVe.cooccurrences(text, { ...base, threads: 2 });
    expectSameTable(m, reference(m));
  });

  it('equals it with every cell hashed (maxProduct 0) and 2 threads', async () => {
    const m = await GloVe.cooccurrences(text, { ...base, threads: 2, maxProduct: 0 });
    expectSameTable(m, reference(m));
  });

  it('spills sorted runs past memoryBudget and merges them into the same table (1 and 2 threads)', async () => {
    const inMemory = await GloVe.cooccurrences(text, { ...base, threads: 1 });
    for (const threads of [1, 2]) {
      const spilled = await GloVe.cooccurrences(text, { ...base, threads, memoryBudget: 10 << 20, maxProduct: 0 });
      expect(spilled.spilledRuns).toBeGreaterThan(1);
      expect(spilled.rows).toEqual(inMemory.rows);
      expect(spilled.cols).toEqual(inMemory.cols);
      expect(Float32Array.from(spilled.values)).toEqual(Float32Array.from(inMemory.values));
    }
  });

  it('counts left context only with symmetric: false', async () => {
    const m = await GloVe.cooccurrences(text, { ...base, threads: 2, symmetric: false });
    expectSameTable(m, straightforwardCount(text, m.vocabulary.words, 5, false));
  });

  it('weights by 1/distance, never crosses a line, and skips out-of-vocabulary words without a gap', async () => {
    // "rare" occurs once (below minCount 2), so "a rare b" counts a–b at distance 1, as cooccur.c does.
    const corpus = 'a b c\nc a\na rare b\n';
    const m = await GloVe.cooccurrences(corpus, { window: 2, minCount: 2, threads: 1, tokenizer: whitespaceTokenizer });
    const words = m.vocabulary.words;
    const cells = new Map<string, number>();
    for (let k = 0; k < m.rows.length; k++) cells.set(`${words[m.rows[k]]} ${words[m.cols[k]]}`, m.values[k]);
    expect(Object.fromEntries(cells)).toEqual({
      'a b': 2,
      'b a': 2,
      'a c': 1.5,
      'c a': 1.5,
      'b c': 1,
      'c b': 1,
    });
  });
});
