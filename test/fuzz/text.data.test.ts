import { describe, expect, it } from 'vitest';
import { CI_CASES, CI_HUGE, CI_SEED, reproduce } from './ci-settings.js';
import { formatFailure, runFuzz, summarize } from './harness.js';
import { pairsTarget } from './targets.js';

// Data suite: the pairs target seeded with the heads of WordSim-353 and WordSim-240, which cannot ship
// (text.test.ts runs it from the shipped seed file).
describe('fuzz: text inputs end in a result or a Wasm2VecError', () => {
  it('similarity pairs files seeded with WordSim-353 and WordSim-240 (parse + evaluate)', async () => {
    const target = pairsTarget('shared');
    const r = await runFuzz(target, { cases: CI_CASES, seed: CI_SEED, hugeCases: CI_HUGE });
    console.log(summarize(r));
    expect(r.failures.map(formatFailure), reproduce(target.name)).toEqual([]);
    expect(r.cases).toBe(CI_CASES);
    expect(r.ok).toBeGreaterThan(CI_CASES / 4);
  });
});
