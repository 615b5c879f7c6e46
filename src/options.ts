import { Wasm2VecError, describe, invalidOption } from './errors.js';

/** Small validators shared by every trainer: each names the option, the value and the range. */
export function intOption(name: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalidOption(name, value, `an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}]`);
  }
  return value;
}

export function numberOption(name: string, value: unknown, fallback: number, min: number, max = Infinity, exclusiveMin = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || (exclusiveMin ? value <= min : value < min) || value > max) {
    invalidOption(name, value, `a finite number ${exclusiveMin ? '>' : '>='} ${min}${max === Infinity ? '' : ` and <= ${max}`}`);
  }
  return value;
}

export function boolOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') invalidOption(name, value, 'true or false');
  return value;
}

export function enumOption<T extends string>(name: string, value: unknown, fallback: T, allowed: readonly T[]): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) invalidOption(name, value, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  return value as T;
}

/**
 * Checks that `options` is an object whose keys are all `known`: a misspelt option (topn for topN)
 * would otherwise be ignored silently.
 */
export function knownOptions<T>(what: string, options: T, known: readonly string[]): T {
  if (typeof options !== 'object' || options === null)
    throw new Wasm2VecError('INVALID_OPTION', `${what}: options must be an object, got ${describe(options)}`);
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) throw new Wasm2VecError('INVALID_OPTION', `${what}: unknown option ${JSON.stringify(k)} (known: ${known.join(', ')})`);
  }
  return options;
}

export function signalOption(value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || typeof (value as AbortSignal).aborted !== 'boolean') {
    invalidOption('signal', value, 'an AbortSignal');
  }
  return value as AbortSignal;
}

export function functionOption<F extends (...a: never[]) => unknown>(name: string, value: unknown): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') invalidOption(name, value, 'a function');
  return value as F;
}

/**
 * An option known by several names (a primary one and documented aliases such as word2vec.c's `alpha`
 * or fastText's `lr` for `learningRate`): returns the value and the name the caller used, so messages
 * speak the caller's words. Two names given with different values is an error.
 */
export function aliasedOption(options: object, primary: string, aliases: readonly string[]): { value: unknown; name: string } {
  const o = options as Record<string, unknown>;
  let name = primary;
  let value = o[primary];
  for (const a of aliases) {
    if (o[a] === undefined) continue;
    if (value !== undefined && o[a] !== value) {
      throw new Wasm2VecError('INVALID_OPTION', `options ${name} and ${a} are the same setting; got ${describe(value)} and ${describe(o[a])}`);
    }
    if (value === undefined) {
      value = o[a];
      name = a;
    }
  }
  return { value, name };
}
