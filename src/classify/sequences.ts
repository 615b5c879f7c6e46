import { Wasm2VecError, describe } from '../errors.js';
import { createTokenizer, type Tokenizer } from '../text/tokenizer.js';
import { Vocabulary } from '../text/vocabulary.js';
import { runCooperatively, runToEnd, type Steps } from '../runtime/cooperative.js';

/** Keras conventions: pad_sequences fills with 0, Tokenizer(oov_token=...) gives the OOV token index 1. */
export const PAD_ID = 0;
export const OOV_ID = 1;
/** The most frequent word gets this id, the next one +1, ... (Keras Tokenizer word_index order). */
export const FIRST_WORD_ID = 2;

/**
 * Keras pad_sequences(sequences, maxlen, padding='pre', truncating='pre', value=0): each sequence
 * becomes one row of `maxlen` ids, keeping its LAST maxlen tokens and padding at the front.
 */
export function padSequences(sequences: ArrayLike<number>[], maxlen: number): Int32Array {
  const out = new Int32Array(sequences.length * maxlen);
  sequences.forEach((s, r) => {
    const n = Math.min(s.length, maxlen);
    const from = s.length - n;
    const at = r * maxlen + maxlen - n;
    for (let i = 0; i < n; i++) out[at + i] = s[from + i];
  });
  return out;
}

function snippet(text: string): string {
  return JSON.stringify(text.length > 40 ? text.slice(0, 40) + '…' : text);
}

/**
 * Text → padded id rows: the library's tokenizer (English, Chinese, …), a vocabulary of the
 * vocabSize - 2 most frequent training words (ties: first occurrence), OOV → 1, padding → 0.
 */
export class SequenceEncoder {
  private readonly tokenize: Tokenizer;

  constructor(
    readonly vocabulary: Vocabulary,
    readonly sequenceLength: number,
    readonly tokenizerOptions: { lowercase: boolean; locale: string },
  ) {
    this.tokenize = createTokenizer(tokenizerOptions);
  }

  /** Builds the vocabulary from training texts (already validated as non-empty strings). */
  static fit(texts: readonly string[], vocabSize: number, sequenceLength: number, tokenizerOptions: { lowercase: boolean; locale: string }): SequenceEncoder {
    return runToEnd(SequenceEncoder.fitSteps(texts, vocabSize, sequenceLength, tokenizerOptions));
  }

  /** fit() that lets the event loop turn while it tokenises, so an abort lands within ~25 ms. */
  static fitCooperatively(texts: readonly string[], vocabSize: number, sequenceLength: number, tokenizerOptions: { lowercase: boolean; locale: string },
    signal: AbortSignal | undefined, what: string): Promise<SequenceEncoder> {
    return runCooperatively(SequenceEncoder.fitSteps(texts, vocabSize, sequenceLength, tokenizerOptions), signal, what);
  }

  private static *fitSteps(texts: readonly string[], vocabSize: number, sequenceLength: number, tokenizerOptions: { lowercase: boolean; locale: string }): Steps<SequenceEncoder> {
    const tokenize = createTokenizer(tokenizerOptions);
    const counts = new Map<string, number>();
    for (let i = 0; i < texts.length; i++) {
      if ((i & 1023) === 1023) yield;
      for (const w of tokenize(texts[i])) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    if (counts.size === 0) throw new Wasm2VecError('EMPTY_VOCABULARY', 'TextClassifier.fit: the training texts contain no words');
    const vocabulary = Vocabulary.fromCounts(counts, { minCount: 1, maxVocab: vocabSize - FIRST_WORD_ID });
    return new SequenceEncoder(vocabulary, sequenceLength, tokenizerOptions);
  }

  /** Token ids of one text (unpadded). */
  tokenIds(text: string): number[] {
    return this.tokenize(text).map((w) => {
      const id = this.vocabulary.id(w);
      return id < 0 ? OOV_ID : id + FIRST_WORD_ID;
    });
  }

  /** rows × sequenceLength ids; a text that is not a string, is blank or has no word is an error naming it. */
  encode(texts: readonly unknown[], what: string): Int32Array {
    return runToEnd(this.encodeSteps(texts, what));
  }

  /** encode() that lets the event loop turn while it tokenises, so an abort lands within ~25 ms. */
  encodeCooperatively(texts: readonly unknown[], what: string, signal: AbortSignal | undefined, task: string): Promise<Int32Array> {
    return runCooperatively(this.encodeSteps(texts, what), signal, task);
  }

  private *encodeSteps(texts: readonly unknown[], what: string): Steps<Int32Array> {
    const seqs: number[][] = new Array(texts.length);
    for (let i = 0; i < texts.length; i++) {
      if ((i & 1023) === 1023) yield;
      const text = texts[i];
      if (typeof text !== 'string') throw new Wasm2VecError('INVALID_OPTION', `${what}[${i}] is ${describe(text)}, expected a string`);
      if (text.trim() === '') throw new Wasm2VecError('INVALID_OPTION', `${what}[${i}] is empty`);
      const ids = this.tokenIds(text);
      if (ids.length === 0) throw new Wasm2VecError('INVALID_OPTION', `${what}[${i}] ${snippet(text)} has no words (only punctuation or symbols)`);
      seqs[i] = ids;
    }
    return padSequences(seqs, this.sequenceLength);
  }
}

/** Pre-tokenised input: arrays of ids in [0, vocabSize), padded like texts. */
export function encodeIdSequences(seqs: readonly unknown[], vocabSize: number, sequenceLength: number, what: string): Int32Array {
  const checked = seqs.map((s, i) => {
    if (s == null || typeof s !== 'object' || typeof (s as ArrayLike<number>).length !== 'number') {
      throw new Wasm2VecError('INVALID_OPTION', `${what}[${i}] is ${describe(s)}, expected an array of token ids`);
    }
    const a = s as ArrayLike<number>;
    if (a.length === 0) throw new Wasm2VecError('INVALID_OPTION', `${what}[${i}] is empty`);
    for (let k = 0; k < a.length; k++) {
      const id = a[k];
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= vocabSize) {
        throw new Wasm2VecError('INVALID_OPTION', `${what}[${i}][${k}] is ${describe(id)}, expected a token id in [0, ${vocabSize - 1}] (vocabSize ${vocabSize})`);
      }
    }
    return a;
  });
  return padSequences(checked, sequenceLength);
}

/** True when the inputs are id sequences rather than texts (decided by the first element). */
export function isIdInput(inputs: readonly unknown[]): boolean {
  return inputs.length > 0 && typeof inputs[0] === 'object' && inputs[0] !== null;
}
