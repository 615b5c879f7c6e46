/**
 * A seeded mutation fuzzer for wasm2vec's readers, shared by the CI fuzz tests (test/fuzz/*.test.ts,
 * a few hundred cases per reader) and the nightly-style script (scripts/fuzz.ts, >= 10,000 per reader).
 *
 * Every case is reproducible from (run seed, target name, case index). A case takes a valid seed file,
 * applies 1-3 mutations (truncation, bit flips, huge header numbers, NaN/Inf, invalid UTF-8, NUL bytes,
 * a 10 MB line, splices, deletions, duplicated lines) and hands the bytes to the reader. The case
 * passes when the reader returns (and the result passes the target's own invariants) or throws a
 * Wasm2VecError with a known code, within a time bound, and without any single allocation larger
 * than the bound (typed arrays and ArrayBuffers are counted while the case runs), so a header can
 * never make a reader allocate what the input does not justify.
 */
import { Wasm2VecError, type ErrorCode } from '../../src/errors.js';

export const ERROR_CODES: readonly ErrorCode[] = [
  'INVALID_OPTION',
  'EMPTY_CORPUS',
  'EMPTY_VOCABULARY',
  'MEMORY_LIMIT',
  'BAD_FORMAT',
  'NOT_FOUND',
  'UNSUPPORTED',
  'ABORTED',
  'WORKER_FAILED',
  'NUMERIC',
  'IO',
];

/** mulberry32: small, fast and good enough to pick mutations; the same in every engine. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** FNV-1a of a string, to derive per-target, per-case seeds. */
export function hashString(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function caseSeed(runSeed: number, target: string, index: number): number {
  return hashString(`${target}#${index}`, hashString(String(runSeed)));
}

const enc = new TextEncoder();
export const utf8 = (s: string): Uint8Array => enc.encode(s);

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function splice(b: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  return concat([b.subarray(0, at), insert, b.subarray(Math.min(b.length, at + remove))]);
}

/** Whether the seed is text (line-oriented) or binary: some mutations are chosen accordingly. */
export type SeedKind = 'text' | 'binary';

export interface MutationContext {
  rng: Rng;
  kind: SeedKind;
  /** Other seeds of the same target, for splices. */
  seeds: readonly Uint8Array[];
  /** Whether a 10 MB line may be inserted in this case. */
  allowHuge: boolean;
  /** Target-specific mutators. */
  extra?: Record<string, Mutator>;
  /** Applied after the mutations, e.g. to recompute a checksum so the parser behind it is reached. */
  fixup?: (b: Uint8Array) => Uint8Array;
}

const HUGE_NUMBERS = [
  '4294967295',
  '4294967296',
  '9007199254740993',
  '99999999999999999999',
  '2147483648',
  '100000',
  '100001',
  '0',
  '1',
  '65536',
  '1e308',
  '-1',
  '18446744073709551616',
  '300000000',
  '1000000000',
];
const NAN_INF = ['nan', 'NaN', '-nan', 'inf', '-inf', 'Infinity', '-Infinity', '1e39', '-1e39', '3.5e38', '1e-50', '0x10', '1_0', '.', '-', 'e5', '1e', '++1'];
const INVALID_UTF8 = [[0xff], [0xfe], [0xc3], [0xe4, 0xb8], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xf4, 0x90, 0x80, 0x80]];
const FILLERS = ['a', '1 ', '0.5 ', '\u4e2d', ' ', '\t', 'word ', '\u0000'];
export const HUGE_LINE_BYTES = 10 * 1024 * 1024;

function tokens(b: Uint8Array, re: RegExp): { start: number; end: number }[] {
  // latin1 keeps one char per byte, so regex indices are byte offsets.
  const text = new TextDecoder('latin1').decode(b.length > 1 << 20 ? b.subarray(0, 1 << 20) : b);
  const out: { start: number; end: number }[] = [];
  for (const m of text.matchAll(re)) out.push({ start: m.index!, end: m.index! + m[0].length });
  return out;
}

const lineStarts = (b: Uint8Array): number[] => {
  const out = [0];
  const n = Math.min(b.length, 1 << 20);
  for (let i = 0; i < n; i++) if (b[i] === 0x0a && i + 1 < b.length) out.push(i + 1);
  return out;
};

export type Mutator = (b: Uint8Array, c: MutationContext) => Uint8Array;

