export { Word2Vec, type Word2VecOptions, type Word2VecProgress, type Word2VecStats } from './train/word2vec.js';
export { GloVe, type GloVeOptions, type GloVeProgress, type GloVeStats, type GloVeVectors, type CooccurrenceMatrix } from './train/glove.js';
export { Embeddings, Alignment, parseWordPairs, parseAnalogies, pearson, spearman, scatterSvg, type ScoredWord, type MostSimilarQuery, type QueryTerm, type BatchOptions, type VectorFormat, type LoadOptions, type SaveOptions, type SaveTarget, type EmbeddingsSource, type WordPair, type AnalogyQuestion, type AnalogySection, type WordPairsOptions, type WordPairsResult, type AnalogyOptions, type AnalogyResult, type AnalogySectionResult, type PcaOptions, type Projection, type Wasm2VecDtype, type ScatterOptions, type WordPairList, type TranslateOptions } from './vectors/embeddings.js';
export { Vocabulary } from './text/vocabulary.js';
export { createTokenizer, whitespaceTokenizer, type Tokenizer, type TokenizerOptions } from './text/tokenizer.js';
export { type CorpusInput } from './text/corpus.js';
export { Wasm2VecError, type ErrorCode } from './errors.js';
export { LinearClassifier, type LinearClassifierOptions, type LinearFitOptions, type LinearFitResult, type LinearEpoch, type LinearPrediction, type LinearPredictOptions, type LinearEvaluation, type LinearTestResult, type LinearWeights, type Label, type LabelInput, type LinearLoss } from './classify/linear-classifier.js';
export { TextClassifier, type TextClassifierOptions, type TextClassifierConfig, type FitOptions, type FitResult, type Evaluation, type EpochLogs, type BatchLogs, type EarlyStoppingOptions, type WeightTensor, type ClassifierInput } from './classify/text-classifier.js';
