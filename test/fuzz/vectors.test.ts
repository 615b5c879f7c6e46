import { describe, expect, it } from 'vitest';
import { Embeddings, Wasm2VecError, type VectorFormat } from '../../src/index.js';
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

describe('long lines in small chunks', () => {
  it('a 32 MB line arriving in 16 KiB chunks is read in linear time (it was re-scanned per chunk)', async () => {
    const line = new TextEncoder().encode('word' + ' 0.5'.repeat(8 * 1024 * 1024) + '\n');
    async function* chunks() {
      for (let at = 0; at < line.length; at += 16384) yield line.subarray(at, at + 16384);
    }
    const t0 = performance.now();
    const e = await Embeddings.load(chunks(), { format: 'glove' }).then(
      () => null,
      (x: unknown) => x,
    );
    const ms = performance.now() - t0;
    // 8 Mi values exceed the largest dimension: a clear error, in about a second rather than minutes.
    expect(e).toBeInstanceOf(Wasm2VecError);
    expect((e as Wasm2VecError).message).toMatch(/dimension 8388608 is larger than the supported maximum 100000/);
    expect(ms).toBeLessThan(8000);
  });
});