const u32At = (b: Uint8Array, at: number, v: number) => {
  const out = b.slice();
  new DataView(out.buffer).setUint32(at, v >>> 0, true);
  return out;
};

export const MUTATORS: Record<string, Mutator> = {
  truncate: (b, { rng }) => b.subarray(0, rng.chance(0.5) ? rng.int(Math.min(b.length, 64) + 1) : rng.int(b.length + 1)).slice(),
  bitflip: (b, { rng }) => {
    if (b.length === 0) return b;
    const out = b.slice();
    const n = 1 + rng.int(8);
    for (let i = 0; i < n; i++) out[rng.int(out.length)] ^= 1 << rng.int(8);
    return out;
  },
  byteSet: (b, { rng }) => {
    if (b.length === 0) return b;
    const out = b.slice();
    const n = 1 + rng.int(4);
    for (let i = 0; i < n; i++) out[rng.int(out.length)] = rng.pick([0, 0xff, 0x7f, 0x80, 0x0a, 0x20, 0x09, 0x0d, 0x2d, 0x2e, 0x30, 0x39]);
    return out;
  },
  hugeNumber: (b, { rng, kind }) => {
    if (kind === 'binary') {
      // Header words of the binary formats sit in the first 64 bytes, 4-byte aligned.
      const slots = Math.floor(Math.min(b.length, 64) / 4);
      if (slots === 0) return b;
      return u32At(b, rng.int(slots) * 4, rng.pick([0xffffffff, 0x7fffffff, 0x80000000, 0x10000, 0x100001, 0, 1, 0x40000000]));
    }
    const nums = tokens(b, /\d+/g);
    if (nums.length === 0) return b;
    // Header numbers come first: favour the first tokens.
    const t = rng.chance(0.6) ? nums[rng.int(Math.min(nums.length, 3))] : rng.pick(nums);
    return splice(b, t.start, t.end - t.start, utf8(rng.pick(HUGE_NUMBERS)));
  },
  nanInf: (b, { rng, kind }) => {
    if (kind === 'binary') {
      if (b.length < 4) return b;
      const bits = rng.pick([0x7fc00000, 0x7f800000, 0xff800000, 0xffffffff, 0x7f7fffff]);
      return u32At(b, rng.int(Math.floor(b.length / 4)) * 4, bits);
    }
    const nums = tokens(b, /[-+]?\d+(\.\d*)?([eE][-+]?\d+)?/g);
    if (nums.length === 0) return b;
    const t = rng.pick(nums);
    return splice(b, t.start, t.end - t.start, utf8(rng.pick(NAN_INF)));
  },
  invalidUtf8: (b, { rng }) => splice(b, rng.int(b.length + 1), rng.chance(0.3) ? 1 : 0, Uint8Array.from(rng.pick(INVALID_UTF8))),
  nulBytes: (b, { rng }) => splice(b, rng.int(b.length + 1), 0, new Uint8Array(1 + rng.int(64))),
  insertText: (b, { rng }) =>
    splice(
      b,
      rng.int(b.length + 1),
      0,
      utf8(rng.pick(['\n', '\r\n', ' ', '\t', '\n\n', ' 1', 'x ', '\r', '\u2028', ': s\n', '#', '__proto__ ', '"', '{', '}', '[]'])),
    ),
  deleteRange: (b, { rng }) => {
    const at = rng.int(b.length + 1);
    return splice(b, at, 1 + rng.int(Math.max(1, Math.min(256, b.length - at))), new Uint8Array(0));
  },
  duplicateRange: (b, { rng }) => {
    if (b.length === 0) return b;
    const from = rng.int(b.length);
    const len = 1 + rng.int(Math.min(512, b.length - from));
    return splice(b, rng.int(b.length + 1), 0, b.slice(from, from + len));
  },
  duplicateLine: (b, { rng }) => {
    const starts = lineStarts(b);
    const i = rng.int(starts.length);
    const end = i + 1 < starts.length ? starts[i + 1] : b.length;
    return splice(b, rng.pick(starts), 0, b.slice(starts[i], end));
  },
  splice: (b, { rng, seeds }) => {
    const other = rng.pick(seeds);
    return concat([b.subarray(0, rng.int(b.length + 1)), other.subarray(rng.int(other.length + 1))]);
  },
  hugeLine: (b, { rng, allowHuge }) => {
    if (!allowHuge) return b;
    const filler = utf8(rng.pick(FILLERS));
    const line = new Uint8Array(HUGE_LINE_BYTES);
    for (let i = 0; i < line.length; i += filler.length) line.set(filler.subarray(0, Math.min(filler.length, line.length - i)), i);
    const starts = lineStarts(b);
    return splice(b, rng.chance(0.5) ? rng.pick(starts) : rng.int(b.length + 1), 0, line);
  },
};

