import { describe, expect, it } from 'vitest';
import { Wasm2VecError } from '../../src/errors.js';
import { aliasedOption } from '../../src/options.js';
import type { FileKind } from '../../src/train/checkpoint-file.js';
import {
  DIVERGED_LOSS_RATIO,
  MAX_CHECKPOINT_EVERY,
  MAX_THREADS,
  ProgressThrottle,
  TrainingRun,
  disposedError,
  mergeResumedOptions,
  resolveControls,
  type EpochOutcome,
} from '../../src/train/lifecycle.js';

const KIND: FileKind = { magic: new Uint8Array([0x89, 0x54, 0x53, 0x54, 0x0d, 0x0a, 0x1a, 0x0a]), version: 1, name: 'test' } as unknown as FileKind;

const message = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(Wasm2VecError);
    return `${(e as Wasm2VecError).code}: ${(e as Error).message}`;
  }
  throw new Error('did not throw');
};

async function* chunks(epoch: number) {
  yield new Uint8Array([epoch]);
}

/** A run over `epochs` epochs whose losses and non-finite counts come from the arrays (1-based epochs). */
function scripted(o: { epochs: number; completed?: number; every?: number; losses?: number[]; bad?: number[]; abortAt?: number; stopAt?: number }) {
  const saved: number[] = [];
  const trained: number[] = [];
  const after: number[] = [];
  const run = new TrainingRun({
    model: 'Toy',
    controls: { checkpoint: ({ epoch }) => void saved.push(epoch), checkpointEvery: o.every ?? 1 },
    kind: KIND,
    epochs: o.epochs,
    completed: o.completed ?? 0,
    untrainedLoss: 1,
    advice: 'lower learningRate (9)',
  });
  const done = run.run<EpochOutcome>({
    trainEpoch: async (e) => {
      trained.push(e);
      return { meanLoss: o.losses?.[e - 1] ?? 0.5, aborted: e === o.abortAt };
    },
    nonFinite: async (e) => o.bad?.[e - 1] ?? 0,
    checkpoint: (e) => chunks(e),
    afterEpoch: (e) => {
      after.push(e);
      return e === o.stopAt;
    },
  });
  return { run, done, saved, trained, after };
}

