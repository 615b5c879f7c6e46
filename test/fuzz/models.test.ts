import { describe, expect, it } from 'vitest';
import { LinearClassifier, Wasm2VecError } from '../../src/index.js';
import { decodeLinearModel } from '../../src/classify/linear/model-file.js';
import { CI_CASES, CI_HUGE, CI_SEED, reproduce } from './ci-settings.js';
import { formatFailure, runFuzz, summarize, type FuzzTarget } from './harness.js';
import {
  checkpointTarget,
  classifierCheckpointTarget,
  gloveCheckpointTarget,
  linearCheckpointTarget,
  linearTarget,
  textClassifierTarget,
  vocabularyTarget,
} from './targets.js';

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
  it('LinearClassifier checkpoint file (decode; 10 resumed fits)', () => fuzz(linearCheckpointTarget(10)));
});

describe('fuzz findings stay fixed', () => {
  it('a LinearClassifier file whose hs label counts reach 1e15 is refused (building its label tree never ended)', async () => {
    const clf = new LinearClassifier({ dim: 3, epochs: 1, threads: 1, loss: 'hs' });
    await clf.fit(['a b', 'c d', 'e f'], [0, 1, 2]);
    const bytes = await clf.toBytes();
    clf.dispose();
    const len = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + len)));
    header.labels.counts = [2 ** 53, 1, 2];
    const json = new TextEncoder().encode(JSON.stringify(header));
    const start = Math.ceil((16 + json.length) / 8) * 8;
    const edited = new Uint8Array(start + bytes.length - Math.ceil((16 + len) / 8) * 8);
    edited.set(bytes.subarray(0, 16));
    new DataView(edited.buffer).setUint32(12, json.length, true);
    edited.set(json, 16);
    edited.set(bytes.subarray(Math.ceil((16 + len) / 8) * 8), start);
    expect(() => decodeLinearModel(edited, 'edited')).toThrow(Wasm2VecError);
    expect(() => decodeLinearModel(edited, 'edited')).toThrow(/label count 9007199254740992 \(expected an integer in \[0, 1e15\)\)/);
  });
});