const ORDINARY = Object.keys(MUTATORS).filter((k) => k !== 'hugeLine');

const JSON_VALUES: unknown[] = [
  0,
  -1,
  1,
  1.5,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  1e9,
  1e308,
  -1e308,
  null,
  true,
  false,
  '',
  'x',
  '__proto__',
  'constructor',
  [],
  {},
  [1, 2],
  ['a', 'a'],
  { __proto__: null, polluted: 1 },
  'x'.repeat(10000),
  Array(1000).fill(1),
];

/** Every [container, key] in a parsed JSON value, depth first. */
function jsonSlots(v: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): typeof out {
  if (Array.isArray(v))
    v.forEach((x, i) => {
      out.push([v, i]);
      jsonSlots(x, out);
    });
  else if (v && typeof v === 'object')
    for (const k of Object.keys(v)) {
      out.push([v as Record<string, unknown>, k]);
      jsonSlots((v as Record<string, unknown>)[k], out);
    }
  return out;
}

/**
 * A structure-aware mutation for binary formats with a JSON header at byte 16 whose length is the
 * u32 at byte 12 and whose data starts at the next multiple of `align`: change, delete or duplicate one
 * JSON value (or add a "__proto__" key), then rebuild the file around the new header.
 */
/** Changes, deletes or duplicates one value of a JSON text, or adds a raw "__proto__" key; null if it is not JSON. */
function mutateJsonText(source: string, rng: Rng): string | null {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    return null;
  }
  const slots = jsonSlots(value);
  if (slots.length === 0 || rng.chance(0.1)) {
    // JSON.parse makes "__proto__" an own property; a careless merge (Object.assign, spread into a
    // prototype-bearing target) would pollute Object.prototype.
    const text = JSON.stringify(value);
    return text.startsWith('{') ? text.replace(/^\{/, text === '{}' ? '{"__proto__":{"polluted":1}' : '{"__proto__":{"polluted":1},') : text;
  }
  const [container, key] = rng.pick(slots);
  const r = rng.int(10);
  if (r < 6) (container as Record<string, unknown>)[key as string] = structuredClone(rng.pick(JSON_VALUES));
  else if (r < 8) {
    if (Array.isArray(container)) container.splice(key as number, 1);
    else delete container[key as string];
  } else if (Array.isArray(container)) container.splice(key as number, 0, structuredClone(container[key as number]));
  else (container as Record<string, unknown>)[key as string] = structuredClone([container[key as string], container[key as string]]);
  return JSON.stringify(value);
}

/** Structure-aware mutation of a whole-file JSON text. */
export const jsonMutator: Mutator = (b, { rng }) => {
  const text = mutateJsonText(new TextDecoder().decode(b), rng);
  return text === null ? b : utf8(text);
};

export function jsonHeaderMutator(align: number): Mutator {
  return (b, { rng }) => {
    if (b.length < 16) return b;
    const len = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(12, true);
    if (16 + len > b.length) return b;
    const text = mutateJsonText(new TextDecoder().decode(b.subarray(16, 16 + len)), rng);
    if (text === null) return b;
    const json = utf8(text);
    const oldStart = Math.ceil((16 + len) / align) * align;
    const newStart = Math.ceil((16 + json.length) / align) * align;
    const out = new Uint8Array(newStart + Math.max(0, b.length - oldStart));
    out.set(b.subarray(0, 16));
    new DataView(out.buffer).setUint32(12, json.length, true);
    out.set(json, 16);
    out.set(b.subarray(oldStart), newStart);
    return out;
  };
}

