import { Wasm2VecError, describe, invalidOption } from '../errors.js';
import { functionOption, intOption, signalOption } from '../options.js';
import { checkpointTargetOption, resumeOption, storeCheckpoint, type CheckpointTarget, type FileKind } from './checkpoint-file.js';

/**
 * The training lifecycle every trainer shares (Word2Vec, GloVe, LinearClassifier, TextClassifier, and
 * the ones to come): the controls validated once with one set of bounds, the resume guard, the epoch
 * loop with its health check, checkpoint cadence and worker-failure wrapping, the progress throttle,
 * and the one error for use after dispose. A trainer supplies hooks (train one epoch, count non-finite
 * weights, encode a checkpoint); it does not restate the loop.
 */

/** More workers than this is a mistake, not a machine (each worker also costs a thread and its scratch memory). */
export const MAX_THREADS = 256;
/** Checkpoint cadence in epochs; the last epoch is always saved. */
export const MAX_CHECKPOINT_EVERY = 1_000_000;
/** An epoch whose mean loss exceeds an untrained model's this many times has diverged (healthy runs stay within ~1-2×). */
export const DIVERGED_LOSS_RATIO = 10;
/** Progress callbacks are throttled to one call per this many milliseconds (epoch ends always report). */
export const PROGRESS_INTERVAL_MS = 250;

/** The controls every trainer accepts, with the same names, bounds and messages everywhere. */
export interface TrainingControls {
  signal?: AbortSignal;
  /** undefined: one worker per available core. */
  threads?: number;
  checkpoint?: CheckpointTarget;
  /** Epochs between checkpoints (1 when not given). */
  checkpointEvery: number;
  resumeFrom?: Uint8Array | ArrayBuffer | string;
}

export interface ControlInputs {
  signal?: unknown;
  threads?: unknown;
  checkpoint?: unknown;
  checkpointEvery?: unknown;
  resumeFrom?: unknown;
}

/** The option names `resolveControls` reads; trainers list them among their known options. */
export const CONTROL_NAMES = ['signal', 'threads', 'checkpoint', 'checkpointEvery', 'resumeFrom'] as const;

export function threadsOption(value: unknown): number | undefined {
  return value === undefined ? undefined : intOption('threads', value, 1, 1, MAX_THREADS);
}

export function seedOption(value: unknown, fallback = 1): number {
  return intOption('seed', value, fallback, 0, Number.MAX_SAFE_INTEGER);
}

/** Validates the shared controls before any data is read or memory reserved. */
export function resolveControls(o: ControlInputs): TrainingControls {
  const checkpoint = checkpointTargetOption(o.checkpoint);
  if (o.checkpointEvery !== undefined && checkpoint === undefined) invalidOption('checkpointEvery', o.checkpointEvery, 'to come with the checkpoint option');
  return {
    signal: signalOption(o.signal),
    threads: threadsOption(o.threads),
    checkpoint,
    checkpointEvery: intOption('checkpointEvery', o.checkpointEvery, 1, 1, MAX_CHECKPOINT_EVERY),
    resumeFrom: resumeOption(o.resumeFrom),
  };
}

/** The one error for a model used after `dispose()`. */
export function disposedError(what: string, noun: 'model' | 'classifier' = 'model'): Wasm2VecError {
  return new Wasm2VecError('UNSUPPORTED', `${what}: this ${noun} was disposed`);
}

/**
 * The resume guard: the options that decide a model's result come from its checkpoint. A caller's
 * option that repeats a stored one is fine; one that contradicts it is an error rather than silently
 * ignored. Stored options that fail validation mean a damaged checkpoint (BAD_FORMAT).
 */
