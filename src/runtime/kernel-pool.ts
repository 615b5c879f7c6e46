import { Wasm2VecError } from '../errors.js';
import { canShareMemory, isNode, importNode } from './capabilities.js';
import { kernelModule, type KernelModuleName } from './wasm-modules.js';
import { type MemoryLayout, BASE_OFFSET, formatBytes } from './memory-layout.js';
import { nodeWorkerSource, browserWorkerSource } from './worker-source.js';
import type { KernelExports } from './abi/kernel-exports.generated.js';

/**
 * One call of an export of kernel module M: its name and arguments, typed by the module's generated
 * export interface, so a wrong name or the wrong number or kind (number / bigint) of arguments does
 * not compile.
 */
export type KernelCall<M extends KernelModuleName = KernelModuleName> = {
  [F in keyof KernelExports[M] & string]: KernelExports[M][F] extends (...args: infer A) => unknown ? readonly [fn: F, ...args: A] : never;
}[keyof KernelExports[M] & string];

/** What a batch of calls resolves with: one number per call (i64 results as numbers, void as 0). */
export type KernelResults<C extends readonly unknown[]> = { -readonly [I in keyof C]: number };

interface Pending {
  resolve: (v: any) => void;
  reject: (e: Error) => void;
}

/** Workers started and not yet ended, over all pools (leak tests read it through KernelPool.liveWorkersForTest). */
let liveWorkers = 0;

/** One worker (Node worker_threads or Web Worker) holding one instance of a kernel module. */
class KernelWorker {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | null = null;
  private constructor(
    private readonly handle: any,
    private readonly node: boolean,
    private readonly onFail: (e: Error) => void,
  ) {}

  static async spawn(index: number, onFail: (e: Error) => void): Promise<KernelWorker> {
    if (isNode) {
      const wt = await importNode<typeof import('node:worker_threads')>('node:worker_threads');
      const w = new wt.Worker(nodeWorkerSource, { eval: true });
      const kw = new KernelWorker(w, true, onFail);
      liveWorkers++;
      w.once('exit', () => {
        liveWorkers--;
      });
      w.on('message', (m: any) => kw.receive(m));
      w.on('error', (e: Error) => kw.fail(new Wasm2VecError('WORKER_FAILED', `worker ${index} failed: ${e.message}`, { cause: e })));
      w.on('exit', (code: number) => kw.fail(new Wasm2VecError('WORKER_FAILED', `worker ${index} exited (code ${code})`)));
      w.unref();
      return kw;
    }
    const url = URL.createObjectURL(new Blob([browserWorkerSource], { type: 'text/javascript' }));
    const w = new Worker(url);
    URL.revokeObjectURL(url);
    const kw = new KernelWorker(w, false, onFail);
    liveWorkers++;
    w.onmessage = (e: MessageEvent) => kw.receive(e.data);
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      kw.fail(new Wasm2VecError('WORKER_FAILED', `worker ${index} failed: ${e.message}`));
    };
    return kw;
  }

  private receive(m: any): void {
    const p = this.pending.get(m.seq);
    if (!p) return;
    this.pending.delete(m.seq);
    if (this.pending.size === 0 && this.node) this.handle.unref();
    if (m.type === 'error') {
      const e = new Wasm2VecError('WORKER_FAILED', `kernel call failed in worker: ${m.message}`);
      this.fail(e);
      p.reject(e);
    } else p.resolve(m.bytes ?? m.results);
  }

  fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.onFail(e);
  }

  request(msg: any, transfer?: Transferable[]): Promise<any> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      if (this.node) this.handle.ref();
      this.handle.postMessage({ ...msg, seq }, transfer ?? []);
    });
  }

  terminate(): void {
    this.failure ??= new Wasm2VecError('WORKER_FAILED', 'worker pool was disposed');
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
    if (this.ended) return;
    this.ended = true;
    // Browsers fire no event when a worker is terminated: count it here (Node counts on 'exit').
    if (!this.node) liveWorkers--;
    void this.handle.terminate();
  }

  private ended = false;
}

export interface KernelPoolOptions {
  threads: number;
  /** Ask for an unshared memory even where shared memory exists (tests of the fallback path). */
  forceUnshared?: boolean;
  /** An existing shared memory sized for the layout, e.g. one a main-thread instance also uses (ignored when unshared). */
  memory?: WebAssembly.Memory;
}

/**
 * N workers with one instance each of a kernel module on ONE WebAssembly.Memory sized exactly to the
 * layout. With shared memory the host reads and writes the memory directly; without it (a page that is
 * not cross-origin isolated) a single worker owns an unshared memory and data moves by message.
 */
