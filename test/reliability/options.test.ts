import { describe, expect, it } from 'vitest';
import { Embeddings, GloVe, LinearClassifier, TextClassifier, Wasm2VecError, Word2Vec, createTokenizer } from '../../src/index.js';
import { demoSlice } from './helpers.js';

/**
 * Every public options object, table-driven: a bad value is INVALID_OPTION naming the option, the
 * value and the accepted range; an unknown key (a typo like `topn`) is refused rather than ignored.
 */
const corpus = demoSlice(20_000);
const words = ['king', 'queen', 'man', 'woman', 'prince'];
const emb = new Embeddings(
  words,
  Float32Array.from({ length: words.length * 4 }, (_, i) => Math.sin(i + 1)),
  4,
);
const texts = ['good fun', 'bad plot', 'great fun', 'awful plot'];
const labels = ['pos', 'neg', 'pos', 'neg'];
let linear: LinearClassifier | null = null;
const trainedLinear = async () => {
  if (!linear) {
    linear = new LinearClassifier({ dim: 4, epochs: 1, threads: 1 });
    await linear.fit(texts, labels);
  }
  return linear;
};
let lstm: TextClassifier | null = null;
const trainedLstm = async () => {
  if (!lstm) {
    lstm = new TextClassifier({ vocabSize: 20, sequenceLength: 4, embeddingDim: 2, lstm: [{ units: 2 }], threads: 1 });
    await lstm.fit(texts, [1, 0, 1, 0]);
  }
  return lstm;
};

type Row = [api: string, call: () => unknown, message: RegExp];