export function mergeResumedOptions<O extends object>(
  model: string,
  source: string,
  given: O,
  stored: Record<string, unknown>,
  modelOptionNames: readonly string[],
  validate: (o: O) => unknown,
): O {
  try {
    validate(stored as O);
  } catch (e) {
    if (e instanceof Wasm2VecError && e.code === 'INVALID_OPTION') {
      throw new Wasm2VecError('BAD_FORMAT', `${model} checkpoint ${source}: stored options: ${e.message}`, { cause: e });
    }
    throw e;
  }
  const g = given as Record<string, unknown>;
  for (const k of modelOptionNames) {
    if (g[k] !== undefined && g[k] !== stored[k]) {
      throw new Wasm2VecError(
        'INVALID_OPTION',
        `option ${k}: got ${describe(g[k])}, but the checkpoint was trained with ${describe(stored[k])}; ` +
          'model options cannot change when resuming (leave them out: they are taken from the checkpoint)',
      );
    }
  }
  const { resumeFrom: _r, ...rest } = g;
  return { ...rest, ...stored } as O;
}

/**
 * Calls a progress callback at most every PROGRESS_INTERVAL_MS (forced reports always go through);
 * the first report carries the pool's fallback note (e.g. "one thread: no cross-origin isolation").
 */
export class ProgressThrottle<P extends { note?: string }> {
  private last = 0;
  private noteSent = false;

  constructor(
    private readonly callback: ((p: P) => void) | undefined,
    private readonly note: () => string | null | undefined,
  ) {}

  get enabled(): boolean {
    return this.callback !== undefined;
  }

  report(make: () => P, force = false): void {
    if (!this.callback) return;
    const now = performance.now();
    if (!force && now - this.last < PROGRESS_INTERVAL_MS) return;
    this.last = now;
    const p = make();
    const note = this.note();
    if (!this.noteSent && note) p.note = note;
    this.noteSent = true;
    this.callback(p);
  }
}

/** Validates a progress callback option. */
export function progressOption<P>(name: string, value: unknown): ((p: P) => void) | undefined {
  return functionOption<(p: P) => void>(name, value);
}

/** What one epoch reports to the lifecycle. */
export interface EpochOutcome {
  /** The epoch's mean loss per training term (the trainer's own unit, compared with `untrainedLoss`). */
  meanLoss: number;
  /** The epoch was cut short by the abort signal. */
  aborted?: boolean;
}

export interface EpochHooks<R extends EpochOutcome> {
  /** Trains epoch `epoch` (1-based). */
  trainEpoch(epoch: number): Promise<R>;
  /** Non-finite values in the weights (asked after every epoch, aborted or not; a trainer may skip costly scans). */
  nonFinite(epoch: number, result: R): Promise<number>;
  /** The checkpoint file after epoch `epoch`, as chunks (called only when one is due). */
  checkpoint(epoch: number, result: R): AsyncIterable<Uint8Array> | Promise<AsyncIterable<Uint8Array>>;
  /** After a healthy, checkpointed epoch (progress, history, callbacks); returns true to stop early. */
  afterEpoch?(epoch: number, result: R): boolean | void | Promise<boolean | void>;
}

export interface TrainingRunSpec {
  /** "Word2Vec", "GloVe", "TextClassifier.fit", …: starts every message. */
  model: string;
  controls: Pick<TrainingControls, 'checkpoint' | 'checkpointEvery'>;
  /** The checkpoint file kind (magic and version). */
  kind: FileKind;
  /** Total epochs of the run (a resumed run counts the ones already done). */
  epochs: number;
  /** Epochs already completed (from a checkpoint), 0 for a fresh run. */
  completed: number;
  /** The mean loss of an untrained model, in the unit of EpochOutcome.meanLoss; 0 disables the divergence check. */
  untrainedLoss: number;
  /** What to lower when training diverges, e.g. "lower learningRate (0.025)". */
  advice: string;
  /** What precedes the loss value in messages (default "mean loss"; e.g. "a mean loss per pair of"). */
  lossName?: string;
}

/**
 * One training run's epoch loop. `run` trains epochs completed+1..epochs through the hooks; after each
 * it checks the weights' health (NaN/Inf, or a loss DIVERGED_LOSS_RATIO× an untrained model's is
 * NUMERIC, naming the last good checkpoint, which a bad state never overwrites), writes a checkpoint
 * when due (every `checkpointEvery` epochs and after the last), and stops on abort or when a hook
 * asks to. `failed` turns a worker failure into a WORKER_FAILED naming where it happened and the
 * checkpoint to resume from.
 */
