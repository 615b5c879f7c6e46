import { describe, expect, it } from 'vitest';
import { CI_CASES, CI_HUGE, CI_SEED, reproduce } from './ci-settings.js';
import { formatFailure, runFuzz, summarize, type FuzzTarget } from './harness.js';
import { checkpointTarget, classifierCheckpointTarget, gloveCheckpointTarget, linearTarget, textClassifierTarget, vocabularyTarget } from './targets.js';

async function fuzz(target: FuzzTarget) {
  const r = await runFuzz(target, { cases: CI_CASES, seed: CI_SEED, hugeCases: CI_HUGE });
  console.log(summarize(r));
  expect(r.failures.map(formatFailure), reproduce(target.name)).toEqual([]);
  expect(r.cases).toBe(CI_CASES);
  expect(r.ok).toBeGreaterThan(3);
  expect(r.errors.BAD_FORMAT ?? 0).toBeGreaterThan(CI_CASES / 2);
  return r;
}

describe('fuzz: model files and JSON metadata end in a model or a Wasm2VecError', () => {
  // Full loads start WebAssembly workers (~40 ms each): a budget of them, the rest decode only.
  it('LinearClassifier model file (decode; 25 full loads + predictions)', () => fuzz(linearTarget(25)));
  it('TextClassifier model file (load; 10 predictions)', () => fuzz(textClassifierTarget(10)));
  it('Vocabulary.fromJSON', () => fuzz(vocabularyTarget()));
  it('Word2Vec checkpoint file (decode; 10 resumed trainings)', () => fuzz(checkpointTarget(10)));
  it('GloVe checkpoint file', () => fuzz(gloveCheckpointTarget()));
  it('TextClassifier checkpoint file', () => fuzz(classifierCheckpointTarget()));
});
