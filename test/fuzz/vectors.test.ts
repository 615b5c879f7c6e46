import { describe, expect, it } from 'vitest';
import type { VectorFormat } from '../../src/index.js';
import { CI_CASES, CI_HUGE, CI_SEED, reproduce } from './ci-settings.js';
import { formatFailure, runFuzz, summarize } from './harness.js';
import { vectorTarget } from './targets.js';

const FORMATS: VectorFormat[] = ['word2vec-text', 'word2vec-binary', 'glove', 'vec', 'wasm2vec'];

describe('fuzz: vector readers end in vectors or a Wasm2VecError, within time and allocation bounds', () => {
  for (const format of FORMATS) {
    it(format, async () => {
      const r = await runFuzz(vectorTarget(format), { cases: CI_CASES, seed: CI_SEED, hugeCases: CI_HUGE });
      console.log(summarize(r));
      expect(r.failures.map(formatFailure), reproduce(`vectors:${format}`)).toEqual([]);
      expect(r.cases).toBe(CI_CASES);
      // Both outcomes occur: the seeds load and most mutations are diagnosed.
      expect(r.ok).toBeGreaterThan(5);
      expect(r.errors.BAD_FORMAT ?? 0).toBeGreaterThan(CI_CASES / 2);
    });
  }
});