/** Applies 1-3 mutations (hugeLine only when the context allows it, then always once). */
export function mutate(seed: Uint8Array, c: MutationContext): { bytes: Uint8Array; applied: string[] } {
  let bytes = seed;
  const applied: string[] = [];
  const n = 1 + c.rng.int(3);
  const extra = c.extra ? Object.keys(c.extra) : [];
  for (let i = 0; i < n; i++) {
    // Structure-aware mutations (when the target has them) for half the steps: they get past the
    // outer checks (lengths, checksums) that plain bit flips rarely survive.
    if (extra.length && c.rng.chance(0.5)) {
      const name = c.rng.pick(extra);
      bytes = c.extra![name](bytes, c);
      applied.push(name);
      continue;
    }
    const name = c.rng.pick(ORDINARY);
    bytes = MUTATORS[name](bytes, c);
    applied.push(name);
  }
  if (c.fixup) bytes = c.fixup(bytes);
  if (c.allowHuge) {
    bytes = MUTATORS.hugeLine(bytes, c);
    applied.push('hugeLine');
  }
  return { bytes, applied };
}

// ---- allocation accounting ------------------------------------------------------------------------

const TYPED = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'ArrayBuffer',
  'SharedArrayBuffer',
] as const;

/**
 * While installed, every `new <TypedArray>(length)` / `new ArrayBuffer(bytes)` through the globals is
 * measured, so the largest single allocation of a case is known. (Engine-internal allocations, e.g.
 * TextDecoder output, are not seen; the readers' own buffers are.)
 */
export class AllocationMeter {
  largest = 0;
  private saved: [string, unknown][] = [];

  install(): void {
    if (this.saved.length) return;
    this.installMemory();
    const g = globalThis as unknown as Record<string, unknown>;
    for (const name of TYPED) {
      const original = g[name] as (new (...a: unknown[]) => unknown) & { BYTES_PER_ELEMENT?: number };
      if (typeof original !== 'function') continue;
      const per = original.BYTES_PER_ELEMENT ?? 1;
      this.saved.push([name, original]);
      g[name] = new Proxy(original, {
        construct: (target, args, newTarget) => {
          const a = args[0];
          if (typeof a === 'number') this.largest = Math.max(this.largest, a * per);
          else if (a && typeof a === 'object' && !(a instanceof ArrayBuffer) && typeof (a as ArrayLike<unknown>).length === 'number' && !ArrayBuffer.isView(a))
            this.largest = Math.max(this.largest, (a as ArrayLike<unknown>).length * per);
          return Reflect.construct(target, args, newTarget === g[name] ? target : newTarget);
        },
      });
    }
  }

  /** Also counts WebAssembly.Memory reservations (initial pages × 64 KiB), e.g. a model sized by its header. */
  private installMemory(): void {
    const wa = WebAssembly as unknown as Record<string, unknown>;
    const original = wa.Memory as new (d: WebAssembly.MemoryDescriptor) => WebAssembly.Memory;
    this.saved.push(['WebAssembly.Memory', original]);
    wa.Memory = new Proxy(original, {
      construct: (target, args, newTarget) => {
        const d = args[0] as WebAssembly.MemoryDescriptor | undefined;
        if (d && typeof d.initial === 'number') this.largest = Math.max(this.largest, d.initial * 65536);
        return Reflect.construct(target, args, newTarget === wa.Memory ? target : newTarget);
      },
    });
  }

  uninstall(): void {
    const g = globalThis as unknown as Record<string, unknown>;
    for (const [name, original] of this.saved) {
      if (name === 'WebAssembly.Memory') (WebAssembly as unknown as Record<string, unknown>).Memory = original;
      else g[name] = original;
    }
    this.saved = [];
  }
}

// ---- running cases -------------------------------------------------------------------------------

export interface FuzzTarget {
  name: string;
  kind: SeedKind;
  /** Valid inputs to mutate (built once). */
  seeds: () => Promise<Uint8Array[]> | Uint8Array[];
  /**
   * Reads `bytes`; returns normally (after checking its own invariants on the result: throw a plain
   * Error for a silent wrong answer) or throws. `rng` picks variants (source kind, chunking).
   */
  run: (bytes: Uint8Array, rng: Rng) => Promise<void>;
  /** Largest allowed single allocation for an input of n bytes (default 64 MiB + 8n). */
  allocationBound?: (n: number) => number;
  /** Structure-aware mutators of this format (used for about half the mutation steps). */
  mutators?: Record<string, Mutator>;
  /**
   * Post-mutation repair applied to a share of the cases (e.g. recomputing a checksum), so the parser
   * behind an integrity check is fuzzed too; the rest keep the check honest.
   */
  fixup?: { share: number; fn: (b: Uint8Array) => Uint8Array };
  /** Time limit for a case with a 10 MB line (ms; default FuzzOptions.hugeTimeLimitMs). */
  hugeTimeLimitMs?: number;
  /** Called once after a run (dispose shared resources). */
  cleanup?: () => Promise<void> | void;
}

