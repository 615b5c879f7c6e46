export { Word2Vec, type Word2VecOptions, type Word2VecProgress, type Word2VecStats } from './train/word2vec.js';
export { Embeddings, type ScoredWord } from './vectors/embeddings.js';
export { Vocabulary } from './text/vocabulary.js';
export { createTokenizer, whitespaceTokenizer, type Tokenizer, type TokenizerOptions } from './text/tokenizer.js';
export { type CorpusInput } from './text/corpus.js';
export { Wasm2VecError, type ErrorCode } from './errors.js';