const rows: Row[] = [
  // Word2Vec.train
  ['Word2Vec dim', () => Word2Vec.train(corpus, { dim: 0 }), /option dim: got 0, expected an integer in \[1, 100000\]/],
  ['Word2Vec window', () => Word2Vec.train(corpus, { window: 2.5 }), /option window: got 2\.5, expected an integer in \[1, 1000\]/],
  ['Word2Vec sample', () => Word2Vec.train(corpus, { sample: -1 }), /option sample: got -1, expected a finite number >= 0 and <= 1/],
  ['Word2Vec alpha NaN', () => Word2Vec.train(corpus, { alpha: NaN }), /option alpha: got NaN, expected a finite number > 0 and <= 10/],
  ['Word2Vec minAlpha', () => Word2Vec.train(corpus, { alpha: 0.01, minAlpha: 0.1 }), /option minAlpha: got 0\.1, expected a finite number >= 0 and <= 0\.01/],
  ['Word2Vec learningRate', () => Word2Vec.train(corpus, { learningRate: 11 }), /option learningRate: got 11, expected a finite number > 0 and <= 10/],
  ['Word2Vec minLearningRate', () => Word2Vec.train(corpus, { learningRate: 0.01, minLearningRate: 0.1 }), /option minLearningRate: got 0\.1/],
  [
    'Word2Vec learningRate + alpha',
    () => Word2Vec.train(corpus, { learningRate: 0.1, alpha: 0.2 }),
    /options learningRate and alpha are the same setting; got 0\.1 and 0\.2/,
  ],
  [
    'GloVe weightingExponent + alpha',
    () => GloVe.train(corpus, { weightingExponent: 0.5, alpha: 0.75 }),
    /options weightingExponent and alpha are the same setting/,
  ],
  [
    'GloVe weightingExponent',
    () => GloVe.train(corpus, { weightingExponent: 11 }),
    /option weightingExponent: got 11, expected a finite number >= 0 and <= 10/,
  ],
  ['Word2Vec model', () => Word2Vec.train(corpus, { model: 'glove' as never }), /option model: got "glove", expected one of 'skipgram', 'cbow'/],
  ['Word2Vec threads', () => Word2Vec.train(corpus, { threads: 0 }), /option threads: got 0, expected an integer in \[1, 256\]/],
  ['Word2Vec hs', () => Word2Vec.train(corpus, { hs: 1 as never }), /option hs: got 1, expected true or false/],
  ['Word2Vec signal', () => Word2Vec.train(corpus, { signal: 'stop' as never }), /option signal: got "stop", expected an AbortSignal/],
  [
    'Word2Vec checkpointEvery',
    () => Word2Vec.train(corpus, { checkpoint: () => {}, checkpointEvery: 0 }),
    /option checkpointEvery: got 0, expected an integer in \[1, 1000000\]/,
  ],
  ['Word2Vec unknown', () => Word2Vec.train(corpus, { dims: 10 } as never), /Word2Vec\.train: unknown option "dims"/],
  // GloVe.train
  ['GloVe dim', () => GloVe.train(corpus, { dim: -3 }), /option dim: got -3, expected an integer in \[1, 100000\]/],
  ['GloVe xMax', () => GloVe.train(corpus, { xMax: 0 }), /option xMax: got 0, expected a finite number > 0/],
  ['GloVe vectors', () => GloVe.train(corpus, { vectors: 'both' as never }), /option vectors: got "both", expected one of 'sum', 'word', 'context'/],
  ['GloVe memoryBudget', () => GloVe.train(corpus, { memoryBudget: 1000 }), /option memoryBudget: got 1000, expected an integer in \[1048576, ∞\]/],
  ['GloVe unknown', () => GloVe.train(corpus, { iterations: 5 } as never), /GloVe\.train: unknown option "iterations"/],
  // LinearClassifier
  ['Linear dim', () => new LinearClassifier({ dim: 1e6 }), /option dim: got 1000000, expected an integer in \[1, 10000\]/],
  ['Linear loss', () => new LinearClassifier({ loss: 'hinge' as never }), /option loss: got "hinge", expected one of 'softmax', 'ns', 'hs', 'ova'/],
  ['Linear learningRate', () => new LinearClassifier({ learningRate: 0 }), /option learningRate: got 0, expected a finite number > 0 and <= 100/],
  ['Linear unknown', () => new LinearClassifier({ lr: 0.1 } as never), /LinearClassifier: unknown option "lr"/],
  ['Linear fit unknown', () => new LinearClassifier({ dim: 4, threads: 1 }).fit(texts, labels, { epochs: 3 } as never), /fit: unknown option "epochs"/],
  [
    'Linear fit signal',
    () => new LinearClassifier({ dim: 4, threads: 1 }).fit(texts, labels, { signal: 1 as never }),
    /option signal: got 1, expected an AbortSignal/,
  ],
  [
    'Linear fit checkpoint',
    () => new LinearClassifier({ dim: 4, threads: 1 }).fit(texts, labels, { checkpoint: 5 as never }),
    /option checkpoint: got 5, expected a function receiving \{ epoch, bytes \} or a file path/,
  ],
  [
    'Linear fit checkpointEvery',
    () => new LinearClassifier({ dim: 4, threads: 1 }).fit(texts, labels, { checkpoint: () => {}, checkpointEvery: 0 }),
    /option checkpointEvery: got 0, expected an integer in \[1, 1000000\]/,
  ],
  [
    'Linear fit checkpointEvery alone',
    () => new LinearClassifier({ dim: 4, threads: 1 }).fit(texts, labels, { checkpointEvery: 2 }),
    /option checkpointEvery: got 2, expected to come with the checkpoint option/,
  ],
  [
    'Linear fit resumeFrom',
    () => new LinearClassifier({ dim: 4, threads: 1 }).fit(texts, labels, { resumeFrom: 42 as never }),
    /option resumeFrom: got 42, expected a checkpoint's bytes \(Uint8Array or ArrayBuffer\) or a file path/,
  ],
  ['Linear predict k', async () => (await trainedLinear()).predict(texts, { k: 0 }), /option k: got 0, expected an integer in \[1, ∞\]/],
  [
    'Linear predict threshold',
    async () => (await trainedLinear()).predict(texts, { threshold: 2 }),
    /option threshold: got 2, expected a finite number >= 0 and <= 1/,
  ],
  ['Linear predict unknown', async () => (await trainedLinear()).predict(texts, { topK: 2 } as never), /predict: unknown option "topK"/],
  ['Linear evaluate unknown', async () => (await trainedLinear()).evaluate(texts, labels, { k: 2 } as never), /evaluate: unknown option "k"/],
  ['Linear test unknown', async () => (await trainedLinear()).test(texts, labels, { topK: 2 } as never), /test: unknown option "topK"/],
  ['Linear load unknown', async () => LinearClassifier.load(await (await trainedLinear()).toBytes(), { thread: 1 } as never), /load: unknown option "thread"/],
  // TextClassifier
  ['TextClassifier vocabSize', () => new TextClassifier({ vocabSize: 2 }), /option vocabSize: got 2, expected an integer in \[3, 67108864\]/],
  ['TextClassifier lstm units', () => new TextClassifier({ lstm: [{ units: 0 }] }), /option lstm\[0\]\.units: got 0, expected an integer in \[1, 4096\]/],
  ['TextClassifier beta1', () => new TextClassifier({ beta1: 1 }), /option beta1: got 1, expected a number in \[0, 1\)/],
  ['TextClassifier unknown', () => new TextClassifier({ units: 8 } as never), /TextClassifier: unknown option "units"/],
  [
    'TextClassifier fit batchSize',
    async () => (await trainedLstm()).fit(texts, [1, 0, 1, 0], { batchSize: 0 }),
    /option batchSize: got 0, expected an integer in \[1, 65536\]/,
  ],
  ['TextClassifier fit unknown', async () => (await trainedLstm()).fit(texts, [1, 0, 1, 0], { epoch: 2 } as never), /fit: unknown option "epoch"/],
  [
    'TextClassifier earlyStopping',
    async () => (await trainedLstm()).fit(texts, [1, 0, 1, 0], { earlyStopping: { monitor: 'f1' as never } }),
    /option earlyStopping\.monitor: got "f1", expected one of 'loss', 'accuracy', 'valLoss', 'valAccuracy'/,
  ],
  [
    'TextClassifier earlyStopping unknown',
    async () => (await trainedLstm()).fit(texts, [1, 0, 1, 0], { earlyStopping: { patient: 2 } as never }),
    /earlyStopping: unknown option "patient"/,
  ],
  ['TextClassifier predict unknown', async () => (await trainedLstm()).predict(texts, { batchSize: 2 } as never), /predict: unknown option "batchSize"/],
  [
    'TextClassifier evaluate unknown',
    async () => (await trainedLstm()).evaluate(texts, [1, 0, 1, 0], { verbose: 1 } as never),
    /evaluate: unknown option "verbose"/,
  ],
  [
    'TextClassifier load unknown',
    async () => TextClassifier.load(await (await trainedLstm()).toBytes(), { thread: 1 } as never),
    /load: unknown option "thread"/,
  ],
  // Embeddings
  ['Embeddings load limit', () => Embeddings.load(emb.toBytes(), { limit: -1 }), /option limit: got -1, expected an integer in \[0, ∞\]/],
  ['Embeddings load unknown', () => Embeddings.load(emb.toBytes(), { binary: true } as never), /Embeddings\.load: unknown option "binary"/],
  [
    'Embeddings toBytes format',
    () => emb.toBytes({ format: 'csv' as never }),
    /option format: got "csv", expected one of 'word2vec-text', 'word2vec-binary', 'glove', 'vec', 'wasm2vec'/,
  ],
  ['Embeddings toBytes unknown', () => emb.toBytes({ binary: true } as never), /toBytes: unknown option "binary"/],
  ['Embeddings mostSimilar topN', () => emb.mostSimilar({ positive: ['king'], topN: -1 }), /option mostSimilar topN: got -1, expected an integer in \[0, ∞\]/],
  ['Embeddings mostSimilar unknown', () => emb.mostSimilar({ positive: ['king'], topn: 3 } as never), /mostSimilar: unknown option "topn"/],
  ['Embeddings mostSimilarCosmul unknown', () => emb.mostSimilarCosmul({ positive: ['king'], top: 3 } as never), /mostSimilarCosmul: unknown option "top"/],
  [
    'Embeddings mostSimilarBatch threads',
    () => emb.mostSimilarBatch([{ positive: ['king'] }], { threads: 0 }),
    /option threads: got 0, expected an integer in \[1, 256\]/,
  ],
  [
    'Embeddings mostSimilarBatch unknown',
    () => emb.mostSimilarBatch([{ positive: ['king'] }], { workers: 2 } as never),
    /mostSimilarBatch: unknown option "workers"/,
  ],
  ['Embeddings analogy unknown', () => emb.analogy('man', 'king', 'woman', { topn: 1 } as never), /analogy: unknown option "topn"/],
  ['Embeddings similarByVector unknown', () => emb.similarByVector([1, 0, 0, 0], { topn: 1 } as never), /similarByVector: unknown option "topn"/],
  ['Embeddings pca components', () => emb.pca({ components: 11 }), /option components: got 11, expected an integer in \[1, 4\]/],
  ['Embeddings pca unknown', () => emb.pca({ dims: 2 } as never), /pca: unknown option "dims"/],
  ['Embeddings evaluateWordPairs', () => emb.evaluateWordPairs([['king', 'queen', 1]], { restrictVocab: 0 }), /option restrictVocab: got 0/],
  [
    'Embeddings evaluateWordPairs unknown',
    () => emb.evaluateWordPairs([['king', 'queen', 1]], { case: 1 } as never),
    /evaluateWordPairs: unknown option "case"/,
  ],
  ['Embeddings evaluateAnalogies unknown', () => emb.evaluateAnalogies([], { restrict: 1 } as never), /evaluateAnalogies: unknown option "restrict"/],
  // Tokenizer
  ['createTokenizer lowercase', () => createTokenizer({ lowercase: 'yes' as never }), /option lowercase: got "yes", expected true or false/],
  ['createTokenizer unknown', () => createTokenizer({ lower: true } as never), /createTokenizer: unknown option "lower"/],
];

describe('option validation (table-driven)', () => {
  it.each(rows)('%s', async (_api, call, message) => {
    let error: unknown = null;
    try {
      const r = call();
      if (r && typeof (r as Promise<unknown>).then === 'function') {
        const v = await r;
        (v as { dispose?: () => void } | undefined)?.dispose?.();
      }
    } catch (e) {
      error = e;
    }
    expect(error, 'no error was thrown').toBeInstanceOf(Wasm2VecError);
    expect((error as Wasm2VecError).code).toBe('INVALID_OPTION');
    expect((error as Wasm2VecError).message).toMatch(message);
  });

  it('options must be objects everywhere', async () => {
    for (const call of [
      () => Word2Vec.train(corpus, 5 as never),
      () => GloVe.train(corpus, 'x' as never),
      () => new LinearClassifier(null as never),
      () => new TextClassifier(7 as never),
      () => emb.pca(3 as never),
      () => createTokenizer(true as never),
      () => Embeddings.load(emb.toBytes(), 1 as never),
    ]) {
      await expect((async () => call())()).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    }
  });
});
