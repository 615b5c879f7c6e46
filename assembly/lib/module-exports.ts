// Exports every kernel module carries; each module re-exports them (`export { ... } from './lib/module-exports'`).

/** End of the module's static area; the host lays out its regions above it. */
export function heapBase(): usize {
  return __heap_base;
}

/** Number of non-finite floats in [ptr, ptr + 4n): the numerical health check after each epoch. */
export function countNonFinite(ptr: usize, n: i32): i32 {
  let bad = 0;
  for (let i = 0; i < n; i++) {
    if ((load<u32>(ptr + (<usize>i << 2)) & 0x7F800000) == 0x7F800000) bad++;
  }
  return bad;
}
