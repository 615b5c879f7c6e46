import { describe, expect, it } from 'vitest';
import type { Wasm2VecError } from '../../../src/errors.js';
import { BATCH_IDS, batchExamples, planLinear, type LinearShape } from '../../../src/classify/linear/layout.js';
import { expectSoundLayout, hasRegion, region } from '../../runtime/layout-checks.js';

const base: LinearShape = { dim: 16, rows: 1200, nwords: 1000, labels: 5, outRows: 5, hs: false, ns: false, tfidf: false, maxDepth: 1, threads: 2 };

describe('batchExamples', () => {
  it('as many examples as 2^22 probabilities allow, between 1 and 2048', () => {
    expect(batchExamples(1)).toBe(2048);
    expect(batchExamples(2048)).toBe(2048);
    expect(batchExamples(2049)).toBe(2047);
    expect(batchExamples(1 << 21)).toBe(2);
    expect(batchExamples(1 << 22)).toBe(1);
    expect(batchExamples(1 << 23)).toBe(1);
  });
});

describe('planLinear', () => {
  it('input rows (words + used buckets) and output rows of dim floats; per thread a scratch, a batch and its probabilities', () => {
    const { layout, regions } = planLinear(base);
    expectSoundLayout(layout);
    expect(region(layout, 'input rows').bytes).toBe(1200 * 16 * 4);
    expect(region(layout, 'input rows').what).toBe('(1,000 words + 200 used n-gram buckets) × dim 16 × 4 bytes');
    expect(region(layout, 'output rows').bytes).toBe(5 * 16 * 4);
    expect(region(layout, 'bucket of each n-gram row').bytes).toBe(200 * 4);
    expect(region(layout, 'label counts').bytes).toBe(5 * 8);
    expect(regions.batchExamples).toBe(2048);
    for (const t of [0, 1]) {
      expect(region(layout, `thread ${t} batch input ids`).bytes).toBe(BATCH_IDS * 4);
      expect(region(layout, `thread ${t} probabilities`).bytes).toBe(2048 * 5 * 4);
      expect(region(layout, `thread ${t} scratch`).bytes).toBeGreaterThanOrEqual(3 * 16 * 4 + 5 * 4);
    }
    expect(hasRegion(layout, 'thread 2 scratch')).toBe(false);
    // Not training: no training set, no document frequencies; no tree, no noise table.
    for (const name of ['training set input ids', 'document frequencies', 'idf weights', 'label tree paths', 'negative sampling table'])
      expect(hasRegion(layout, name)).toBe(false);
    expect(regions.train).toBeNull();
  });
  it('optional parts appear exactly when asked: tree (hs), noise table (ns), idf (tfidf), df and the training set (training)', () => {
    const { layout } = planLinear({
      ...base,
      hs: true,
      outRows: 4,
      maxDepth: 3,
      ns: true,
      tfidf: true,
      threads: 1,
      train: { examples: 100, ids: 5000, labelIds: 120 },
    });
    expectSoundLayout(layout);
    expect(region(layout, 'label tree paths').bytes).toBe(5 * 3 * 4);
    expect(region(layout, 'label tree codes').bytes).toBe(5 * 3);
    expect(region(layout, 'label tree path lengths').bytes).toBe(5 * 4);
    expect(region(layout, 'negative sampling table').bytes).toBe(5 * 4);
    expect(region(layout, 'idf weights').bytes).toBe(1200 * 4);
    expect(region(layout, 'document frequencies').bytes).toBe(1200 * 4);
    expect(region(layout, 'training set input ids').bytes).toBe(5000 * 4);
    expect(region(layout, 'training set offsets').bytes).toBe(101 * 4);
    expect(region(layout, 'training set label ids').bytes).toBe(120 * 4);
    expect(region(layout, 'training set token prefix sums').bytes).toBe(101 * 8);
    expect(region(layout, 'output rows').bytes).toBe(4 * 16 * 4);
  });
  it('no n-gram buckets still gets a one-entry bucket table (never a zero-length region the kernel would index)', () => {
    const { layout } = planLinear({ ...base, rows: 1000 });
    expect(region(layout, 'bucket of each n-gram row').bytes).toBe(4);
  });
  it('refuses in words what wasm32 cannot hold, naming the input rows', () => {
    let e: Wasm2VecError | undefined;
    try {
      planLinear({ ...base, rows: 12_000_000, nwords: 2_000_000, dim: 100 });
    } catch (x) {
      e = x as Wasm2VecError;
    }
    expect(e?.code).toBe('MEMORY_LIMIT');
    expect(e?.message).toMatch(
      /^LinearClassifier needs [\d.]+ GiB of WebAssembly memory, but wasm32 memory is capped at 4 GiB; largest parts: input rows 4\.47 GiB \(\(2,000,000 words \+ 10,000,000 used n-gram buckets\) × dim 100 × 4 bytes\)/,
    );
  });
});
