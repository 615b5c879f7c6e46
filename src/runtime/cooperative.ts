import { Wasm2VecError } from '../errors.js';

/**
 * Cooperative scheduling for long synchronous work on the calling thread (tokenising, counting):
 * a loop of microtasks (for await over an in-memory source) never lets timers or events run, so
 * an AbortSignal.timeout could not even fire and a page would freeze. Loops call `due()` and, when
 * it says so, await `yieldToEventLoop()`.
 */

/** How long synchronous work may run before it lets the event loop turn (ms). */
export const SLICE_MS = 25;

/** Resolves after one turn of the event loop: timers, I/O and abort events get to run. */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => void };
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate!(resolve));
  // Not scheduler.yield(): its continuation runs before other waiting tasks, so a timer that aborts
  // (setTimeout, AbortSignal.timeout) never ran while Chromium scanned (measured: abort after 600 ms,
  // the whole scan). Not setTimeout(0): browsers clamp nested ones to 4 ms. A message task takes its
  // turn with timers and events.
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** A clock for "has this slice of work run long enough to yield?". */
export class SliceClock {
  private start = performance.now();
  due(): boolean {
    if (performance.now() - this.start < SLICE_MS) return false;
    this.start = performance.now();
    return true;
  }
}

/**
 * `promise`, or an ABORTED rejection as soon as `signal` fires (the promise keeps running; `onLate`
 * receives its value if it resolves after the abort, e.g. to dispose workers nobody will use).
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, what: string, onLate?: (value: T) => void): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const onAbort = () => {
      if (settled) return;
      settled = true;
      reject(new Wasm2VecError('ABORTED', `${what} was aborted`, { cause: signal.reason }));
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (settled) onLate?.(value);
        else {
          settled = true;
          resolve(value);
        }
      },
      (err) => {
        signal.removeEventListener('abort', onAbort);
        if (!settled) {
          settled = true;
          reject(err);
        }
      },
    );
  });
}

/**
 * Work written as a generator that yields at points where it may pause (every thousand texts, say):
 * `runToEnd` drives it synchronously, `runCooperatively` lets the event loop turn every SLICE_MS and
 * checks the abort signal at every pause.
 */
export type Steps<T> = Generator<void, T, void>;

export function runToEnd<T>(steps: Steps<T>, signal?: AbortSignal, what = 'the work'): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (signal?.aborted) throw new Wasm2VecError('ABORTED', `${what} was aborted`, { cause: signal.reason });
  }
}

export async function runCooperatively<T>(steps: Steps<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  const clock = new SliceClock();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (clock.due()) await yieldToEventLoop();
    if (signal?.aborted) {
      steps.return(undefined as T);
      throw new Wasm2VecError('ABORTED', `${what} was aborted`, { cause: signal.reason });
    }
  }
}
