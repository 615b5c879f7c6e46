import { Wasm2VecError } from '../errors.js';
import { enumOption } from '../options.js';

/**
 * What `fit` of either classifier reports about data it trained on anyway. Real data sets carry rows
 * with no words (a blank line, a lone "*"): they are uninformative samples, not malformed input, so
 * both classifiers train on them as "no words" (the TextClassifier: an all-padding sequence, as Keras'
 * pad_sequences of an empty sequence; the LinearClassifier: only fastText's end-of-line row `</s>`,
 * as fastText does for a line with a label and no words) and say so here.
 */
export interface FitWarning {
  code: FitWarningCode;
  /** One sentence for people: what was found and what training did with it. */
  message: string;
  /** How many samples it concerns. */
  count: number;
  /**
   * The first of them (at most MAX_WARNING_INDICES), ascending: indices into the texts passed to fit,
   * or, for EMPTY_VALIDATION_TEXTS, into the texts of validationData.
   */
  indices: number[];
}

/**
 * EMPTY_TEXTS: texts with no words (empty, blank, or only punctuation and symbols the tokenizer drops).
 * EMPTY_VALIDATION_TEXTS: the same among validationData's texts (TextClassifier).
 * SINGLE_CLASS_VALIDATION: validationSplit held out a tail of the data holding one class while training
 * has several, so valAccuracy measures that class only (TextClassifier).
 */
export type FitWarningCode = 'EMPTY_TEXTS' | 'EMPTY_VALIDATION_TEXTS' | 'SINGLE_CLASS_VALIDATION';

/** 'warn' (default): train on texts without words and report them; 'error': refuse the fit, naming the first. */
export type EmptyTextsPolicy = 'warn' | 'error';

export const MAX_WARNING_INDICES = 10;

export function emptyTextsOption(value: unknown): EmptyTextsPolicy {
  return enumOption<EmptyTextsPolicy>('emptyTexts', value, 'warn', ['warn', 'error']);
}

/** Why a text counts as empty, in the words of an error message: `is empty` or `"*" has no words (…)`. */
export function emptyTextProblem(text: unknown): string {
  if (typeof text !== 'string') return 'holds no token ids (an empty sequence, or only padding 0)';
  if (text.trim() === '') return 'is empty';
  return `${JSON.stringify(text.length > 40 ? text.slice(0, 40) + '…' : text)} has no words (only punctuation or symbols)`;
}

/**
 * The warning for texts without words at `indices` (ascending, into `texts`), or null if there are
 * none; with policy 'error', the error naming the first of them instead.
 */
export function emptyTextsWarning(
  what: string,
  policy: EmptyTextsPolicy,
  texts: readonly unknown[],
  indices: readonly number[],
  code: 'EMPTY_TEXTS' | 'EMPTY_VALIDATION_TEXTS',
  treatment: string,
): FitWarning | null {
  if (indices.length === 0) return null;
  const array = code === 'EMPTY_TEXTS' ? 'texts' : 'validationData texts';
  const first = indices[0];
  if (policy === 'error') {
    throw new Wasm2VecError(
      'INVALID_OPTION',
      `${what}: ${array}[${first}] ${emptyTextProblem(texts[first])}` +
        `${indices.length > 1 ? ` (and ${indices.length - 1} more texts without words)` : ''}; emptyTexts is 'error'. The default, 'warn', trains on them as ${treatment}`,
    );
  }
  const shown = indices.slice(0, MAX_WARNING_INDICES);
  return {
    code,
    message:
      `${indices.length} of ${texts.length} ${array} have no words (empty, or only punctuation or symbols): ` +
      `${shown.map((i) => `[${i}]`).join(', ')}${indices.length > shown.length ? ', …' : ''}. They were used as ${treatment}; emptyTexts: 'error' refuses them`,
    count: indices.length,
    indices: shown,
  };
}
