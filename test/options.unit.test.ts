import { describe, expect, it } from 'vitest';
import { Wasm2VecError, describe as describeValue } from '../src/errors.js';
import { boolOption, enumOption, functionOption, intOption, knownOptions, numberOption, signalOption } from '../src/options.js';

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(Wasm2VecError);
    expect((e as Wasm2VecError).code).toBe('INVALID_OPTION');
    return (e as Error).message;
  }
  throw new Error('did not fail');
}

describe('intOption', () => {
  it('undefined takes the fallback (even one outside the range); bounds are inclusive', () => {
    expect(intOption('dim', undefined, 100, 1, 10)).toBe(100);
    expect(intOption('dim', 1, 100, 1, 10)).toBe(1);
    expect(intOption('dim', 10, 100, 1, 10)).toBe(10);
    expect(intOption('seed', Number.MAX_SAFE_INTEGER, 1, 0)).toBe(Number.MAX_SAFE_INTEGER);
  });
  it('refuses out of range, fractions, NaN, Infinity, strings, null and bigint, naming option, value and range', () => {
    expect(message(() => intOption('dim', 0, 100, 1, 10))).toBe('option dim: got 0, expected an integer in [1, 10]');
    expect(message(() => intOption('dim', 11, 100, 1, 10))).toBe('option dim: got 11, expected an integer in [1, 10]');
    expect(message(() => intOption('dim', 2.5, 100, 1))).toBe('option dim: got 2.5, expected an integer in [1, ∞]');
    expect(message(() => intOption('dim', NaN, 100, 1))).toBe('option dim: got NaN, expected an integer in [1, ∞]');
    expect(message(() => intOption('dim', Infinity, 100, 1))).toBe('option dim: got Infinity, expected an integer in [1, ∞]');
    expect(message(() => intOption('dim', '5', 100, 1))).toBe('option dim: got "5", expected an integer in [1, ∞]');
    expect(message(() => intOption('dim', null, 100, 1))).toBe('option dim: got null, expected an integer in [1, ∞]');
    expect(message(() => intOption('dim', 5n, 100, 1))).toBe('option dim: got 5n, expected an integer in [1, ∞]');
    expect(message(() => intOption('seed', 2 ** 53, 1, 0))).toMatch(/got 9007199254740992, expected an integer in \[0, ∞\]/);
  });
});

describe('numberOption', () => {
  it('inclusive bounds by default; exclusiveMin refuses the minimum itself', () => {
    expect(numberOption('sample', 0, 1e-3, 0, 1)).toBe(0);
    expect(numberOption('sample', 1, 1e-3, 0, 1)).toBe(1);
    expect(numberOption('alpha', 1e-300, 0.025, 0, 10, true)).toBe(1e-300);
    expect(message(() => numberOption('alpha', 0, 0.025, 0, 10, true))).toBe('option alpha: got 0, expected a finite number > 0 and <= 10');
    expect(message(() => numberOption('alpha', 10.000001, 0.025, 0, 10, true))).toBe('option alpha: got 10.000001, expected a finite number > 0 and <= 10');
    expect(message(() => numberOption('sample', -1e-9, 0, 0, 1))).toBe('option sample: got -1e-9, expected a finite number >= 0 and <= 1');
  });
  it('no maximum means no "<=" in the message; NaN and ±Infinity are refused even without a maximum', () => {
    expect(message(() => numberOption('xMax', -1, 100, 0, Infinity, true))).toBe('option xMax: got -1, expected a finite number > 0');
    expect(message(() => numberOption('xMax', Infinity, 100, 0))).toBe('option xMax: got Infinity, expected a finite number >= 0');
    expect(message(() => numberOption('xMax', NaN, 100, 0))).toBe('option xMax: got NaN, expected a finite number >= 0');
    expect(message(() => numberOption('xMax', '1', 100, 0))).toBe('option xMax: got "1", expected a finite number >= 0');
  });
});

describe('boolOption, enumOption, functionOption, signalOption', () => {
  it('booleans only (no 0/1, no "true")', () => {
    expect(boolOption('hs', undefined, true)).toBe(true);
    expect(boolOption('hs', false, true)).toBe(false);
    for (const v of [0, 1, 'true', null]) expect(message(() => boolOption('hs', v, false))).toBe(`option hs: got ${describeValue(v)}, expected true or false`);
  });
  it('enums: exact, case-sensitive strings from the list', () => {
    const models = ['skipgram', 'cbow'] as const;
    expect(enumOption('model', undefined, 'skipgram', models)).toBe('skipgram');
    expect(enumOption('model', 'cbow', 'skipgram', models)).toBe('cbow');
    expect(message(() => enumOption('model', 'CBOW', 'skipgram', models))).toBe("option model: got \"CBOW\", expected one of 'skipgram', 'cbow'");
    expect(message(() => enumOption('model', 'toString', 'skipgram', models))).toMatch(/got "toString"/);
    expect(message(() => enumOption('model', ['cbow'], 'skipgram', models))).toMatch(/got \[object Array\]/);
  });
  it('functions and AbortSignals (anything with a boolean aborted, so a polyfilled signal works)', () => {
    const f = () => 1;
    expect(functionOption('onProgress', f)).toBe(f);
    expect(functionOption('onProgress', undefined)).toBeUndefined();
    expect(message(() => functionOption('onProgress', 'log'))).toBe('option onProgress: got "log", expected a function');
    const c = new AbortController();
    expect(signalOption(c.signal)).toBe(c.signal);
    expect(signalOption(undefined)).toBeUndefined();
    const fake = { aborted: false };
    expect(signalOption(fake)).toBe(fake);
    for (const v of [null, {}, { aborted: 'no' }, true]) expect(message(() => signalOption(v))).toMatch(/^option signal: got .*, expected an AbortSignal$/);
  });
});

describe('knownOptions', () => {
  it('refuses a non-object and an unknown key (a typo), listing the known ones', () => {
    const o = { topN: 3 };
    expect(knownOptions('mostSimilar', o, ['topN', 'positive'])).toBe(o);
    expect(knownOptions('mostSimilar', {}, [])).toEqual({});
    expect(message(() => knownOptions('mostSimilar', { topn: 3 }, ['topN', 'positive']))).toBe('mostSimilar: unknown option "topn" (known: topN, positive)');
    expect(message(() => knownOptions('mostSimilar', null, ['topN']))).toBe('mostSimilar: options must be an object, got null');
    expect(message(() => knownOptions('mostSimilar', 'topN', ['topN']))).toBe('mostSimilar: options must be an object, got "topN"');
    // Inherited keys are not options; own keys that shadow Object.prototype are still unknown.
    expect(message(() => knownOptions('x', JSON.parse('{"__proto__": 1}'), ['a']))).toBe('x: unknown option "__proto__" (known: a)');
    expect(message(() => knownOptions('x', { constructor: 1 }, ['a']))).toBe('x: unknown option "constructor" (known: a)');
  });
});
