import { describe, expect, it } from 'vitest';
import { CI_CASES, CI_HUGE, CI_SEED, reproduce } from './ci-settings.js';
import { formatFailure, runFuzz, summarize } from './harness.js';
import { fastTextTarget } from './targets.js';

describe('fuzz: fastText .bin and .ftz files end in a model or a Wasm2VecError, within time and allocation bounds', () => {
  for (const format of ['bin', 'ftz'] as const) {
    it(`.${format} (FastText.load float32/float16, vectors; LinearClassifier.load and predictions for supervised models)`, async () => {
      const target = fastTextTarget(format);
      const r = await runFuzz(target, { cases: CI_CASES, seed: CI_SEED, hugeCases: CI_HUGE });
      console.log(summarize(r));
      expect(r.failures.map(formatFailure), reproduce(target.name)).toEqual([]);
      expect(r.cases).toBe(CI_CASES);
      expect(r.ok).toBeGreaterThan(5);
      expect(r.errors.BAD_FORMAT ?? 0).toBeGreaterThan(CI_CASES / 2);
    });
  }
});
