import type { KernelPool } from '../../runtime/kernel-pool.js';
import { RECORD_BYTES } from './layout.js';
import { TempFile } from './cooccurrence-temp-file.js';

/**
 * Sorted runs of co-occurrence records spilled to one temp file when the in-memory tables are full,
 * and their k-way merge with duplicate cells summed: cooccur.c's overflow files and merge_files().
 * A record is u32 column, u32 row, f64 count (little endian), sorted by (row, column).
 */

const READ_RECORDS = 1 << 15;
const OUT_RECORDS = 1 << 16;

export interface Run {
  offset: number;
  records: number;
}

export class RunStore {
  readonly runs: Run[] = [];

  private constructor(private readonly file: TempFile) {}

  static async create(tempDir?: string): Promise<RunStore> {
    return new RunStore(await TempFile.create('GloVe co-occurrence spill', tempDir));
  }

  get records(): number {
    return this.runs.reduce((a, r) => a + r.records, 0);
  }

  get bytes(): number {
    return this.file.bytes;
  }

  private queue: Promise<unknown> = Promise.resolve();

  /**
   * Appends one sorted run: `blocks` yields [offset, bytes] ranges of kernel memory, each written
   * before the next is asked for. Runs from several threads are written one after another (each run
   * must stay contiguous in the file).
   */
  writeRun(pool: KernelPool, blocks: () => AsyncIterable<[offset: number, bytes: number]>): Promise<void> {
    const write = this.queue.then(async () => {
      const run: Run = { offset: this.file.bytes, records: 0 };
      for await (const [offset, bytes] of blocks()) {
        await this.file.appendFrom(pool, offset, bytes);
        run.records += bytes / RECORD_BYTES;
      }
      if (run.records > 0) this.runs.push(run);
    });
    this.queue = write.catch(() => undefined);
    return write;
  }

  /**
   * Merges all runs in (row, column) order, summing equal cells, and yields the result in blocks of
   * records. The block's buffer is reused: use it before asking for the next.
   */
  async *merge(): AsyncGenerator<Uint8Array> {
    const cursors = this.runs.map((run) => new RunCursor(this.file, run));
    await Promise.all(cursors.map((c) => c.fill()));
    // Binary min-heap of cursor indices by (row, column) of their current record.
    const heap: number[] = [];
    const less = (a: number, b: number) => {
      const ca = cursors[a],
        cb = cursors[b];
      return ca.row < cb.row || (ca.row === cb.row && ca.col < cb.col);
    };
    const siftDown = (i: number) => {
      for (;;) {
        const l = 2 * i + 1,
          r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l], heap[m])) m = l;
        if (r < heap.length && less(heap[r], heap[m])) m = r;
        if (m === i) return;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    };
    for (let c = 0; c < cursors.length; c++) if (!cursors[c].done) heap.push(c);
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(i);

    const out = new ArrayBuffer(OUT_RECORDS * RECORD_BYTES);
    const u32 = new Uint32Array(out);
    const f64 = new Float64Array(out);
    let n = 0;
    let row = -1,
      col = -1,
      sum = 0;
    while (heap.length > 0) {
      const c = cursors[heap[0]];
      if (c.row === row && c.col === col) sum += c.value;
      else {
        if (row >= 0) {
          u32[4 * n] = col;
          u32[4 * n + 1] = row;
          f64[2 * n + 1] = sum;
          if (++n === OUT_RECORDS) {
            yield new Uint8Array(out);
            n = 0;
          }
        }
        row = c.row;
        col = c.col;
        sum = c.value;
      }
      if (!c.advance()) await c.fill();
      if (c.done) {
        heap[0] = heap[heap.length - 1];
        heap.pop();
      }
      if (heap.length > 0) siftDown(0);
    }
    if (row >= 0) {
      u32[4 * n] = col;
      u32[4 * n + 1] = row;
      f64[2 * n + 1] = sum;
      n++;
    }
    if (n > 0) yield new Uint8Array(out, 0, n * RECORD_BYTES);
  }

  dispose(): Promise<void> {
    return this.file.dispose();
  }
}

/** Buffered reader over one run. */
class RunCursor {
  row = 0;
  col = 0;
  value = 0;
  done = false;
  private readonly buf = new ArrayBuffer(READ_RECORDS * RECORD_BYTES);
  private readonly bytes = new Uint8Array(this.buf);
  private readonly u32 = new Uint32Array(this.buf);
  private readonly f64 = new Float64Array(this.buf);
  private next = 0; // records of the run consumed into buffers so far
  private pos = 0;
  private len = 0;

  constructor(
    private readonly file: TempFile,
    private readonly run: Run,
  ) {}

  /** Loads the next block; sets done at the end of the run. */
  async fill(): Promise<void> {
    const left = this.run.records - this.next;
    if (left <= 0) {
      this.done = true;
      return;
    }
    const n = Math.min(READ_RECORDS, left);
    await this.file.readAt(this.bytes.subarray(0, n * RECORD_BYTES), this.run.offset + this.next * RECORD_BYTES);
    this.next += n;
    this.len = n;
    this.pos = 0;
    this.load();
  }

  private load(): void {
    const p = this.pos;
    this.col = this.u32[4 * p];
    this.row = this.u32[4 * p + 1];
    this.value = this.f64[2 * p + 1];
  }

  /** Moves to the next record in the buffer; false when the buffer is used up (call fill()). */
  advance(): boolean {
    if (++this.pos < this.len) {
      this.load();
      return true;
    }
    return false;
  }
}
