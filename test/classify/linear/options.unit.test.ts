import { describe, expect, it } from 'vitest';
import { resolveLinearOptions, tokenizerByName } from '../../../src/classify/linear/options.js';
import { Wasm2VecError } from '../../../src/errors.js';
import { whitespaceTokenizer } from '../../../src/text/tokenizer.js';
import { Embeddings } from '../../../src/vectors/embeddings.js';

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
const vectors = (dim: number) => new Embeddings(['a', 'b'], new Float32Array(2 * dim), dim);

describe('resolveLinearOptions', () => {
  it('fastText supervised defaults; the loss stays open (chosen from the data: softmax, or ova for multi-label)', () => {
    const o = resolveLinearOptions();
    expect({ ...o, tokenizer: undefined }).toEqual({
      dim: 100,
      wordNgrams: 1,
      buckets: 2_000_000,
      epochs: 5,
      learningRate: 0.1,
      loss: undefined,
      negative: 5,
      weighting: 'mean',
      minCount: 1,
      threads: undefined,
      seed: 1,
      pretrained: undefined,
      tokenizerName: 'default',
      tokenizer: undefined,
    });
    expect(o.tokenizer('Hello, World')).toEqual(['hello', 'world']);
  });
  it('each bound is inclusive and named', () => {
    expect(resolveLinearOptions({ dim: 10000, wordNgrams: 5, buckets: 1 << 30, learningRate: 100, negative: 1000, threads: 256, seed: 0 }).buckets).toBe(
      1 << 30,
    );
    const cases: [object, string][] = [
      [{ dim: 10001 }, 'option dim: got 10001, expected an integer in [1, 10000]'],
      [{ wordNgrams: 0 }, 'option wordNgrams: got 0, expected an integer in [1, 5]'],
      [{ wordNgrams: 6 }, 'option wordNgrams: got 6, expected an integer in [1, 5]'],
      [{ buckets: (1 << 30) + 1 }, 'option buckets: got 1073741825, expected an integer in [1, 1073741824]'],
      [{ learningRate: 0 }, 'option learningRate: got 0, expected a finite number > 0 and <= 100'],
      [{ negative: 0 }, 'option negative: got 0, expected an integer in [1, 1000]'],
      [{ minCount: 0 }, 'option minCount: got 0, expected an integer in [1, ∞]'],
      [{ threads: 257 }, 'option threads: got 257, expected an integer in [1, 256]'],
      [{ loss: 'hinge' }, "option loss: got \"hinge\", expected one of 'softmax', 'ns', 'hs', 'ova'"],
      [{ weighting: 'idf' }, "option weighting: got \"idf\", expected one of 'mean', 'tfidf'"],
      [{ tokenizer: 'jieba' }, "option tokenizer: got \"jieba\", expected one of 'default', 'whitespace'"],
      [{ epochs: 1.5 }, 'option epochs: got 1.5, expected an integer in [1, 100000]'],
    ];
    for (const [o, m] of cases) expect(message(() => resolveLinearOptions(o as never))).toBe(m);
  });
  it('unknown keys and non-objects are refused', () => {
    expect(message(() => resolveLinearOptions({ lr: 0.1 } as never))).toMatch(/^LinearClassifier: unknown option "lr" \(known: dim, wordNgrams/);
    expect(message(() => resolveLinearOptions(null as never))).toBe('LinearClassifier: options must be an object');
  });
  it('pretrained vectors: an Embeddings whose dim is taken when dim is not given, and must match when it is', () => {
    const e = vectors(7);
    expect(resolveLinearOptions({ pretrained: e }).dim).toBe(7);
    expect(resolveLinearOptions({ pretrained: e, dim: 7 }).pretrained).toBe(e);
    expect(message(() => resolveLinearOptions({ pretrained: e, dim: 8 }))).toBe('option pretrained: vectors have dim 7 but option dim is 8; they must match');
    expect(message(() => resolveLinearOptions({ pretrained: { dim: 7 } as never }))).toBe(
      'option pretrained: got [object Object], expected an Embeddings object',
    );
  });
  it('tokenizer: a name (saved with the model) or a function; the whitespace function is recognised by name', () => {
    expect(resolveLinearOptions({ tokenizer: 'whitespace' }).tokenizer).toBe(whitespaceTokenizer);
    expect(resolveLinearOptions({ tokenizer: whitespaceTokenizer }).tokenizerName).toBe('whitespace');
    const mine = (t: string) => t.split('|');
    const o = resolveLinearOptions({ tokenizer: mine });
    expect([o.tokenizerName, o.tokenizer]).toEqual(['custom', mine]);
    expect(tokenizerByName('whitespace')('Hello,  World')).toEqual(['Hello,', 'World']);
    expect(tokenizerByName('default')('Hello,  World')).toEqual(['hello', 'world']);
  });
});
