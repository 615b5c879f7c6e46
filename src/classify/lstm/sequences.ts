import { Wasm2VecError, describe } from '../../errors.js';
import { createTokenizer, type Tokenizer } from '../../text/tokenizer.js';
import { Vocabulary } from '../../text/vocabulary.js';
import { runCooperatively, runToEnd, type Steps } from '../../runtime/cooperative.js';

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

/** Settings of the vocabulary a fit builds. */
export interface VocabularySettings {
  /** Embedding rows including padding and OOV: at most vocabSize - 2 words. */
  vocabSize: number;
  /** Words seen fewer times in the training texts are not in the vocabulary (they map to OOV). */
  minCount: number;
}

/**
 * Text → padded id rows: the library's tokenizer (English, Chinese, …), a vocabulary of the
 * vocabSize - 2 most frequent training words seen at least minCount times (equal counts in UTF-16
 * order, so it does not depend on the order of the texts), OOV → 1, padding → 0.
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

  /** Builds the vocabulary from training texts (already validated as strings); minCount 1 by default, a plain vocabSize cut. */
  static fit(
    texts: readonly string[],
    vocabSize: number,
    sequenceLength: number,
    tokenizerOptions: { lowercase: boolean; locale: string },
    minCount = 1,
  ): SequenceEncoder {
    return runToEnd(SequenceEncoder.fitSteps(texts, { vocabSize, minCount }, sequenceLength, tokenizerOptions));
  }

  /** fit() that lets the event loop turn while it tokenises, so an abort lands within ~25 ms. */
  static fitCooperatively(
    texts: readonly string[],
    settings: VocabularySettings,
    sequenceLength: number,
    tokenizerOptions: { lowercase: boolean; locale: string },
    signal: AbortSignal | undefined,
    what: string,
  ): Promise<SequenceEncoder> {
    return runCooperatively(SequenceEncoder.fitSteps(texts, settings, sequenceLength, tokenizerOptions), signal, what);
  }

  private static *fitSteps(
    texts: readonly string[],
    settings: VocabularySettings,
    sequenceLength: number,
    tokenizerOptions: { lowercase: boolean; locale: string },
  ): Steps<SequenceEncoder> {
    const tokenize = createTokenizer(tokenizerOptions);
    const counts = new Map<string, number>();
    for (let i = 0; i < texts.length; i++) {
      if ((i & 1023) === 1023) yield;
      for (const w of tokenize(texts[i])) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    if (counts.size === 0) throw new Wasm2VecError('EMPTY_VOCABULARY', 'TextClassifier.fit: the training texts contain no words');
    let best = 0;
    for (const c of counts.values()) if (c > best) best = c;
    if (best < settings.minCount) {
      throw new Wasm2VecError(
        'EMPTY_VOCABULARY',
        `TextClassifier.fit: no word occurs minCount=${settings.minCount} times in the training texts ` +
          `(${counts.size} distinct words, the most frequent ${best} times); lower minCount or train on more texts`,
      );
    }
    const vocabulary = Vocabulary.fromCounts(counts, { minCount: settings.minCount, maxVocab: settings.vocabSize - FIRST_WORD_ID });
    return new SequenceEncoder(vocabulary, sequenceLength, tokenizerOptions);
  }

  /** Token ids of one text (unpadded). */
  tokenIds(text: string): number[] {
    return this.tokenize(text).map((w) => {
      const id = this.vocabulary.id(w);
      return id < 0 ? OOV_ID : id + FIRST_WORD_ID;
    });
  }

  /**
   * rows × sequenceLength ids; a text that is not a string is an error naming it. A text without words
   * (blank, or only symbols) is an all-padding row, as Keras' pad_sequences makes of an empty sequence.
   */
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
      seqs[i] = this.tokenIds(text);
    }
    return padSequences(seqs, this.sequenceLength);
  }
}

/** Pre-tokenised input: arrays of ids in [0, vocabSize), padded like texts (an empty array is all padding). */
export function encodeIdSequences(seqs: readonly unknown[], vocabSize: number, sequenceLength: number, what: string): Int32Array {
  const checked = seqs.map((s, i) => {
    if (s == null || typeof s !== 'object' || typeof (s as ArrayLike<number>).length !== 'number') {
      throw new Wasm2VecError('INVALID_OPTION', `${what}[${i}] is ${describe(s)}, expected an array of token ids`);
    }
    const a = s as ArrayLike<number>;
    for (let k = 0; k < a.length; k++) {
      const id = a[k];
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= vocabSize) {
        throw new Wasm2VecError(
          'INVALID_OPTION',
          `${what}[${i}][${k}] is ${describe(id)}, expected a token id in [0, ${vocabSize - 1}] (vocabSize ${vocabSize})`,
        );
      }
    }
    return a;
  });
  return padSequences(checked, sequenceLength);
}

/**
 * Rows that hold only padding: texts without words (every token maps to OOV or a word, never to 0),
 * and empty or all-0 id sequences. Ascending row indices.
 */
export function allPaddingRows(ids: Int32Array, sequenceLength: number): number[] {
  const rows: number[] = [];
  for (let r = 0, at = 0; at < ids.length; r++, at += sequenceLength) {
    // Padding is at the front: for a text row the scan stops at its last id unless the whole row is padding.
    let k = sequenceLength - 1;
    while (k >= 0 && ids[at + k] === PAD_ID) k--;
    if (k < 0) rows.push(r);
  }
  return rows;
}

/** True when the inputs are id sequences rather than texts (decided by the first element). */
export function isIdInput(inputs: readonly unknown[]): boolean {
  return inputs.length > 0 && typeof inputs[0] === 'object' && inputs[0] !== null;
}