export class TrainingRun {
  /** Epochs completed so far (the checkpoint's count on resume). */
  epochsCompleted: number;
  /** The epoch of the last checkpoint written or resumed from (0: none). */
  lastCheckpoint: number;
  aborted = false;
  stoppedEarly = false;

  constructor(readonly spec: TrainingRunSpec) {
    this.epochsCompleted = spec.completed;
    this.lastCheckpoint = spec.completed;
  }

  /** "The last good checkpoint (after epoch 3, "run.ckpt") is kept." or the reason there is none. */
  keptSentence(): string {
    const target = this.spec.controls.checkpoint;
    if (target === undefined) return 'No checkpoint was requested.';
    if (this.lastCheckpoint === 0) return 'No checkpoint had been written yet.';
    return `The last good checkpoint (after epoch ${this.lastCheckpoint}${typeof target === 'string' ? `, "${target}"` : ''}) is kept.`;
  }

  /** NUMERIC for a diverged state, with the advice and the checkpoint that survives. */
  numeric(what: string): Wasm2VecError {
    return new Wasm2VecError('NUMERIC', `${this.spec.model}: ${what}; ${this.spec.advice}. ${this.keptSentence()}`);
  }

  checkpointDue(epoch: number): boolean {
    const { checkpoint, checkpointEvery } = this.spec.controls;
    return checkpoint !== undefined && (epoch % checkpointEvery === 0 || epoch === this.spec.epochs);
  }

  async run<R extends EpochOutcome>(hooks: EpochHooks<R>): Promise<void> {
    for (let epoch = this.epochsCompleted + 1; epoch <= this.spec.epochs; epoch++) {
      const result = await hooks.trainEpoch(epoch);
      await this.checkHealth(epoch, result, await hooks.nonFinite(epoch, result));
      if (result.aborted) {
        this.aborted = true;
        return;
      }
      this.epochsCompleted = epoch;
      if (this.checkpointDue(epoch)) {
        await storeCheckpoint(this.spec.kind, this.spec.controls.checkpoint!, epoch, await hooks.checkpoint(epoch, result));
        this.lastCheckpoint = epoch;
      }
      if ((await hooks.afterEpoch?.(epoch, result)) === true) {
        this.stoppedEarly = epoch < this.spec.epochs;
        return;
      }
    }
  }

  private async checkHealth(epoch: number, result: EpochOutcome, nonFinite: number): Promise<void> {
    if (nonFinite > 0) throw this.numeric(`training diverged in epoch ${epoch} (${nonFinite} non-finite values in the weights)`);
    if (!Number.isFinite(result.meanLoss)) throw this.numeric(`training diverged in epoch ${epoch} (the loss is ${result.meanLoss})`);
    const untrained = this.spec.untrainedLoss;
    // Finite weights can still be garbage: a loss far above an untrained model's means the updates diverged.
    if (untrained > 0 && result.meanLoss > DIVERGED_LOSS_RATIO * untrained) {
      const name = this.spec.lossName ?? 'mean loss';
      throw this.numeric(
        `training diverged in epoch ${epoch} (${name} ${result.meanLoss.toPrecision(3)}, ` +
          `${Math.round(result.meanLoss / untrained)}× an untrained model's ${untrained.toPrecision(3)})`,
      );
    }
  }

  /**
   * A worker that crashed or was terminated: WORKER_FAILED naming where (`while` e.g. "in epoch 3",
   * "while counting") and the checkpoint that can be resumed; other errors pass through unchanged.
   */
  failed(e: unknown, where: string): unknown {
    if (e instanceof Wasm2VecError && e.code === 'WORKER_FAILED') {
      const resume = this.lastCheckpoint > 0 ? ` (the last checkpoint, after epoch ${this.lastCheckpoint}, can be resumed)` : '';
      return new Wasm2VecError(
        'WORKER_FAILED',
        `${this.spec.model} training failed ${where}: ${e.message}; all workers were stopped and ` + `the model's memory released${resume}`,
        { cause: e },
      );
    }
    return e;
  }
}
