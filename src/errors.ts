/**
 * Every failure the library reports on purpose is a Wasm2VecError with a stable `code`,
 * so callers (and the fuzz suite) can tell a diagnosed bad input from a bug.
 */
export type ErrorCode =
  | 'INVALID_OPTION'
  | 'EMPTY_CORPUS'
  | 'EMPTY_VOCABULARY'
  | 'MEMORY_LIMIT'
  | 'BAD_FORMAT'
  | 'NOT_FOUND'
  | 'UNSUPPORTED'
  | 'ABORTED'
  | 'WORKER_FAILED'
  | 'NUMERIC'
  | 'IO';

export class Wasm2VecError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'Wasm2VecError';
    this.code = code;
  }
}

/** Throws INVALID_OPTION naming the option, the value and the accepted range. */
export function invalidOption(name: string, value: unknown, expected: string): never {
  throw new Wasm2VecError('INVALID_OPTION', `option ${name}: got ${describe(value)}, expected ${expected}`);
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  return Object.prototype.toString.call(value);
}

/** Throws ABORTED when the caller's AbortSignal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new Wasm2VecError('ABORTED', `${what} was aborted`);
}
