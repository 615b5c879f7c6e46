import { describe, expect, it } from 'vitest';
import { Wasm2VecError } from '../../src/errors.js';
import { BASE_OFFSET, MAX_BYTES, MemoryLayout, WASM_PAGE, formatBytes } from '../../src/runtime/memory-layout.js';
import { expectSoundLayout } from './layout-checks.js';

describe('MemoryLayout', () => {
  it('regions start above the static area, aligned (64 by default, or as asked), in order', () => {
    const L = new MemoryLayout();
    expect(L.alloc('a', 10)).toBe(BASE_OFFSET);
    expect(L.alloc('b', 1)).toBe(BASE_OFFSET + 64);
    expect(L.alloc('c', 0, 'nothing', 4096)).toBe(BASE_OFFSET + 4096);
    expect(L.alloc('d', 0)).toBe(BASE_OFFSET + 4096); // an empty region takes no room
    expect(L.alloc('e', 3, '', 1)).toBe(BASE_OFFSET + 4096);
    expect(L.alloc('f', 1, '', 8)).toBe(BASE_OFFSET + 4104);
    expect(L.bytes).toBe(BASE_OFFSET + 4105);
    expect(L.regions.map((r) => r.name)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(L.regions[2]).toEqual({ name: 'c', offset: BASE_OFFSET + 4096, bytes: 0, what: 'nothing' });
  });
  it('pages round the total up to whole 64 KiB pages', () => {
    const L = new MemoryLayout();
    expect(L.pages).toBe(1); // the static area alone
    L.alloc('x', WASM_PAGE); // BASE_OFFSET is one page: ends exactly at 2 pages
    expect(L.bytes).toBe(2 * WASM_PAGE);
    expect(L.pages).toBe(2);
    L.alloc('y', 1);
    expect(L.pages).toBe(3);
  });
  it('refuses negative, NaN and infinite sizes naming the region', () => {
    for (const bad of [-1, NaN, Infinity]) {
      const L = new MemoryLayout();
      expect(() => L.alloc('syn0', bad)).toThrow(new Wasm2VecError('MEMORY_LIMIT', `syn0: invalid size ${bad}`));
    }
  });
  it('the 4 GiB check is exact: a plan ending at 4 GiB passes, one byte more fails naming the three largest regions', () => {
    const ok = new MemoryLayout();
    ok.alloc('big', MAX_BYTES - BASE_OFFSET);
    expect(() => ok.check('Model')).not.toThrow();
    const over = new MemoryLayout();
    over.alloc('small', 10);
    over.alloc('matrix', 3 * 2 ** 30, '3 GiB of rows');
    over.alloc('other', 2 ** 29);
    over.alloc('tiny', 1);
    const at = over.alloc('table', 0); // (an empty region: where the next one starts)
    over.alloc('table', MAX_BYTES - at + 1);
    expect(over.bytes).toBe(MAX_BYTES + 1);
    let e: Wasm2VecError | undefined;
    try {
      over.check('Model');
    } catch (x) {
      e = x as Wasm2VecError;
    }
    expect(e?.code).toBe('MEMORY_LIMIT');
    expect(e?.message).toMatch(
      /^Model needs 4\.00 GiB of WebAssembly memory, but wasm32 memory is capped at 4 GiB; largest parts: matrix 3\.00 GiB \(3 GiB of rows\), other 512\.0 MiB, table 511\.9 MiB\. Lower the vocabulary/,
    );
    const edge = new MemoryLayout();
    edge.alloc('big', MAX_BYTES - BASE_OFFSET + 1);
    expect(() => edge.check('Model')).toThrow(/Model needs/);
  });
  it("a layout of fresh regions is sound (the shared checks used by the planners' tests)", () => {
    const L = new MemoryLayout();
    for (let i = 0; i < 20; i++) L.alloc(`r${i}`, (i * 97) % 300, '', i % 3 === 0 ? 256 : 64);
    expectSoundLayout(L);
  });
});

describe('formatBytes', () => {
  it('B below 1 KiB, then KiB and MiB with one decimal, GiB with two', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(2 ** 20)).toBe('1.0 MiB');
    expect(formatBytes(2 ** 30 - 1)).toBe('1024.0 MiB');
    expect(formatBytes(2 ** 30)).toBe('1.00 GiB');
    expect(formatBytes(MAX_BYTES)).toBe('4.00 GiB');
  });
});
