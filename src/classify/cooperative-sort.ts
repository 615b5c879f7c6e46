import type { Steps } from '../runtime/cooperative.js';

/** Element moves between pauses: a few hundred microseconds of merging. */
const MOVES_PER_STEP = 4096;

/**
 * Sorts `order` (indices) by `compare` with a stable bottom-up merge sort that pauses every few
 * thousand moves, so sorting a million training examples lets the event loop turn (and an abort
 * land) like the tokenising around it. Returns the sorted array (`order` or a scratch array).
 */
export function* sortSteps(order: Uint32Array, compare: (a: number, b: number) => number): Steps<Uint32Array> {
  const n = order.length;
  let src: Uint32Array = order;
  let dst: Uint32Array = new Uint32Array(n);
  let moves = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n),
        hi = Math.min(lo + 2 * width, n);
      let i = lo,
        j = mid,
        k = lo;
      while (i < mid && j < hi) {
        dst[k++] = compare(src[j], src[i]) < 0 ? src[j++] : src[i++];
        if (++moves === MOVES_PER_STEP) {
          moves = 0;
          yield;
        }
      }
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    [src, dst] = [dst, src];
  }
  return src;
}
