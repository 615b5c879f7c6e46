import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Word2Vec, Wasm2VecError, type Word2VecOptions } from '../../src/index.js';
import { demoSlice, sha } from './helpers.js';

const corpus = demoSlice(300_000);
const dir = mkdtempSync(join(tmpdir(), 'w2v-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function vectorsOf(options: Word2VecOptions): Promise<{ hash: string; epochs: number }> {
  const m = await Word2Vec.train(corpus, options);
  try {
    return { hash: sha(m.embeddings.vectors), epochs: m.stats.epochsCompleted };
  } finally {
    m.dispose();
  }
}

/** Trains with checkpoints, stopping (abort) right after the checkpoint of epoch `stopAfter`. */
async function interrupted(options: Word2VecOptions, stopAfter: number): Promise<Uint8Array> {
  const ac = new AbortController();
  let saved: Uint8Array | null = null;
  const m = await Word2Vec.train(corpus, {
    ...options,
    signal: ac.signal,
    checkpoint: ({ epoch, bytes }) => {
      if (epoch === stopAfter) {
        saved = bytes;
        ac.abort();
      }
    },
  });
  expect(m.stats.aborted).toBe(true);
  expect(m.stats.epochsCompleted).toBe(stopAfter);
  m.dispose();
  return saved!;
}

describe('Word2Vec checkpoints and resume', () => {
  const cases: [string, Word2VecOptions][] = [
    ['skip-gram, batched (default)', {}],
    ['CBOW + hierarchical softmax + negatives', { model: 'cbow', hs: true, negative: 3 }],
  ];
  for (const [name, extra] of cases) {
    it(`1 thread: 2 epochs, checkpoint, resume 3 == 5 uninterrupted epochs, bit for bit (${name})`, async () => {
      const options: Word2VecOptions = { dim: 24, epochs: 5, threads: 1, minCount: 3, seed: 7, ...extra };
      const straight = await vectorsOf(options);
      const checkpoint = await interrupted(options, 2);
      const resumed = await vectorsOf({ threads: 1, resumeFrom: checkpoint });
      expect(resumed).toEqual(straight);
      // Another seed gives other vectors, so equality above is not an accident of the check.
      expect((await vectorsOf({ ...options, seed: 8 })).hash).not.toBe(straight.hash);
    });
  }

  it('a checkpoint path is replaced atomically every checkpointEvery epochs; the run resumes from the file', async () => {
    const path = join(dir, 'model.ckpt');
    const epochs: number[] = [];
    const options: Word2VecOptions = { dim: 16, epochs: 5, threads: 1, minCount: 3 };
    const full = await Word2Vec.train(corpus, {
      ...options,
      checkpoint: path,
      checkpointEvery: 2,
      onProgress: (p) => {
        if (existsSync(path)) epochs.push(p.epoch);
      },
    });
    const hash = sha(full.embeddings.vectors);
    full.dispose();
    expect(existsSync(`${path}.partial`)).toBe(false);
    // Epochs 2, 4 and the last (5) are checkpointed: the file on disk is the final state, resuming it trains nothing.
    const done = await Word2Vec.train(corpus, { resumeFrom: path, threads: 1 });
    expect(sha(done.embeddings.vectors)).toBe(hash);
    expect(done.stats.epochsCompleted).toBe(5);
    done.dispose();
    expect(readFileSync(path).length).toBeGreaterThan(0);
  });

  it('threads > 1: checkpoints carry every thread RNG; a resumed run completes (Hogwild runs are not bit-reproducible)', async () => {
    const options: Word2VecOptions = { dim: 16, epochs: 3, threads: 2, minCount: 3 };
    const straight = await Word2Vec.train(corpus, options);
    const checkpoint = await interrupted(options, 1);
    const m = await Word2Vec.train(corpus, { resumeFrom: checkpoint, threads: 2 });
    expect(m.stats.epochsCompleted).toBe(3);
    expect(m.embeddings.vectors.every(Number.isFinite)).toBe(true);
    // The resumed run ends where an uninterrupted one does: the same final loss within Hogwild noise.
    expect(Math.abs(m.stats.finalLoss / straight.stats.finalLoss - 1)).toBeLessThan(0.05);
    m.dispose();
    straight.dispose();
    // A different thread count is allowed too (extra threads start fresh RNG streams).
    const one = await Word2Vec.train(corpus, { resumeFrom: checkpoint, threads: 1 });
    expect(one.stats.epochsCompleted).toBe(3);
    one.dispose();
  });

  it('refuses contradicting options, another corpus, bad checkpoint options and corrupt files with clear errors', async () => {
    const checkpoint = await interrupted({ dim: 16, epochs: 3, threads: 1, minCount: 3 }, 1);
    const fail = async (c: string, o: Word2VecOptions) => {
      try {
        (await Word2Vec.train(c, o)).dispose();
      } catch (e) {
        expect(e).toBeInstanceOf(Wasm2VecError);
        return e as Wasm2VecError;
      }
      throw new Error('did not fail');
    };
    const dim = await fail(corpus, { resumeFrom: checkpoint, dim: 32 });
    expect(dim.code).toBe('INVALID_OPTION');
    expect(dim.message).toMatch(/option dim: got 32, but the checkpoint was trained with 16/);
    // Repeating a stored option is fine.
    const same = await Word2Vec.train(corpus, { resumeFrom: checkpoint, dim: 16, threads: 1 });
    same.dispose();
    const other = await fail(demoSlice(200_000), { resumeFrom: checkpoint });
    expect(other.message).toMatch(/option resumeFrom: this corpus has \d+ tokens .* the checkpoint was trained on \d+/);
    const flipped = checkpoint.slice();
    flipped[flipped.length - 100] ^= 1;
    const corrupt = await fail(corpus, { resumeFrom: flipped });
    expect(corrupt.code).toBe('BAD_FORMAT');
    expect(corrupt.message).toMatch(/checksum mismatch/);
    expect((await fail(corpus, { resumeFrom: join(dir, 'missing.ckpt') })).code).toBe('IO');
    expect((await fail(corpus, { resumeFrom: 42 as never })).message).toMatch(/option resumeFrom: got 42/);
    expect((await fail(corpus, { checkpointEvery: 2 })).message).toMatch(/option checkpointEvery: got 2, expected to come with the checkpoint option/);
    expect((await fail(corpus, { checkpoint: 5 as never })).message).toMatch(/option checkpoint: got 5/);
  });
});
