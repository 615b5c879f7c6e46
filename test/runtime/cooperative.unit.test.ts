import { afterEach, describe, expect, it, vi } from 'vitest';
import { Wasm2VecError } from '../../src/errors.js';
import { SLICE_MS, SliceClock, runCooperatively, runToEnd, untilAborted, yieldToEventLoop, type Steps } from '../../src/runtime/cooperative.js';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

function* counting(n: number, log: number[] = []): Steps<number> {
  for (let i = 0; i < n; i++) {
    log.push(i);
    yield;
  }
  return n * 10;
}
/** Endless work in ~0.5 ms steps (a tokeniser on a huge input); gives up after `maxMs` so a bug fails instead of hanging. */
function* busy(maxMs: number, state: { closed: boolean }): Steps<never> {
  const start = performance.now();
  try {
    for (;;) {
      const t = performance.now();
      while (performance.now() - t < 0.5) {
        /* work */
      }
      if (performance.now() - start > maxMs) throw new Error(`not interrupted within ${maxMs} ms`);
      yield;
    }
  } finally {
    state.closed = true;
  }
}

describe('runToEnd', () => {
  it('drives every step and returns the result', () => {
    const log: number[] = [];
    expect(runToEnd(counting(5, log))).toBe(50);
    expect(log).toEqual([0, 1, 2, 3, 4]);
  });
  it('an aborted signal stops at the first pause with ABORTED naming the work and carrying the reason', () => {
    const c = new AbortController();
    c.abort('user pressed stop');
    const log: number[] = [];
    let e: unknown;
    try {
      runToEnd(counting(5, log), c.signal, 'Tokenising');
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(Wasm2VecError);
    expect(e).toMatchObject({ code: 'ABORTED', message: 'Tokenising was aborted', cause: 'user pressed stop' });
    expect(log).toEqual([0]);
    // Work with no pause at all finishes: the signal is looked at only at pauses.
    expect(runToEnd(counting(0), c.signal)).toBe(0);
  });
});

describe('runCooperatively', () => {
  it('returns the result of work that finishes', async () => {
    expect(await runCooperatively(counting(1000), undefined, 'x')).toBe(10000);
  });
  it('lets timers run while it works, so a timeout can abort it; the work is closed (its finally runs)', async () => {
    const state = { closed: false };
    const t0 = performance.now();
    const p = runCooperatively(busy(5000, state), AbortSignal.timeout(50), 'Counting');
    await expect(p).rejects.toMatchObject({ code: 'ABORTED', message: 'Counting was aborted' });
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(45);
    expect(ms).toBeLessThan(50 + 4 * SLICE_MS + 200); // the timer fires at the next turn, at most one slice late
    expect(state.closed).toBe(true);
  });
  it('turns the event loop about every SLICE_MS: an interval keeps ticking during 300 ms of work', async () => {
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
    }, 1);
    const c = new AbortController();
    setTimeout(() => c.abort(), 300);
    await runCooperatively(busy(5000, { closed: false }), c.signal, 'work').catch(() => undefined);
    clearInterval(timer);
    expect(ticks).toBeGreaterThanOrEqual(300 / SLICE_MS / 2);
  });
});

describe('SliceClock', () => {
  it('is due once SLICE_MS have passed since the last time it was due', () => {
    let now = 1000;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const clock = new SliceClock();
    now += SLICE_MS - 0.01;
    expect(clock.due()).toBe(false);
    now += 0.01;
    expect(clock.due()).toBe(true);
    now += SLICE_MS - 1;
    expect(clock.due()).toBe(false);
    now += 1;
    expect(clock.due()).toBe(true);
    expect(SLICE_MS).toBe(25);
  });
});

describe('yieldToEventLoop', () => {
  it('with setImmediate (Node): resolves after pending immediates, not as a microtask', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('immediate'));
    queueMicrotask(() => order.push('microtask'));
    await yieldToEventLoop();
    order.push('resumed');
    expect(order).toEqual(['microtask', 'immediate', 'resumed']);
  });
  it('without setImmediate (browsers): a message task, which also lets timers run meanwhile', async () => {
    vi.stubGlobal('setImmediate', undefined);
    let microtask = false;
    queueMicrotask(() => {
      microtask = true;
    });
    await yieldToEventLoop();
    expect(microtask).toBe(true);
    let fired = false;
    setTimeout(() => {
      fired = true;
    }, 0);
    const t = performance.now();
    while (!fired && performance.now() - t < 2000) await yieldToEventLoop();
    expect(fired).toBe(true);
  });
});

describe('untilAborted', () => {
  const fakeSignal = (aborted = false) => {
    const s = { aborted, reason: aborted ? 'why' : undefined, addEventListener: vi.fn(), removeEventListener: vi.fn() };
    return s as typeof s & AbortSignal;
  };
  it('no signal: the promise itself', () => {
    const p = Promise.resolve(1);
    expect(untilAborted(p, undefined, 'x')).toBe(p);
  });
  it('resolves or rejects as the promise does when no abort comes, and stops listening', async () => {
    const s = fakeSignal();
    await expect(untilAborted(Promise.resolve(7), s, 'x')).resolves.toBe(7);
    expect(s.removeEventListener).toHaveBeenCalledWith('abort', s.addEventListener.mock.calls[0][1]);
    const err = new Error('kernel failed');
    await expect(untilAborted(Promise.reject(err), fakeSignal(), 'x')).rejects.toBe(err);
  });
  it('an already aborted signal rejects at once; the value arriving later goes to onLate', async () => {
    let resolve!: (v: string) => void;
    const work = new Promise<string>((r) => {
      resolve = r;
    });
    const late: string[] = [];
    const p = untilAborted(work, fakeSignal(true), 'Training', (v) => late.push(v));
    await expect(p).rejects.toMatchObject({ code: 'ABORTED', message: 'Training was aborted', cause: 'why' });
    resolve('workers');
    await work;
    await Promise.resolve();
    expect(late).toEqual(['workers']);
  });
  it('an abort while waiting rejects promptly; a later failure of the work is swallowed (no unhandled rejection)', async () => {
    const c = new AbortController();
    let reject!: (e: Error) => void;
    const work = new Promise<never>((_, r) => {
      reject = r;
    });
    const p = untilAborted(work, c.signal, 'Training');
    setTimeout(() => c.abort(new Error('timeout')), 5);
    await expect(p).rejects.toMatchObject({ code: 'ABORTED' });
    reject(new Error('worker died after the abort'));
    await new Promise((r) => setTimeout(r, 10));
  });
});