describe('resolveControls: one set of bounds and messages for every trainer', () => {
  it('threads, checkpointEvery, checkpoint, resumeFrom, signal', () => {
    expect(resolveControls({})).toEqual({ signal: undefined, threads: undefined, checkpoint: undefined, checkpointEvery: 1, resumeFrom: undefined });
    expect(resolveControls({ threads: MAX_THREADS }).threads).toBe(256);
    expect(message(() => resolveControls({ threads: MAX_THREADS + 1 }))).toBe('INVALID_OPTION: option threads: got 257, expected an integer in [1, 256]');
    expect(message(() => resolveControls({ threads: 0 }))).toMatch(/option threads: got 0/);
    const cb = () => {};
    expect(resolveControls({ checkpoint: cb, checkpointEvery: MAX_CHECKPOINT_EVERY }).checkpointEvery).toBe(1_000_000);
    expect(message(() => resolveControls({ checkpoint: cb, checkpointEvery: 1_000_001 }))).toBe(
      'INVALID_OPTION: option checkpointEvery: got 1000001, expected an integer in [1, 1000000]',
    );
    expect(message(() => resolveControls({ checkpointEvery: 2 }))).toBe(
      'INVALID_OPTION: option checkpointEvery: got 2, expected to come with the checkpoint option',
    );
    expect(message(() => resolveControls({ resumeFrom: 5 }))).toMatch(/option resumeFrom: got 5, expected a checkpoint's bytes/);
    expect(message(() => resolveControls({ signal: {} }))).toMatch(/option signal: got \[object Object\], expected an AbortSignal/);
  });
  it('use after dispose is one error code', () => {
    expect(disposedError('GloVe.vectors').code).toBe('UNSUPPORTED');
    expect(disposedError('LinearClassifier.predict', 'classifier').message).toBe('LinearClassifier.predict: this classifier was disposed');
  });
});

describe('aliasedOption', () => {
  it('returns the value and the name used; two names with different values is an error', () => {
    expect(aliasedOption({ alpha: 0.1 }, 'learningRate', ['alpha', 'lr'])).toEqual({ value: 0.1, name: 'alpha' });
    expect(aliasedOption({ learningRate: 0.2 }, 'learningRate', ['alpha'])).toEqual({ value: 0.2, name: 'learningRate' });
    expect(aliasedOption({}, 'learningRate', ['alpha'])).toEqual({ value: undefined, name: 'learningRate' });
    expect(aliasedOption({ lr: 0.3, alpha: 0.3 }, 'learningRate', ['alpha', 'lr'])).toEqual({ value: 0.3, name: 'alpha' });
    expect(message(() => aliasedOption({ learningRate: 0.1, lr: 0.2 }, 'learningRate', ['lr']))).toBe(
      'INVALID_OPTION: options learningRate and lr are the same setting; got 0.1 and 0.2',
    );
  });
});

describe('mergeResumedOptions: the resume guard', () => {
  const validate = (o: { dim?: unknown }) => {
    if (o.dim !== undefined && typeof o.dim !== 'number') throw new Wasm2VecError('INVALID_OPTION', `option dim: got ${String(o.dim)}`);
  };
  it('model options come from the checkpoint; repeating one is fine, contradicting it is an error', () => {
    expect(mergeResumedOptions('Toy', '(bytes)', { threads: 2, resumeFrom: new Uint8Array(1) } as object, { dim: 8 }, ['dim'], validate)).toEqual({
      threads: 2,
      dim: 8,
    });
    expect(mergeResumedOptions('Toy', '(bytes)', { dim: 8 }, { dim: 8 }, ['dim'], validate)).toEqual({ dim: 8 });
    expect(message(() => mergeResumedOptions('Toy', '(bytes)', { dim: 9 }, { dim: 8 }, ['dim'], validate))).toBe(
      'INVALID_OPTION: option dim: got 9, but the checkpoint was trained with 8; model options cannot change when resuming (leave them out: they are taken from the checkpoint)',
    );
  });
  it('stored options that fail validation are a damaged checkpoint', () => {
    expect(message(() => mergeResumedOptions('Toy', '"a.ckpt"', {}, { dim: 'x' }, ['dim'], validate))).toBe(
      'BAD_FORMAT: Toy checkpoint "a.ckpt": stored options: option dim: got x',
    );
  });
});

describe('TrainingRun: the epoch loop', () => {
  it('trains the remaining epochs, checkpoints every N and after the last, then after-epoch hooks', async () => {
    const r = scripted({ epochs: 5, completed: 1, every: 2 });
    await r.done;
    expect(r.trained).toEqual([2, 3, 4, 5]);
    expect(r.saved).toEqual([2, 4, 5]);
    expect(r.after).toEqual([2, 3, 4, 5]);
    expect(r.run.epochsCompleted).toBe(5);
    expect(r.run.lastCheckpoint).toBe(5);
    expect(r.run.aborted).toBe(false);
  });
  it('an aborted epoch is health-checked but neither counted nor checkpointed', async () => {
    const r = scripted({ epochs: 4, abortAt: 3 });
    await r.done;
    expect(r.trained).toEqual([1, 2, 3]);
    expect(r.saved).toEqual([1, 2]);
    expect(r.run.epochsCompleted).toBe(2);
    expect(r.run.aborted).toBe(true);
    const bad = scripted({ epochs: 4, abortAt: 2, bad: [0, 3] });
    await expect(bad.done).rejects.toThrow(/training diverged in epoch 2 \(3 non-finite values in the weights\)/);
  });
  it('a hook returning true stops early', async () => {
    const r = scripted({ epochs: 6, stopAt: 3 });
    await r.done;
    expect(r.trained).toEqual([1, 2, 3]);
    expect(r.run.stoppedEarly).toBe(true);
    const last = scripted({ epochs: 3, stopAt: 3 });
    await last.done;
    expect(last.run.stoppedEarly).toBe(false);
  });
  it('NUMERIC: non-finite weights, a non-finite loss, or a loss past the divergence ratio; the last good checkpoint is named and kept', async () => {
    const nan = scripted({ epochs: 3, losses: [0.5, 0.5, Number.NaN] });
    const e = await nan.done.catch((x) => x);
    expect(e).toBeInstanceOf(Wasm2VecError);
    expect(e.code).toBe('NUMERIC');
    expect(e.message).toBe('Toy: training diverged in epoch 3 (the loss is NaN); lower learningRate (9). The last good checkpoint (after epoch 2) is kept.');
    expect(nan.saved).toEqual([1, 2]);
    const big = scripted({ epochs: 2, losses: [DIVERGED_LOSS_RATIO + 0.5] });
    await expect(big.done).rejects.toThrow(
      "Toy: training diverged in epoch 1 (mean loss 10.5, 11× an untrained model's 1.00); lower learningRate (9). No checkpoint had been written yet.",
    );
    expect(big.saved).toEqual([]);
    const edge = scripted({ epochs: 1, losses: [DIVERGED_LOSS_RATIO] });
    await edge.done;
    expect(edge.saved).toEqual([1]);
  });
  it('failed() wraps a worker failure with where it happened and the checkpoint to resume from; other errors pass through', async () => {
    const r = scripted({ epochs: 2 });
    await r.done;
    const wrapped = r.run.failed(new Wasm2VecError('WORKER_FAILED', 'worker 1 exited with code 1'), 'in epoch 3') as Wasm2VecError;
    expect(wrapped.code).toBe('WORKER_FAILED');
    expect(wrapped.message).toBe(
      "Toy training failed in epoch 3: worker 1 exited with code 1; all workers were stopped and the model's memory released (the last checkpoint, after epoch 2, can be resumed)",
    );
    const other = new Wasm2VecError('ABORTED', 'x');
    expect(r.run.failed(other, 'in epoch 1')).toBe(other);
  });
});

describe('ProgressThrottle', () => {
  it('calls at most every 250 ms unless forced, and adds the fallback note to the first report only', () => {
    const seen: { n: number; note?: string }[] = [];
    let n = 0;
    const t = new ProgressThrottle<{ n: number; note?: string }>(
      (p) => seen.push(p),
      () => 'one thread',
    );
    t.report(() => ({ n: ++n }));
    t.report(() => ({ n: ++n }));
    t.report(() => ({ n: ++n }), true);
    expect(seen).toEqual([{ n: 1, note: 'one thread' }, { n: 2 }]);
    expect(new ProgressThrottle(undefined, () => null).enabled).toBe(false);
  });
});