export interface FuzzFailure {
  target: string;
  index: number;
  caseSeed: number;
  mutations: string[];
  inputBytes: number;
  problem: string;
}

export interface FuzzReport {
  target: string;
  cases: number;
  hugeCases: number;
  ok: number;
  errors: Partial<Record<ErrorCode, number>>;
  failures: FuzzFailure[];
  seconds: number;
  slowestMs: number;
  largestAllocation: number;
}

export interface FuzzOptions {
  cases: number;
  seed: number;
  /** How many cases (spread evenly) carry a 10 MB line. */
  hugeCases?: number;
  /** Per-case wall-clock limit for ordinary / 10 MB cases (ms). */
  timeLimitMs?: number;
  hugeTimeLimitMs?: number;
  /** Stop collecting after this many failures. */
  maxFailures?: number;
  /** Only this case index (reproduction). */
  only?: number;
}

function describeThrown(e: unknown): string {
  if (e instanceof Error) return `${e.constructor?.name ?? e.name}: ${e.message}\n${(e.stack ?? '').split('\n').slice(1, 5).join('\n')}`;
  return `non-Error thrown: ${String(e)}`;
}

/** Races `p` against a timer: a reader that waits forever (not a busy loop) is reported, not hung on. */
async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FuzzTimeout(ms)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

class FuzzTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/**
 * A reader stuck in a synchronous loop never yields, so no timer can report it. A watchdog thread
 * watches a heartbeat in shared memory; when one case runs longer than `limitMs`, it prints the case
 * (target, index, seed, mutations) and kills the process, so the hang is reported, not waited on.
 */
class Watchdog {
  private readonly state = new Int32Array(new SharedArrayBuffer(16));
  private readonly text = new Uint8Array(new SharedArrayBuffer(1024));
  private worker: import('node:worker_threads').Worker | null = null;

  async start(limitMs: number): Promise<void> {
    const { Worker } = await import('node:worker_threads');
    this.worker = new Worker(
      `
      const { workerData } = require('node:worker_threads');
      const fs = require('node:fs');
      const [state, text, limit] = [new Int32Array(workerData.state), new Uint8Array(workerData.text), workerData.limit];
      let seen = -1, since = Date.now();
      for (;;) {
        Atomics.wait(state, 3, 0, 500);
        if (Atomics.load(state, 3) === 1) break;
        const seq = Atomics.load(state, 0);
        if (seq !== seen) { seen = seq; since = Date.now(); continue; }
        if (Atomics.load(state, 1) === 1 && Date.now() - since > limit) {
          const n = text.indexOf(0);
          fs.writeSync(2, 'FUZZ HANG (a synchronous loop, ' + limit + ' ms without returning): ' + Buffer.from(text.subarray(0, n < 0 ? text.length : n)).toString() + '\\n');
          process.kill(process.pid, 'SIGKILL');
        }
      }`,
      { eval: true, workerData: { state: this.state.buffer, text: this.text.buffer, limit: limitMs } },
    );
    this.worker.unref();
  }

  enter(description: string): void {
    const bytes = new TextEncoder().encode(description.slice(0, 1000));
    this.text.fill(0);
    this.text.set(bytes.subarray(0, 1023));
    Atomics.add(this.state, 0, 1);
    Atomics.store(this.state, 1, 1);
  }

  leave(): void {
    Atomics.store(this.state, 1, 0);
    Atomics.add(this.state, 0, 1);
  }

  async stop(): Promise<void> {
    Atomics.store(this.state, 3, 1);
    Atomics.notify(this.state, 3);
    await this.worker?.terminate();
  }
}

