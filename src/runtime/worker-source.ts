/**
 * The body of every kernel worker, shipped as source text so no bundler or worker entry file is
 * needed (vite/vitest do not transform worker entries). It must stay self-contained: no imports,
 * no closure over module scope, so it calls exports by name; the host side types each call against
 * the module's generated export interface (KernelCall in kernel-pool.ts). Protocol (one message at a time):
 *   init  {module, memory | pages}   -> ready
 *   call  {seq, calls:[[fn, args]]}  -> result {seq, results}
 *   write {seq, offset, bytes}       -> result (for an unshared memory the worker owns)
 *   read  {seq, offset, length}      -> result {seq, bytes}
 */
function workerMain(listen: (fn: (msg: any) => void) => void, post: (msg: any, transfer?: any[]) => void): void {
  let exports: Record<string, any> | null = null;
  let memory: WebAssembly.Memory | null = null;
  listen(async (msg: any) => {
    const seq = msg.seq;
    try {
      if (msg.type === 'init') {
        // An unshared Memory cannot be posted, so in the fallback the worker creates (and owns) it.
        memory = msg.memory ?? new WebAssembly.Memory({ initial: msg.pages, maximum: msg.pages });
        const inst = await WebAssembly.instantiate(msg.module as WebAssembly.Module, { env: { memory: memory! } });
        exports = inst.exports as Record<string, any>;
        post({ type: 'ready', seq });
      } else if (msg.type === 'call') {
        const results: number[] = [];
        for (const [fn, args] of msg.calls) {
          const f = exports![fn];
          if (typeof f !== 'function') throw new Error(`kernel has no export ${fn}`);
          const r = f(...args);
          results.push(typeof r === 'bigint' ? Number(r) : r === undefined ? 0 : r);
        }
        post({ type: 'result', seq, results });
      } else if (msg.type === 'write') {
        new Uint8Array(memory!.buffer).set(msg.bytes, msg.offset);
        post({ type: 'result', seq, results: [] });
      } else if (msg.type === 'read') {
        const bytes = new Uint8Array(memory!.buffer).slice(msg.offset, msg.offset + msg.length);
        post({ type: 'result', seq, bytes }, [bytes.buffer]);
      } else if (msg.type === 'crash') {
        // Used by tests to prove that a failing worker rejects the training call instead of hanging.
        throw new Error('worker crash requested');
      }
    } catch (e: any) {
      post({ type: 'error', seq, message: String(e?.message ? e.message : e), stack: e?.stack });
    }
  });
}

/** Source for a Node `worker_threads` Worker created with `eval: true` (CommonJS scope). */
export const nodeWorkerSource =
  `const { parentPort } = require('node:worker_threads');\n(${workerMain.toString()})(` +
  `(fn) => parentPort.on('message', fn), (m, t) => parentPort.postMessage(m, t));`;

/** Source for a browser Web Worker created from a Blob URL. */
export const browserWorkerSource = `(${workerMain.toString()})((fn) => { self.onmessage = (e) => fn(e.data); }, (m, t) => self.postMessage(m, t));`;
