export { Word2Vec, type Word2VecOptions, type Word2VecProgress, type Word2VecStats } from './train/word2vec/word2vec.js';
export { GloVe, type GloVeOptions, type GloVeProgress, type GloVeStats, type GloVeVectors, type CooccurrenceMatrix } from './train/glove/glove.js';
export { Embeddings, type EmbeddingsOptions } from './vectors/embeddings.js';
export {
  FastText,
  type FastTextLoadOptions,
  type FastTextSettings,
  type FastTextArgs,
  type FastTextDtype,
  type FastTextLoss,
  type FastTextModelKind,
  type FastTextOptions,
  type FastTextProgress,
  type FastTextStats,
} from './train/fasttext/fasttext.js';
export { SubwordEmbeddings, type SubwordEmbeddingsOptions, type Ngram } from './vectors/subword-embeddings.js';
export type { WordVectors, ScoredWord, MostSimilarQuery, QueryTerm, BatchOptions } from './vectors/word-vectors.js';
export { Alignment, type WordPairList, type TranslateOptions } from './vectors/alignment.js';
export { parseWordPairs, parseAnalogies, type WordPair, type AnalogyQuestion, type AnalogySection } from './vectors/eval-files.js';
export type { WordPairsOptions, WordPairsResult } from './vectors/evaluate-pairs.js';
export type { AnalogyOptions, AnalogyResult, AnalogySectionResult } from './vectors/evaluate-analogies.js';
export { pearson, spearman } from './vectors/statistics.js';
export { scatterSvg, type ScatterOptions } from './vectors/svg-plot.js';
export type { PcaOptions, Projection } from './vectors/pca.js';
export type { VectorFormat } from './vectors/format-detect.js';
export type { LoadOptions } from './vectors/load-vectors.js';
export type { SaveOptions, SaveTarget } from './vectors/save-vectors.js';
export type { EmbeddingsSource } from './vectors/byte-source.js';
export type { Wasm2VecDtype } from './vectors/formats/wasm2vec-format.js';
export { Vocabulary } from './text/vocabulary.js';
export { createTokenizer, whitespaceTokenizer, type Tokenizer, type TokenizerOptions } from './text/tokenizer.js';
export type { CorpusInput } from './text/corpus.js';
export { Wasm2VecError, type ErrorCode } from './errors.js';
export {
  LinearClassifier,
  type LinearClassifierOptions,
  type LinearFitOptions,
  type LinearFitResult,
  type LinearEpoch,
  type LinearPrediction,
  type LinearPredictOptions,
  type LinearEvaluation,
  type LinearTestResult,
  type LinearWeights,
  type Label,
  type LabelInput,
  type LinearLoss,
} from './classify/linear/linear-classifier.js';
export {
  TextClassifier,
  type TextClassifierOptions,
  type TextClassifierConfig,
  type TextClassifierFitOptions,
  type TextClassifierFitResult,
  type TextClassifierEvaluation,
  type TextClassifierEpochLogs,
  type TextClassifierBatchLogs,
  type TextClassifierEarlyStoppingOptions,
  type TextClassifierWeightTensor,
  type TextClassifierInput,
  type FitWarning,
  type EmptyTextsPolicy,
  type FitOptions,
  type FitResult,
  type Evaluation,
  type EpochLogs,
  type BatchLogs,
  type EarlyStoppingOptions,
  type WeightTensor,
  type ClassifierInput,
} from './classify/lstm/text-classifier.js';
export type { Checkpoint, CheckpointTarget } from './train/checkpoint-file.js';
