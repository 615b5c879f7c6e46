import { Wasm2VecError } from '../errors.js';

/** wasm32 addresses 65,536 pages of 64 KiB. */
export const WASM_PAGE = 65536;
export const MAX_PAGES = 65536;
export const MAX_BYTES = WASM_PAGE * MAX_PAGES;
/** Kernel modules are built with a small static area; regions start above it (checked at runtime). */
export const BASE_OFFSET = 64 * 1024;

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

/**
 * Host-side memory plan: every buffer a model needs gets a named, aligned region at a fixed offset.
 * The total is checked against wasm32's 4 GiB before any memory is created.
 */
export class MemoryLayout {
  private top = BASE_OFFSET;
  readonly regions: { name: string; offset: number; bytes: number; what: string }[] = [];

  /** Reserves `bytes` (a float count is fine; it is checked) and returns the offset. */
  alloc(name: string, bytes: number, what = '', align = 64): number {
    if (!Number.isFinite(bytes) || bytes < 0) throw new Wasm2VecError('MEMORY_LIMIT', `${name}: invalid size ${bytes}`);
    const offset = Math.ceil(this.top / align) * align;
    this.top = offset + bytes;
    this.regions.push({ name, offset, bytes, what });
    return offset;
  }

  get bytes(): number {
    return this.top;
  }

  get pages(): number {
    return Math.ceil(this.top / WASM_PAGE);
  }

  /** Throws MEMORY_LIMIT in words (largest regions first) when the plan exceeds wasm32's 4 GiB. */
  check(model: string): void {
    if (this.top <= MAX_BYTES) return;
    const big = [...this.regions]
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 3)
      .map((r) => `${r.name} ${formatBytes(r.bytes)}${r.what ? ` (${r.what})` : ''}`)
      .join(', ');
    throw new Wasm2VecError(
      'MEMORY_LIMIT',
      `${model} needs ${formatBytes(this.top)} of WebAssembly memory, but wasm32 memory is capped at 4 GiB; ` +
        `largest parts: ${big}. Lower the vocabulary (minCount/maxVocab) or the vector dimension.`,
    );
  }
}
