import { Wasm2VecError, describe } from '../../errors.js';
import { compareCodeUnits } from '../../text/vocabulary.js';

/** A class label: a string (e.g. "__label__pos") or an integer (e.g. 0/1); one type per model. */
export type Label = string | number;
/** One example's label: a single label, or for multi-label data an array of them. */
export type LabelInput = Label | readonly Label[];

export type LabelKind = 'string' | 'number';

/**
 * Order of two labels of one kind, independent of where they occur: integers ascending, strings in
 * UTF-16 code-unit order (the library's tie rule for words too).
 */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareCodeUnits(String(a), String(b));
}

/** Lexicographic order of label lists (an example's labels), by compareLabels. */
export function compareLabelLists(a: readonly Label[], b: readonly Label[]): number {
  for (let k = 0; k < a.length && k < b.length; k++) {
    const d = compareLabels(a[k], b[k]);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * How LabelSet.fromTraining orders labels of equal count: 'canonical' by compareLabels; 'first-occurrence'
 * only to resume checkpoints written before that rule (fastText's order: first seen in the file).
 */
export type LabelTieRule = 'canonical' | 'first-occurrence';

/**
 * The label vocabulary of a model, in fastText's order: by training count descending; equal counts by
 * compareLabels (fastText keeps first occurrence, which would make a label-sorted file train another
 * model than the same file shuffled). That order is the output-layer row order and the leaf order of
 * the hs tree.
 */
export class LabelSet {
  private readonly index = new Map<Label, number>();

  constructor(
    readonly values: readonly Label[],
    readonly counts: Float64Array,
    readonly kind: LabelKind,
    readonly multiLabel: boolean,
  ) {
    values.forEach((v, i) => this.index.set(v, i));
  }

  get size(): number {
    return this.values.length;
  }

  /** Label id, or -1 for a label the model was not trained on. */
  id(label: Label): number {
    return this.index.get(label) ?? -1;
  }

  /** Counts labels of training data (validated by normalizeLabels) and orders them. */
  static fromTraining(examples: readonly (readonly Label[])[], kind: LabelKind, multiLabel: boolean, ties: LabelTieRule = 'canonical'): LabelSet {
    const counts = new Map<Label, number>();
    for (const ls of examples) for (const l of ls) counts.set(l, (counts.get(l) ?? 0) + 1);
    // Array#sort is stable: for 'first-occurrence', equal counts keep the Map's insertion order.
    const sorted = [...counts].sort((a, b) => b[1] - a[1] || (ties === 'canonical' ? compareLabels(a[0], b[0]) : 0));
    if (sorted.length < 2) {
      throw new Wasm2VecError(
        'INVALID_OPTION',
        sorted.length === 0
          ? 'fit: no example has a label (every label array is empty)'
          : `fit: all labels are ${JSON.stringify(sorted[0][0])}; a classifier needs at least two classes`,
      );
    }
    return new LabelSet(
      sorted.map(([l]) => l),
      Float64Array.from(sorted, ([, c]) => c),
      kind,
      multiLabel,
    );
  }
}

export interface NormalizedLabels {
  kind: LabelKind;
  multiLabel: boolean;
  /** Every example's labels as an array (one element for single-label data). */
  lists: Label[][];
}

function labelKind(value: unknown, where: string): LabelKind {
  if (typeof value === 'string') {
    if (value === '') throw new Wasm2VecError('INVALID_OPTION', `${where} is an empty string; labels must be non-empty strings or integers`);
    return 'string';
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Wasm2VecError('INVALID_OPTION', `${where} is ${describe(value)}; numeric labels must be integers`);
    return 'number';
  }
  throw new Wasm2VecError('INVALID_OPTION', `${where} is ${describe(value)}; labels must be strings or integers (or arrays of them for multi-label data)`);
}

/**
 * Checks labels against texts: same length, one label type throughout (all strings or all integers),
 * and either all single labels or all arrays (multi-label). Errors name the offending index.
 */
export function normalizeLabels(what: string, labels: unknown, count: number, expect?: { kind: LabelKind; multiLabel: boolean }): NormalizedLabels {
  if (!Array.isArray(labels)) throw new Wasm2VecError('INVALID_OPTION', `${what}: labels must be an array, got ${describe(labels)}`);
  if (labels.length !== count) {
    throw new Wasm2VecError('INVALID_OPTION', `${what}: ${count} texts but ${labels.length} labels; give one label (or label array) per text`);
  }
  const multiLabel = expect?.multiLabel ?? (count > 0 && Array.isArray(labels[0]));
  let kind: LabelKind | undefined = expect?.kind;
  let kindAt = -1;
  const lists: Label[][] = new Array(count);
  for (let i = 0; i < count; i++) {
    const v = labels[i];
    if (Array.isArray(v) !== multiLabel) {
      throw new Wasm2VecError(
        'INVALID_OPTION',
        `${what}: labels[${i}] is ${Array.isArray(v) ? 'an array' : 'a single label'} but ${multiLabel ? 'labels are arrays (multi-label)' : 'labels are single values'}` +
          `${expect ? ' for this model' : ' (labels[0] decides)'}; use one form for all examples`,
      );
    }
    const list: Label[] = multiLabel ? (v as Label[]).slice() : [v as Label];
    for (let j = 0; j < list.length; j++) {
      const where = multiLabel ? `${what}: labels[${i}][${j}]` : `${what}: labels[${i}]`;
      const k = labelKind(list[j], where);
      if (kind === undefined) {
        kind = k;
        kindAt = i;
      } else if (k !== kind) {
        throw new Wasm2VecError(
          'INVALID_OPTION',
          `${where} is a ${k} (${describe(list[j])}) but ${expect ? 'this model was trained on' : `labels[${kindAt}] is a`} ${kind}${expect ? ' labels' : ''}; labels of mixed types are ambiguous — use all strings or all integers`,
        );
      }
    }
    lists[i] = list;
  }
  return { kind: kind ?? 'string', multiLabel, lists };
}
