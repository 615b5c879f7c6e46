import { describe, expect, it } from 'vitest';
import { Word2Vec, Wasm2VecError } from '../../src/index.js';
import { KernelPool } from '../../src/runtime/kernel-pool.js';
import { decodeCheckpoint } from '../../src/train/word2vec/checkpoint.js';
import { text8Slice } from '../helpers/data.js';
import { abortLatency, demoSlice, withPools, workersEnded } from './helpers.js';

/** The promised bound; on a loaded 2-core CI box one sample may exceed it, the median may not. */
const ABORT_MS = 100;
const text8 = text8Slice(8_000_000);
const demo = demoSlice(2_600_000);

function summary(label: string, ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  return `${label}: abort latency ms ${sorted.map((x) => x.toFixed(0)).join(', ')} (median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)})`;
}

describe('Word2Vec abort', () => {
  it('while tokenising and counting: rejects ABORTED within 100 ms (in-memory text, a slow stream)', async () => {
    const ms: number[] = [];
    for (const delay of [30, 120, 250]) {
      const r = await abortLatency((signal) => Word2Vec.train(text8, { signal, threads: 1, dim: 16 }), delay);
      expect(r.result).toBeInstanceOf(Wasm2VecError);
      expect((r.result as Wasm2VecError).code).toBe('ABORTED');
      ms.push(r.ms);
    }
    async function* slow() {
      for (let i = 0; ; i++) {
        yield `line ${i} of a source that never ends `.repeat(20);
        if (i % 50 === 0) await new Promise((r) => setTimeout(r, 5));
      }
    }
    const r = await abortLatency((signal) => Word2Vec.train(slow(), { signal, threads: 1 }), 150);
    expect((r.result as Wasm2VecError).code).toBe('ABORTED');
    ms.push(r.ms);
    console.log(summary('scanning', ms));
    expect([...ms].sort((a, b) => a - b)[1]).toBeLessThan(ABORT_MS);
    expect(Math.max(...ms)).toBeLessThan(3 * ABORT_MS);
  });

  it('during epochs: resolves with the model trained so far within 100 ms (2 threads)', async () => {
    const ms: number[] = [];
    for (const delay of [0, 45, 170]) {
      let started: (() => void) | null = null;
      const training = new Promise<void>((r) => {
        started = r;
      });
      const ac = new AbortController();
      const run = Word2Vec.train(demo, { dim: 64, epochs: 50, threads: 2, minCount: 3, signal: ac.signal, onProgress: () => started?.() });
      await training;
      const due = performance.now() + delay;
      await new Promise((r) => setTimeout(r, delay));
      ac.abort();
      const m = await run;
      ms.push(performance.now() - due);
      expect(m.stats.aborted).toBe(true);
      expect(m.stats.epochsCompleted).toBeLessThan(50);
      expect(m.embeddings.vectors.every(Number.isFinite)).toBe(true);
      expect(m.embeddings.mostSimilar({ positive: ['king'], topN: 3 })).toHaveLength(3);
      m.dispose();
    }
    console.log(summary('epochs', ms));
    expect([...ms].sort((a, b) => a - b)[1]).toBeLessThan(ABORT_MS);
    expect(Math.max(...ms)).toBeLessThan(3 * ABORT_MS);
  });
});

describe('Word2Vec worker failure', () => {
  for (const how of ['throws', 'is terminated'] as const) {
    it(`a worker that ${how} mid-epoch makes train reject WORKER_FAILED; the other workers end`, async () => {
      const baseline = KernelPool.liveWorkersForTest;
      const error = await withPools(async (pools) => {
        let fired = false;
        const run = Word2Vec.train(demo, {
          dim: 32,
          epochs: 20,
          threads: 2,
          minCount: 3,
          onProgress: (p) => {
            if (fired || p.progress === 0) return;
            fired = true;
            if (how === 'throws') void pools[0].crashWorkerForTest(1).catch(() => undefined);
            else pools[0].terminateWorkerForTest(1);
          },
        });
        const t0 = performance.now();
        const e = await run.then(
          () => null,
          (x: unknown) => x,
        );
        expect(performance.now() - t0).toBeLessThan(10_000);
        return e;
      });
      expect(error).toBeInstanceOf(Wasm2VecError);
      expect((error as Wasm2VecError).code).toBe('WORKER_FAILED');
      expect((error as Wasm2VecError).message).toMatch(
        /^Word2Vec training failed in epoch \d+: .*(worker crash requested|worker 1 was terminated|exited).*all workers were stopped/,
      );
      await workersEnded(baseline);
    });
  }
});

describe('Word2Vec numerical health', () => {
  it('a learning rate outside the schedule range is refused; a diverging one is a NUMERIC error, not garbage vectors', async () => {
    await expect(Word2Vec.train(demo, { alpha: 1e3 })).rejects.toThrow(/option alpha: got 1000, expected a finite number > 0 and <= 10/);
    const small = demoSlice(300_000);
    // Skip-gram diverges to Infinity/NaN; hierarchical softmax stays finite but its loss explodes.
    for (const [options, pattern] of [
      [{}, /non-finite values in the weights/],
      [{ hs: true }, /mean loss per pair of .*× an untrained model's/],
    ] as const) {
      const checkpoints: number[] = [];
      const e = await Word2Vec.train(small, {
        ...options,
        alpha: 8,
        dim: 32,
        epochs: 3,
        threads: 1,
        minCount: 3,
        checkpoint: (c) => {
          checkpoints.push(c.epoch);
        },
      }).then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(Wasm2VecError);
      expect((e as Wasm2VecError).code).toBe('NUMERIC');
      expect((e as Wasm2VecError).message).toMatch(pattern);
      expect((e as Wasm2VecError).message).toMatch(/lower alpha \(8\)\. No checkpoint had been written yet\./);
      expect(checkpoints).toEqual([]);
    }
  });

  it('divergence after a good epoch keeps that checkpoint and says so', async () => {
    // Epoch 1 is healthy and checkpointed; NaN then appears in the weights, as a diverging update would
    // leave it: the error names the kept checkpoint, which resumes normally.
    const small = demoSlice(300_000);
    const good: Uint8Array[] = [];
    const baseline = KernelPool.liveWorkersForTest;
    const e = await withPools(async (pools) =>
      Word2Vec.train(small, {
        dim: 16,
        epochs: 3,
        threads: 1,
        minCount: 3,
        checkpoint: async (c) => {
          good.push(c.bytes);
          // Poison syn0 in the model's memory after the first checkpoint, as a diverging update would:
          // find it by its first bytes as the checkpoint stored them.
          const syn0 = decodeCheckpoint(c.bytes, 'test').matrices.get('syn0')!;
          const memory = Buffer.from(pools[0].memory!.buffer as ArrayBuffer);
          const at = memory.indexOf(Buffer.from(syn0.buffer, syn0.byteOffset, 256));
          expect(at).toBeGreaterThan(0);
          new Float32Array(pools[0].memory!.buffer, at, 64).fill(NaN);
        },
      }).then(
        () => null,
        (x: unknown) => x,
      ),
    );
    expect((e as Wasm2VecError).code).toBe('NUMERIC');
    expect((e as Wasm2VecError).message).toMatch(/training diverged in epoch 2 .*The last good checkpoint \(after epoch 1\) is kept\./);
    expect(good).toHaveLength(1);
    const resumed = await Word2Vec.train(small, { resumeFrom: good[0], threads: 1 });
    expect(resumed.stats.epochsCompleted).toBe(3);
    resumed.dispose();
    await workersEnded(baseline);
  });
});
