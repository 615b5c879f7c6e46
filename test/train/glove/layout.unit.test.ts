import { describe, expect, it } from 'vitest';
import { Wasm2VecError } from '../../../src/errors.js';
import { MAX_LOAD, RECORD_BYTES, planGlove, tableLimit, type GloveShape } from '../../../src/train/glove/layout.js';
import { expectSoundLayout, region } from '../../runtime/layout-checks.js';

/** Zipf-like counts (most frequent first), as a real vocabulary has. */
const zipf = (vocab: number, top = 1e6) => Float64Array.from({ length: vocab }, (_, i) => Math.max(5, Math.floor(top / (i + 1))));
const shape = (o: Partial<GloveShape> = {}): GloveShape => ({ counts: zipf(1500), dim: 50, window: 10, symmetric: true, threads: 2, budget: 256 << 20, ...o });
function failure(f: () => unknown): Wasm2VecError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(Wasm2VecError);
    return e as Wasm2VecError;
  }
  throw new Error('did not fail');
}

describe('planGlove', () => {
  it('parameters: 2 × vocabulary rows of (dim rounded up to 4, AdaGrad sums, bias, bias sum), plus the output vectors', () => {
    const p = planGlove(shape());
    expectSoundLayout(p.layout);
    expect(p.stride).toBe(52);
    expect(p.rowBytes).toBe((2 * 52 + 4) * 4);
    expect(region(p.layout, 'vectors, biases and AdaGrad sums').bytes).toBe(2 * 1500 * p.rowBytes);
    expect(region(p.layout, 'output vectors').bytes).toBe(1500 * 50 * 4);
    expect(planGlove(shape({ dim: 52 })).stride).toBe(52);
    expect(planGlove(shape({ dim: 1 })).stride).toBe(4);
  });
  it('the arena: thread tables inside their spans, the dense corner after them, all within the budget', () => {
    for (const o of [{}, { threads: 1 }, { threads: 4, symmetric: false }, { budget: 24 << 20 }, { window: 2, counts: zipf(300) }]) {
      const p = planGlove(shape(o));
      const r = p.regions;
      expectSoundLayout(p.layout);
      const budget = shape(o).budget;
      expect(r.arena + r.arenaBytes).toBeLessThanOrEqual(budget + 64);
      let at = r.arena;
      for (const t of r.tables) {
        expect(t.offset).toBe(at);
        expect(t.slots).toBeLessThanOrEqual(t.maxSlots);
        expect(t.slots * RECORD_BYTES).toBeLessThanOrEqual(t.span * RECORD_BYTES);
        expect(t.limit).toBe(tableLimit(t.slots, p.perOccurrence));
        at += t.span * RECORD_BYTES;
      }
      expect(r.tablesEnd).toBeGreaterThanOrEqual(at);
      expect(r.dense).toBeGreaterThanOrEqual(r.tablesEnd);
      expect(r.dense + r.denseCells * 8).toBeLessThanOrEqual(r.arena + r.arenaBytes);
      expect(r.denseCells * 8).toBeLessThanOrEqual(0.2 * (budget - r.arena)); // at most a fifth of the budget's arena
    }
  });
  it('the dense corner: per row a prefix of columns, shorter for rarer rows, capped by maxProduct', () => {
    const p = planGlove(shape());
    const len = (i: number) => p.lookup[i + 1] - p.lookup[i];
    expect(p.lookup[0]).toBe(0);
    expect(p.lookup[1500]).toBe(p.regions.denseCells);
    expect(p.regions.denseCells).toBeGreaterThan(0);
    for (let i = 1; i < 1500; i++) expect(len(i)).toBeLessThanOrEqual(len(i - 1));
    expect(p.denseThreshold).toBeGreaterThanOrEqual(0.5);
    const capped = planGlove(shape({ maxProduct: 100 }));
    for (let i = 0; i < 1500; i++) expect(capped.lookup[i + 1] - capped.lookup[i]).toBeLessThanOrEqual(Math.floor(100 / (i + 1)));
    expect(planGlove(shape({ maxProduct: 0 })).regions.denseCells).toBe(0);
  });
  it('cells per occurrence: 2 × window when symmetric (upper triangle stored), window otherwise', () => {
    expect([planGlove(shape()).perOccurrence, planGlove(shape()).triangle]).toEqual([20, true]);
    expect([planGlove(shape({ symmetric: false })).perOccurrence, planGlove(shape({ symmetric: false })).triangle]).toEqual([10, false]);
  });
  it('rows go to threads by longest processing time: every thread gets rows, loads within one row of each other', () => {
    expect([...planGlove(shape({ threads: 1 })).owner].every((t) => t === 0)).toBe(true);
    const counts = zipf(2000, 1e5);
    const p = planGlove(shape({ threads: 3, symmetric: false, counts }));
    const load = [0, 0, 0];
    p.owner.forEach((t, i) => {
      load[t] += counts[i] + 1;
    });
    expect(Math.min(...load)).toBeGreaterThan(0);
    expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(counts[0] + 1);
  });
  it('a budget too small is MEMORY_LIMIT naming budget, vocabulary and dim, and the minimum it names is exact', () => {
    const s = shape({ budget: 1 << 20 });
    const e = failure(() => planGlove(s));
    expect(e.code).toBe('MEMORY_LIMIT');
    expect(e.message).toMatch(/^GloVe: memoryBudget 1,048,576 bytes \(1\.0 MiB\) is too small for this vocabulary: 1,500 words × dim 50 need /);
    const min = Number(/raise memoryBudget to at least ([\d,]+) bytes/.exec(e.message)![1].replace(/,/g, ''));
    expect(() => planGlove({ ...s, budget: min })).not.toThrow();
    expect(failure(() => planGlove({ ...s, budget: min - 64 })).code).toBe('MEMORY_LIMIT');
    // With part of the user's budget reserved elsewhere, the minimum named is the user's budget.
    const reserved = 3 << 20;
    const r = failure(() => planGlove({ ...s, reserved }));
    expect(r.message).toMatch(/and 3\.0 MiB of the budget are kept for the corpus token cache/);
    const userMin = Number(/at least ([\d,]+) bytes/.exec(r.message)![1].replace(/,/g, ''));
    expect(userMin - reserved).toBe(min);
  });
  it('a tight budget limits the tables (budgetLimited), a generous one does not', () => {
    expect(planGlove(shape({ budget: 1 << 30 })).budgetLimited).toBe(false);
    expect(planGlove(shape({ budget: 12 << 20 })).budgetLimited).toBe(true);
  });
  it('refuses what wasm32 cannot hold before looking at the budget', () => {
    const e = failure(() => planGlove(shape({ counts: zipf(2_000_000), dim: 300, budget: 1 << 20 })));
    expect(e.message).toMatch(
      /^GloVe needs [\d.]+ GiB of WebAssembly memory, but wasm32 memory is capped at 4 GiB; largest parts: vectors, biases and AdaGrad sums/,
    );
  });
  it("tableLimit: stops at 3/4 load minus one token's cells, never below 1", () => {
    expect(MAX_LOAD).toBe(0.75);
    expect(tableLimit(4096, 20)).toBe(3072 - 20);
    expect(tableLimit(4097, 0)).toBe(3072);
    expect(tableLimit(16, 20)).toBe(1);
  });
});
