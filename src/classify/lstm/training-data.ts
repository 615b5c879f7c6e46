import { Wasm2VecError, describe } from '../../errors.js';
import type { Steps } from '../../runtime/cooperative.js';
import { sortSteps } from '../cooperative-sort.js';

/** Checks inputs and labels are arrays of one length (at least one item). */
export function checkPair(inputs: unknown, labels: unknown, what: string): void {
  if (!Array.isArray(inputs))
    throw new Wasm2VecError('INVALID_OPTION', `${what}: texts must be an array of strings (or of token-id arrays), got ${describe(inputs)}`);
  if (labels === undefined) return;
  if (!Array.isArray(labels) && !ArrayBuffer.isView(labels))
    throw new Wasm2VecError('INVALID_OPTION', `${what}: labels must be an array of numbers, got ${describe(labels)}`);
  const n = (labels as ArrayLike<number>).length;
  if (n !== inputs.length) throw new Wasm2VecError('INVALID_OPTION', `${what}: ${inputs.length} texts but ${n} labels; they must have the same length`);
}

/**
 * Integer class labels: 0 or 1 for a binary classifier (classes 2), 0..classes-1 otherwise. The error
 * names the first bad index and value.
 */
export function checkLabels(labels: ArrayLike<unknown>, classes: number, what: string): Int32Array {
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (typeof y !== 'number' || !Number.isInteger(y) || y < 0 || y >= classes) {
      const expected = classes === 2 ? '0 or 1 for a binary classifier (classes: 2)' : `an integer class in [0, ${classes - 1}] (classes: ${classes})`;
      throw new Wasm2VecError('INVALID_OPTION', `${what}: labels[${i}] is ${describe(y)}, expected ${expected}`);
    }
    out[i] = y;
  }
  return out;
}

/** 32-bit mix of a seed (up to 2^53) and a stream number, integer-only so every engine agrees. */
function mix32(seed: number, stream: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(Math.floor(seed / 4294967296) >>> 0, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ stream, 0x27d4eb2d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x165667b1);
  return (h ^ (h >>> 13)) >>> 0;
}

/**
 * Fisher–Yates order of 0..n-1 for (seed, epoch), from a mulberry32 stream. Index draws are
 * floor(r · k / 2^32) with r < 2^32 and k < 2^21, exact in doubles: deterministic everywhere.
 */
export function shuffledOrder(n: number, seed: number, epoch: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let a = mix32(seed, epoch);
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor((next() * (i + 1)) / 4294967296);
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
  return order;
}

/**
 * The training rows in an order that depends only on their contents: sorted by id row
 * (lexicographically), then label. Shuffles permute this order, not the caller's, so the same
 * multiset of samples trains bit-identically however it was ordered. The key is the padded id row
 * rather than the text because that is what training sees: texts that encode alike are
 * interchangeable, whatever their order, and token-id input gets the same rule.
 */
export function canonicalOrder(ids: Int32Array, labels: Int32Array, T: number): Steps<Uint32Array> {
  return sortSteps(
    Uint32Array.from({ length: labels.length }, (_, i) => i),
    (a, b) => {
      const ra = a * T,
        rb = b * T;
      for (let k = 0; k < T; k++) {
        const d = ids[ra + k] - ids[rb + k];
        if (d !== 0) return d;
      }
      return labels[a] - labels[b];
    },
  );
}

/** `base` permuted by the seeded shuffle of (seed, epoch): the epoch's row order. */
export function shuffledRows(base: Uint32Array, seed: number, epoch: number): Uint32Array {
  const perm = shuffledOrder(base.length, seed, epoch);
  for (let k = 0; k < perm.length; k++) perm[k] = base[perm[k]];
  return perm;
}

/** Rows `order[from..to)` of an id matrix and their labels, copied into the batch arrays. */
export function gatherBatch(
  ids: Int32Array,
  labels: Int32Array,
  T: number,
  order: Uint32Array,
  from: number,
  to: number,
  outIds: Int32Array,
  outLabels: Int32Array,
): void {
  for (let k = from; k < to; k++) {
    const r = order[k];
    outIds.set(ids.subarray(r * T, (r + 1) * T), (k - from) * T);
    outLabels[k - from] = labels[r];
  }
}
