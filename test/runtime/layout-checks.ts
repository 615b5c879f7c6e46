import { expect } from 'vitest';
import { BASE_OFFSET, type MemoryLayout } from '../../src/runtime/memory-layout.js';

/**
 * What every model layout must satisfy, whatever its regions: they start above the kernels' static
 * area, are 64-byte aligned, never overlap, and the layout's size covers the last one.
 */
export function expectSoundLayout(L: MemoryLayout): void {
  const regions = [...L.regions].sort((a, b) => a.offset - b.offset);
  let end = BASE_OFFSET;
  for (const r of regions) {
    expect(r.offset % 64, r.name).toBe(0);
    expect(r.offset, `${r.name} overlaps the region before it`).toBeGreaterThanOrEqual(end);
    expect(Number.isFinite(r.bytes) && r.bytes >= 0, r.name).toBe(true);
    end = r.offset + r.bytes;
  }
  expect(L.bytes).toBeGreaterThanOrEqual(end);
}

export const region = (L: MemoryLayout, name: string) => {
  const r = L.regions.find((x) => x.name === name);
  if (!r) throw new Error(`no region ${name}`);
  return r;
};
export const hasRegion = (L: MemoryLayout, name: string) => L.regions.some((x) => x.name === name);
