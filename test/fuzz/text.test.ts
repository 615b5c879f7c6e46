import { describe, expect, it } from 'vitest';
import { CI_CASES, CI_HUGE, CI_SEED, reproduce } from './ci-settings.js';
import { formatFailure, runFuzz, summarize, type FuzzTarget } from './harness.js';
import { analogiesTarget, corpusTarget, pairsTarget } from './targets.js';

async function fuzz(target: FuzzTarget) {
  const r = await runFuzz(target, { cases: CI_CASES, seed: CI_SEED, hugeCases: CI_HUGE });
  console.log(summarize(r));
  expect(r.failures.map(formatFailure), reproduce(target.name)).toEqual([]);
  expect(r.cases).toBe(CI_CASES);
  expect(r.ok).toBeGreaterThan(CI_CASES / 4);
  return r;
}

describe('fuzz: text inputs end in a result or a Wasm2VecError', () => {
  it('corpus decoding: bytes → pieces → tokens → id chunks (invariants: counts, ids, sentences, chunking)', () => fuzz(corpusTarget()));
  it('similarity pairs files (parse + evaluate)', () => fuzz(pairsTarget()));
  it('analogy files (parse + evaluate)', () => fuzz(analogiesTarget()));
});
