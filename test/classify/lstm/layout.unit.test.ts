import { describe, expect, it } from 'vitest';
import type { Wasm2VecError } from '../../../src/errors.js';
import { SHARD_ROWS, planClassifier, planParams, type NetworkShape } from '../../../src/classify/lstm/layout.js';
import { expectSoundLayout, region } from '../../runtime/layout-checks.js';

const small: NetworkShape = { vocabSize: 100, sequenceLength: 6, embeddingDim: 3, units: [5], outputs: 1 };

describe('planParams (Keras get_weights() order after the embedding)', () => {
  it('one LSTM of 5 units on 3-dim embeddings, sigmoid head: shapes and 16-byte aligned offsets, by hand', () => {
    const p = planParams(small);
    expect(p.tensors.map((t) => [t.name, t.shape, t.offset, t.length])).toEqual([
      ['lstm_0/kernel', [3, 20], 0, 60],
      ['lstm_0/recurrent_kernel', [5, 20], 60, 100],
      ['lstm_0/bias', [20], 160, 20],
      ['dense/kernel', [5, 1], 180, 5],
      ['dense/bias', [1], 188, 1],
    ]);
    expect(p.floats).toBe(192);
    // Keras counts 60 + 100 + 20 + 5 + 1 = 186 trainable parameters besides the embedding.
    expect(p.tensors.reduce((n, t) => n + t.length, 0)).toBe(186);
  });
  it("stacked layers take the previous layer's units as input; a softmax head has one output per class", () => {
    const p = planParams({ ...small, units: [8, 4], outputs: 3 });
    const byName = new Map(p.tensors.map((t) => [t.name, t]));
    expect(byName.get('lstm_1/kernel')!.shape).toEqual([8, 16]);
    expect(byName.get('lstm_1/recurrent_kernel')!.shape).toEqual([4, 16]);
    expect(byName.get('dense/kernel')!.shape).toEqual([4, 3]);
    for (const t of p.tensors) expect(t.offset % 4).toBe(0);
    for (let i = 1; i < p.tensors.length; i++) expect(p.tensors[i].offset).toBeGreaterThanOrEqual(p.tensors[i - 1].offset + p.tensors[i - 1].length);
  });
});

describe('planClassifier', () => {
  it('embedding, its gradient and Adam moments of vocab × dim floats; weights and moments of planParams size; shards of 8 rows', () => {
    const { layout, regions } = planClassifier(small, { threads: 2, batchRows: 32, predictRows: 100 });
    expectSoundLayout(layout);
    for (const name of ['embedding', 'embedding gradient', 'embedding Adam m', 'embedding Adam v']) expect(region(layout, name).bytes).toBe(100 * 3 * 4);
    for (const name of ['LSTM and dense weights', 'Adam m', 'Adam v']) expect(region(layout, name).bytes).toBe(192 * 4);
    expect(SHARD_ROWS).toBe(8);
    expect(regions.trainShards).toBe(4);
    expect(regions.maxRows).toBe(100);
    expect(region(layout, 'batch token ids').bytes).toBe(100 * 6 * 4);
    expect(region(layout, 'shard gradients').bytes).toBeGreaterThanOrEqual(4 * 192 * 4);
    expect(regions.threads).toHaveLength(2);
    expect(layout.regions.filter((r) => r.name === 'thread 1 descriptor')).toHaveLength(1);
    expect(layout.regions.some((r) => r.name.startsWith('thread 2 '))).toBe(false);
  });
  it('the batch size rounds up to whole shards', () => {
    expect(planClassifier(small, { threads: 1, batchRows: 33, predictRows: 1 }).regions.trainShards).toBe(5);
    expect(planClassifier(small, { threads: 1, batchRows: 1, predictRows: 1 }).regions.trainShards).toBe(1);
  });
  it('refuses in words what wasm32 cannot hold: the embedding and its Adam state are four vocab × dim matrices', () => {
    let e: Wasm2VecError | undefined;
    try {
      planClassifier({ ...small, vocabSize: 5_000_000, embeddingDim: 64 }, { threads: 1, batchRows: 32, predictRows: 32 });
    } catch (x) {
      e = x as Wasm2VecError;
    }
    expect(e?.code).toBe('MEMORY_LIMIT');
    expect(e?.message).toMatch(
      /^TextClassifier needs 4\.\d\d GiB of WebAssembly memory.*largest parts: embedding 1\.19 GiB \(vocabulary 5,000,000 × embedding 64 × 4 bytes\), embedding gradient 1\.19 GiB/,
    );
    expect(() => planClassifier({ ...small, vocabSize: 4_000_000, embeddingDim: 64 }, { threads: 1, batchRows: 32, predictRows: 32 })).not.toThrow();
  });
});
