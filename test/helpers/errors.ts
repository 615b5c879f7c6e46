import { expect } from 'vitest';
import { Wasm2VecError } from '../../src/errors.js';

/** Awaits `promise`, expects it to reject with a Wasm2VecError, and returns that error. */
export async function rejection(promise: Promise<unknown>): Promise<Wasm2VecError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(Wasm2VecError);
    return err as Wasm2VecError;
  }
  throw new Error('expected a Wasm2VecError');
}

/** Calls `f`, expects it to throw a Wasm2VecError, and returns that error. */
export function syncError(f: () => unknown): Wasm2VecError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(Wasm2VecError);
    return err as Wasm2VecError;
  }
  throw new Error('expected a Wasm2VecError');
}
