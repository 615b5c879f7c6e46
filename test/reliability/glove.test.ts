import { describe, expect, it } from 'vitest';
import { GloVe, type Wasm2VecError, type GloVeOptions } from '../../src/index.js';
import { KernelPool } from '../../src/runtime/kernel-pool.js';
import { text8Slice } from '../helpers/data.js';
import { demoSlice, sha, withPools, workersEnded } from './helpers.js';

const corpus = demoSlice(300_000);

describe('GloVe reliability', () => {
  it('1 thread: 2 epochs, checkpoint, resume 3 == 5 uninterrupted epochs, bit for bit', async () => {
    const options: GloVeOptions = { dim: 16, epochs: 5, threads: 1, minCount: 3 };
    const straight = await GloVe.train(corpus, options);
    const ac = new AbortController();
    let saved: Uint8Array | null = null;
    const part = await GloVe.train(corpus, {
      ...options,
      signal: ac.signal,
      checkpoint: (c) => {
        if (c.epoch === 2) {
          saved = c.bytes;
          ac.abort();
        }
      },
    });
    expect(part.stats.epochsCompleted).toBe(2);
    expect(part.stats.aborted).toBe(true);
    const resumed = await GloVe.train(corpus, { resumeFrom: saved!, threads: 1 });
    expect(resumed.stats.epochCosts).toEqual(straight.stats.epochCosts);
    expect(sha(resumed.embeddings.vectors)).toBe(sha(straight.embeddings.vectors));
    expect(sha(part.embeddings.vectors)).not.toBe(sha(straight.embeddings.vectors));
    const wrong = await GloVe.train(corpus, { resumeFrom: saved!, dim: 8 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect((wrong as Wasm2VecError).message).toMatch(/option dim: got 8, but the checkpoint was trained with 16/);
    for (const m of [straight, part, resumed]) m.dispose();
  });

  it('aborts within 100 ms while counting, shuffling and training', async () => {
    const text = text8Slice(6_000_000);
    const ms: string[] = [];
    for (const phase of ['counting', 'shuffling', 'training'] as const) {
      // Abort the moment the phase is reported, and measure until train settles.
      const ac = new AbortController();
      let at = 0;
      const result = await GloVe.train(text, {
        dim: 32,
        epochs: 50,
        threads: 2,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.phase === phase && !at) {
            at = performance.now();
            queueMicrotask(() => ac.abort());
          }
        },
      }).then(
        (m) => m,
        (e: unknown) => e,
      );
      const latency = performance.now() - at;
      ms.push(`${phase} ${latency.toFixed(0)}`);
      if (phase === 'training') {
        expect((result as GloVe).stats.aborted).toBe(true);
        (result as GloVe).dispose();
      } else expect((result as Wasm2VecError).code).toBe('ABORTED');
      expect(latency).toBeLessThan(150);
    }
    console.log(`GloVe abort latency ms: ${ms.join(', ')}`);
  });

  it('a worker that throws while training makes train reject WORKER_FAILED; every worker ends', async () => {
    const baseline = KernelPool.liveWorkersForTest;
    const e = await withPools(async (pools) => {
      let fired = false;
      return GloVe.train(corpus, {
        dim: 16,
        epochs: 30,
        threads: 2,
        minCount: 3,
        onProgress: (p) => {
          if (p.phase === 'training' && !fired) {
            fired = true;
            void pools[0].crashWorkerForTest(1).catch(() => undefined);
          }
        },
      }).then(
        () => null,
        (x: unknown) => x,
      );
    });
    expect((e as Wasm2VecError).code).toBe('WORKER_FAILED');
    expect((e as Wasm2VecError).message).toMatch(/^GloVe training failed while training: .*all workers were stopped/);
    await workersEnded(baseline);
  });

  it('a learning rate that diverges is a NUMERIC error, not garbage vectors', async () => {
    const e = await GloVe.train(corpus, { dim: 16, epochs: 2, threads: 1, minCount: 3, learningRate: 2 }).then(
      () => null,
      (x: unknown) => x,
    );
    expect((e as Wasm2VecError).code).toBe('NUMERIC');
    expect((e as Wasm2VecError).message).toMatch(/training diverged in epoch 1 .*lower learningRate \(2\)/);
  });
});
