import { describe, expect, it } from 'vitest';
import { MAX_LAYERS } from '../../../src/classify/lstm/layout.js';
import { checkConfig, fitSettings, networkShape, resolveClassifierOptions } from '../../../src/classify/lstm/options.js';
import { Wasm2VecError } from '../../../src/errors.js';
import { Embeddings } from '../../../src/vectors/embeddings.js';

function failure(f: () => unknown): Wasm2VecError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(Wasm2VecError);
    return e as Wasm2VecError;
  }
  throw new Error('did not fail');
}
const message = (o: object) => {
  const e = failure(() => resolveClassifierOptions(o as never));
  expect(e.code).toBe('INVALID_OPTION');
  return e.message;
};

describe('resolveClassifierOptions', () => {
  it('Keras defaults: 20000 words, 50 tokens, 64-dim embedding, LSTM 128 (sequences) -> LSTM 128, 2 classes, Adam 1e-3/0.9/0.999/1e-7', () => {
    const { config, threads, pretrained } = resolveClassifierOptions();
    expect([config.vocabSize, config.sequenceLength, config.embeddingDim, config.classes, config.seed]).toEqual([20000, 50, 64, 2, 1]);
    expect(config.lstm).toEqual([
      { units: 128, returnSequences: true },
      { units: 128, returnSequences: false },
    ]);
    expect([config.learningRate, config.beta1, config.beta2, config.epsilon, config.trainEmbeddings]).toEqual([1e-3, 0.9, 0.999, 1e-7, true]);
    expect(config.tokenizer).toEqual({ lowercase: true, locale: 'zh' });
    expect([threads, pretrained]).toEqual([undefined, undefined]);
  });
  it('the LSTM stack: returnSequences defaults to true except on the last layer, and must be so', () => {
    expect(resolveClassifierOptions({ lstm: [{ units: 4 }, { units: 3 }, { units: 2 }] }).config.lstm.map((l) => l.returnSequences)).toEqual([
      true,
      true,
      false,
    ]);
    expect(message({ lstm: [{ units: 4, returnSequences: false }, { units: 2 }] })).toBe(
      'option lstm[0].returnSequences: got false, expected true: a stacked LSTM feeds its whole output sequence to the next layer',
    );
    expect(message({ lstm: [{ units: 4, returnSequences: true }] })).toBe(
      'option lstm[0].returnSequences: got true, expected false on the last layer: the Dense head reads its final state',
    );
    expect(message({ lstm: [] })).toBe('option lstm: got [object Array], expected a non-empty array of { units, returnSequences? }');
    expect(message({ lstm: { units: 4 } })).toMatch(/^option lstm: got \[object Object\], expected a non-empty array/);
    expect(message({ lstm: Array.from({ length: MAX_LAYERS + 1 }, () => ({ units: 2, returnSequences: true })) })).toBe(
      `option lstm: got "${MAX_LAYERS + 1} layers", expected at most ${MAX_LAYERS} layers`,
    );
    expect(
      resolveClassifierOptions({ lstm: Array.from({ length: MAX_LAYERS }, (_, i) => ({ units: 2, returnSequences: i < MAX_LAYERS - 1 })) }).config.lstm,
    ).toHaveLength(MAX_LAYERS);
    expect(message({ lstm: [{ units: 0 }] })).toBe('option lstm[0].units: got 0, expected an integer in [1, 4096]');
    expect(message({ lstm: [{ units: 4097 }] })).toBe('option lstm[0].units: got 4097, expected an integer in [1, 4096]');
    expect(message({ lstm: [{ units: 4, dropout: 0.2 }] })).toBe('option lstm[0]: got "unknown key \\"dropout\\"", expected only units and returnSequences');
    expect(message({ lstm: [null] })).toBe('option lstm[0]: got null, expected an object { units, returnSequences? }');
    expect(message({ lstm: [{ units: 4, returnSequences: 'no' }] })).toBe('option lstm[0].returnSequences: got "no", expected true or false');
  });
  it('ranges: vocabSize from 3 (padding, OOV and one word), Adam betas in [0, 1), epsilon >= 0, learning rate > 0', () => {
    expect(resolveClassifierOptions({ vocabSize: 3, beta1: 0, beta2: 0, epsilon: 0 }).config.vocabSize).toBe(3);
    expect(message({ vocabSize: 2 })).toBe('option vocabSize: got 2, expected an integer in [3, 67108864]');
    expect(message({ beta1: 1 })).toBe('option beta1: got 1, expected a number in [0, 1)');
    expect(message({ beta2: 1.5 })).toBe('option beta2: got 1.5, expected a number >= 0 and <= 1');
    expect(message({ beta1: -0.1 })).toBe('option beta1: got -0.1, expected a number >= 0 and <= 1');
    expect(message({ epsilon: -1e-9 })).toBe('option epsilon: got -1e-9, expected a number >= 0 and <= 1');
    expect(message({ learningRate: 0 })).toBe('option learningRate: got 0, expected a number > 0 and <= 1000000');
    expect(message({ classes: 1 })).toBe('option classes: got 1, expected an integer in [2, 1048576]');
    expect(message({ sequenceLength: 0 })).toBe('option sequenceLength: got 0, expected an integer in [1, 100000]');
    expect(message({ trainEmbeddings: 1 })).toBe('option trainEmbeddings: got 1, expected true or false');
    expect(message({ threads: 0 })).toBe('option threads: got 0, expected an integer in [1, 256]');
    expect(message({ tokenizer: { lowercase: 'yes' } })).toBe('option tokenizer.lowercase: got "yes", expected true or false');
    expect(message({ tokenizer: { locale: '' } })).toBe('option tokenizer.locale: got "", expected a locale string such as "zh"');
    expect(message({ tokenizer: 'zh' })).toBe('option tokenizer: got "zh", expected an object { lowercase?, locale? }');
    expect(message({ vocab: 10 })).toBe('TextClassifier: unknown option "vocab"');
  });
  it('pretrained must be Embeddings of embeddingDim', () => {
    const e = new Embeddings(['a'], new Float32Array(8), 8);
    expect(resolveClassifierOptions({ pretrained: e, embeddingDim: 8 }).pretrained).toBe(e);
    expect(message({ pretrained: e })).toBe('option pretrained: got "Embeddings of dim 8", expected vectors of embeddingDim 64 (set embeddingDim: 8)');
    expect(message({ pretrained: [1, 2] })).toMatch(/^option pretrained: got \[object Array\], expected an Embeddings instance/);
  });
});