export async function runFuzz(target: FuzzTarget, o: FuzzOptions): Promise<FuzzReport> {
  const seeds = await target.seeds();
  const hugeCases = Math.min(o.hugeCases ?? 0, o.cases);
  const hugeEvery = hugeCases > 0 ? Math.floor(o.cases / hugeCases) : Infinity;
  const timeLimit = o.timeLimitMs ?? 5000;
  const hugeLimit = target.hugeTimeLimitMs ?? o.hugeTimeLimitMs ?? 30000;
  const bound = target.allocationBound ?? ((n: number) => 64 * 1024 * 1024 + 8 * n);
  const report: FuzzReport = { target: target.name, cases: 0, hugeCases: 0, ok: 0, errors: {}, failures: [], seconds: 0, slowestMs: 0, largestAllocation: 0 };
  const meter = new AllocationMeter();
  const watchdog = new Watchdog();
  await watchdog.start(Math.max(timeLimit, hugeLimit) * 2);
  const started = performance.now();
  try {
    for (let i = 0; i < o.cases; i++) {
      if (o.only !== undefined && i !== o.only) continue;
      const cs = caseSeed(o.seed, target.name, i);
      const rng = new Rng(cs);
      const huge = Number.isFinite(hugeEvery) && i % hugeEvery === hugeEvery - 1 && report.hugeCases < hugeCases;
      // Case 0..seeds-1 are the valid seeds themselves: they must load.
      const { bytes, applied } =
        i < seeds.length
          ? { bytes: seeds[i], applied: ['none (valid seed)'] }
          : mutate(rng.pick(seeds), {
              rng,
              kind: target.kind,
              seeds,
              allowHuge: huge,
              extra: target.mutators,
              fixup: target.fixup && rng.chance(target.fixup.share) ? target.fixup.fn : undefined,
            });
      if (huge) report.hugeCases++;
      const fail = (problem: string) => {
        report.failures.push({ target: target.name, index: i, caseSeed: cs, mutations: applied, inputBytes: bytes.length, problem });
      };
      meter.largest = 0;
      meter.install();
      watchdog.enter(`${target.name} case ${i} (run seed ${o.seed}, case seed ${cs}, mutations ${applied.join('+')})`);
      const t0 = performance.now();
      let outcome: 'ok' | ErrorCode | null = null;
      try {
        await withTimeout(target.run(bytes, rng), huge ? hugeLimit : timeLimit);
        outcome = 'ok';
      } catch (e) {
        if (e instanceof FuzzTimeout) fail(`hang: ${e.message}`);
        else if (e instanceof Wasm2VecError && ERROR_CODES.includes(e.code)) {
          outcome = e.code;
          if (i < seeds.length) fail(`the valid seed was refused: ${e.code}: ${e.message}`);
        } else fail(`uncaught exception type: ${describeThrown(e)}`);
      } finally {
        meter.uninstall();
        watchdog.leave();
      }
      const ms = performance.now() - t0;
      if ((Object.prototype as Record<string, unknown>).polluted !== undefined) {
        delete (Object.prototype as Record<string, unknown>).polluted;
        fail('prototype pollution: Object.prototype.polluted was set');
      }
      report.cases++;
      report.slowestMs = Math.max(report.slowestMs, ms);
      report.largestAllocation = Math.max(report.largestAllocation, meter.largest);
      if (outcome === 'ok') report.ok++;
      else if (outcome) report.errors[outcome] = (report.errors[outcome] ?? 0) + 1;
      if (outcome && ms > (huge ? hugeLimit : timeLimit)) fail(`too slow: ${ms.toFixed(0)} ms`);
      if (meter.largest > bound(bytes.length)) {
        fail(`allocated ${meter.largest} bytes at once for a ${bytes.length}-byte input (bound ${bound(bytes.length)})`);
      }
      if (report.failures.length >= (o.maxFailures ?? 20)) break;
    }
  } finally {
    report.seconds = (performance.now() - started) / 1000;
    await watchdog.stop();
    await target.cleanup?.();
  }
  return report;
}

/** One line per target, for logs and the script's table. */
export function summarize(r: FuzzReport): string {
  const errs = Object.entries(r.errors)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return (
    `${r.target}: ${r.cases} cases (${r.hugeCases} with a 10 MB line) in ${r.seconds.toFixed(1)} s, ok ${r.ok}, errors {${errs}}, ` +
    `slowest ${r.slowestMs.toFixed(0)} ms, largest allocation ${(r.largestAllocation / 1048576).toFixed(1)} MiB, failures ${r.failures.length}`
  );
}

export function formatFailure(f: FuzzFailure): string {
  return `${f.target} case ${f.index} (case seed ${f.caseSeed}, ${f.inputBytes} bytes, mutations ${f.mutations.join('+')}): ${f.problem}`;
}