export class KernelPool<M extends KernelModuleName = KernelModuleName> {
  private disposed = false;
  private failure: Error | null = null;
  private constructor(
    readonly memory: WebAssembly.Memory | null,
    readonly shared: boolean,
    private readonly workers: KernelWorker[],
    readonly fallbackReason: string | null,
  ) {}

  static async create<M extends KernelModuleName>(name: M, layout: MemoryLayout, options: KernelPoolOptions): Promise<KernelPool<M>> {
    const shared = !options.forceUnshared && canShareMemory();
    const threads = shared ? options.threads : 1;
    const fallbackReason =
      shared || options.threads === 1
        ? null
        : 'SharedArrayBuffer is unavailable (the page is not cross-origin isolated: serve it with ' +
          'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), so training runs on 1 thread';
    const module = await kernelModule(name, shared);
    const pages = Math.max(1, layout.pages);
    let memory: WebAssembly.Memory | null = null;
    if (shared) {
      try {
        memory = options.memory ?? new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true } as WebAssembly.MemoryDescriptor);
      } catch (e) {
        throw new Wasm2VecError('MEMORY_LIMIT', `could not reserve ${formatBytes(layout.bytes)} of WebAssembly memory: ${(e as Error).message}`, { cause: e });
      }
    }
    const pool = new KernelPool<M>(memory, shared, [], fallbackReason);
    const onFail = (e: Error) => {
      pool.failure ??= e;
    };
    try {
      for (let t = 0; t < threads; t++) pool.workers.push(await KernelWorker.spawn(t, onFail));
      await Promise.all(pool.workers.map((w) => w.request({ type: 'init', module, memory, pages })));
      // Every module exports heapBase (assembly/lib/module-exports.ts); asked untyped, as M is generic here.
      const [heapBase] = (await pool.workers[0].request({ type: 'call', calls: [['heapBase', []]] })) as number[];
      if (heapBase > BASE_OFFSET) throw new Error(`kernel static area (${heapBase} bytes) overlaps the layout base ${BASE_OFFSET}`);
    } catch (e) {
      pool.dispose();
      throw e instanceof Wasm2VecError ? e : new Wasm2VecError('WORKER_FAILED', `could not start kernel workers: ${(e as Error).message}`, { cause: e });
    }
    KernelPool.createdForTest?.(pool, name);
    return pool;
  }

  get threads(): number {
    return this.workers.length;
  }

  private check(): void {
    if (this.disposed) throw new Wasm2VecError('WORKER_FAILED', 'this model was disposed');
    if (this.failure) throw this.failure;
  }

  /** Runs kernel exports in order on one worker (one message); resolves with their return values. */
  call<const C extends readonly KernelCall<M>[]>(worker: number, calls: C): Promise<KernelResults<C>> {
    this.check();
    return this.workers[worker].request({ type: 'call', calls: calls.map(([fn, ...args]) => [fn, args]) });
  }

  async write(offset: number, data: ArrayBufferView): Promise<void> {
    this.check();
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (this.memory) new Uint8Array(this.memory.buffer).set(bytes, offset);
    else await this.workers[0].request({ type: 'write', offset, bytes: bytes.slice() });
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    this.check();
    if (this.memory) return new Uint8Array(this.memory.buffer).slice(offset, offset + length);
    return this.workers[0].request({ type: 'read', offset, length });
  }

  /** Float32 copy of `count` floats at `offset`. */
  async readF32(offset: number, count: number): Promise<Float32Array> {
    const b = await this.read(offset, count * 4);
    return new Float32Array(b.buffer, b.byteOffset, count);
  }

  /** @internal Test hook: makes worker `index` throw, as a crashed worker would. */
  crashWorkerForTest(index: number): Promise<unknown> {
    return this.workers[index].request({ type: 'crash' });
  }

  /** @internal Test hook: terminates worker `index` abruptly, as the OS or a tab might. */
  terminateWorkerForTest(index: number): void {
    const w = this.workers[index];
    (w as any).handle.terminate();
    // A browser reports nothing for a terminated worker, so pending calls would wait forever: fail them now.
    w.fail(new Wasm2VecError('WORKER_FAILED', `worker ${index} was terminated`));
  }

  /**
   * @internal Test hook, not part of the API: called with every pool once its workers are ready, so a
   * test can reach the pool of a running training (e.g. to crash a worker mid-epoch).
   */
  static createdForTest: ((pool: KernelPool, module: KernelModuleName) => void) | null = null;

  /** @internal Test hook: workers started by any pool and not yet ended (Node: until their 'exit' event). */
  static get liveWorkersForTest(): number {
    return liveWorkers;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const w of this.workers) w.terminate();
  }
}