describe('checkConfig from a model file', () => {
  it('the same checks, reported as BAD_FORMAT naming the model file field', () => {
    const { config } = resolveClassifierOptions({ lstm: [{ units: 2 }] });
    expect(checkConfig({ ...config }, 'BAD_FORMAT').lstm).toEqual([{ units: 2, returnSequences: false }]);
    const e = failure(() => checkConfig({ ...config, embeddingDim: -1 }, 'BAD_FORMAT'));
    expect([e.code, e.message]).toEqual(['BAD_FORMAT', 'model file: embeddingDim is -1, expected an integer in [1, 100000]']);
    expect(failure(() => checkConfig({ ...config, lstm: 'x' }, 'BAD_FORMAT')).message).toBe(
      'model file: lstm is "x", expected a non-empty array of { units, returnSequences? }',
    );
  });
});

describe('networkShape and fitSettings', () => {
  it('two classes use one sigmoid output, more use one softmax output each', () => {
    expect(networkShape(resolveClassifierOptions({ lstm: [{ units: 3 }] }).config)).toEqual({
      vocabSize: 20000,
      sequenceLength: 50,
      embeddingDim: 64,
      units: [3],
      outputs: 1,
    });
    expect(networkShape(resolveClassifierOptions({ classes: 3 }).config).outputs).toBe(3);
  });
  it('fit defaults (1 epoch, batch 32, no validation, shuffled) and bounds', () => {
    expect(fitSettings({})).toEqual({ epochs: 1, batchSize: 32, validationSplit: 0, shuffle: true });
    expect(fitSettings({ batchSize: 65536, validationSplit: 0.99, shuffle: false }).batchSize).toBe(65536);
    expect(failure(() => fitSettings({ batchSize: 65537 })).message).toBe('option batchSize: got 65537, expected an integer in [1, 65536]');
    expect(failure(() => fitSettings({ validationSplit: 1 })).message).toBe('option validationSplit: got 1, expected a finite number >= 0 and <= 0.99');
    expect(failure(() => fitSettings({ epochs: 0 })).message).toBe('option epochs: got 0, expected an integer in [1, 1000000]');
  });
});
