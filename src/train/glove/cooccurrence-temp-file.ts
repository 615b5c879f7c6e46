import { Wasm2VecError } from '../../errors.js';
import { importNode, isNode } from '../../runtime/capabilities.js';
import type { KernelPool } from '../../runtime/kernel-pool.js';

/**
 * A temporary binary file for GloVe's spilled co-occurrence runs and out-of-memory cell files
 * (cooccur.c's overflow_*.bin, shuffle.c's temp_shuffle_*.bin). Node only; deleted on dispose() or,
 * if the process exits first, by an exit hook.
 */

type FileHandle = import('node:fs/promises').FileHandle;

/** Bytes per file call when moving data between a file and kernel memory. */
const IO_STEP = 16 << 20;

const live = new Set<string>();
let hookInstalled = false;

export class TempFile {
  private size = 0;
  private disposed = false;

  private constructor(
    readonly path: string,
    private handle: FileHandle | null,
    private readonly unlink: (p: string) => Promise<void>,
  ) {}

  /** Creates an empty temp file in `dir` (default os.tmpdir()); `purpose` goes into error messages. */
  static async create(purpose: string, dir?: string): Promise<TempFile> {
    if (!isNode) throw new Wasm2VecError('UNSUPPORTED', `${purpose}: temporary files need Node.js`);
    const fs = await importNode<typeof import('node:fs')>('node:fs');
    const os = await importNode<typeof import('node:os')>('node:os');
    const path = await importNode<typeof import('node:path')>('node:path');
    const where = dir ?? os.tmpdir();
    const file = path.join(where, `wasm2vec-glove-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}.bin`);
    let handle: FileHandle;
    try {
      handle = await fs.promises.open(file, 'wx+');
    } catch (err) {
      throw new Wasm2VecError('IO', `${purpose}: cannot create a temporary file in "${where}": ${(err as Error).message}`, { cause: err });
    }
    if (!hookInstalled) {
      hookInstalled = true;
      process.on('exit', () => {
        for (const f of live) {
          try {
            fs.unlinkSync(f);
          } catch {
            /* already gone */
          }
        }
      });
    }
    live.add(file);
    return new TempFile(file, handle, (p) => fs.promises.unlink(p));
  }

  get bytes(): number {
    return this.size;
  }

  private open(): FileHandle {
    if (!this.handle) throw new Wasm2VecError('IO', `temporary file "${this.path}" was already deleted`);
    return this.handle;
  }

  /** Appends `data`; returns the offset it was written at. */
  async append(data: Uint8Array): Promise<number> {
    const at = this.size;
    const h = this.open();
    try {
      for (let off = 0; off < data.length; ) {
        const { bytesWritten } = await h.write(data, off, data.length - off, at + off);
        off += bytesWritten;
      }
    } catch (err) {
      throw new Wasm2VecError('IO', `cannot write the temporary file "${this.path}" (disk full?): ${(err as Error).message}`, { cause: err });
    }
    this.size += data.length;
    return at;
  }

  /** Fills `into` from `position`; throws if the file is shorter than that. */
  async readAt(into: Uint8Array, position: number): Promise<void> {
    const h = this.open();
    for (let got = 0; got < into.length; ) {
      const { bytesRead } = await h.read(into, got, into.length - got, position + got);
      if (bytesRead === 0) throw new Wasm2VecError('IO', `the temporary file "${this.path}" is shorter than expected (deleted or truncated?)`);
      got += bytesRead;
    }
  }

  /**
   * Appends `bytes` of kernel memory from `offset`. With shared memory the file is written straight
   * from the memory (no JavaScript copy); otherwise through bounded pool.read copies.
   */
  async appendFrom(pool: KernelPool, offset: number, bytes: number): Promise<void> {
    for (let done = 0; done < bytes; done += IO_STEP) {
      const n = Math.min(IO_STEP, bytes - done);
      await this.append(pool.memory ? new Uint8Array(pool.memory.buffer, offset + done, n) : await pool.read(offset + done, n));
    }
  }

  /** Reads `bytes` from file `position` into kernel memory at `offset` (directly when shared). */
  async readInto(pool: KernelPool, position: number, offset: number, bytes: number): Promise<void> {
    let scratch: Uint8Array | null = null;
    for (let done = 0; done < bytes; done += IO_STEP) {
      const n = Math.min(IO_STEP, bytes - done);
      if (pool.memory) await this.readAt(new Uint8Array(pool.memory.buffer, offset + done, n), position + done);
      else {
        scratch ??= new Uint8Array(Math.min(IO_STEP, bytes));
        const view = scratch.subarray(0, n);
        await this.readAt(view, position + done);
        await pool.write(offset + done, view);
      }
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const h = this.handle;
    this.handle = null;
    try {
      await h?.close();
    } catch {
      /* the unlink below is what matters */
    }
    try {
      await this.unlink(this.path);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ENOENT') {
        throw new Wasm2VecError('IO', `cannot delete the temporary file "${this.path}": ${(err as Error).message}`, { cause: err });
      }
    } finally {
      live.delete(this.path);
    }
  }
}
