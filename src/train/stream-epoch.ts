import type { IdStream } from '../text/id-stream.js';

/**
 * One epoch over a scanned corpus's id stream, for the trainers that learn from running text
 * (Word2Vec now; FastText and Doc2Vec share it): chunks of whole sentences go to the workers in
 * stream order, each worker trains its chunk in slices sized to take about SLICE_MS, and the abort
 * signal is checked between slices. A slice's learning rate follows from its position in the stream
 * (words before it), never from timing, so one thread is deterministic and slicing changes nothing.
 */

/** Target duration of one kernel call: the abort signal is checked between calls. */
const SLICE_MS = 20;
const FIRST_SLICE = 2048;
const MIN_SLICE = 256;

/** What a kernel reports for one slice. */
export interface SliceResult {
  /** Tokens kept after subsampling. */
  kept: number;
  /** Sum of the slice's loss terms (f64). */
  loss: number;
  /** Number of loss terms (pairs or windows). */
  pairs: number;
}

export interface StreamEpochWorker {
  /** Copies chunk `ids` into worker `t`'s input buffer. */
  load(t: number, ids: Int32Array): Promise<void>;
  /** Trains entries [from, to) of worker `t`'s loaded chunk; `before` = stream words before the slice. */
  train(t: number, from: number, to: number, before: number): Promise<SliceResult>;
}

export interface StreamEpochTotals {
  kept: number;
  loss: number;
  pairs: number;
  words: number;
  aborted: boolean;
}

export class StreamEpochs {
  private readonly sliceTokens: number[];

  /**
   * @param chunkTokens the stream's chunk size (slices never exceed it)
   * @param onSlice called after every slice with the words it trained and the stream position after it
   */
  constructor(
    private readonly stream: IdStream,
    private readonly threads: number,
    private readonly chunkTokens: number,
    private readonly worker: StreamEpochWorker,
    private readonly signal: AbortSignal | undefined,
    private readonly onSlice: (words: number, positionAfter: number, totals: StreamEpochTotals) => void,
  ) {
    this.sliceTokens = new Array<number>(threads).fill(FIRST_SLICE);
  }

  /** Trains epoch `epochIndex` (0-based); resolves with its totals (aborted: cut short by the signal). */
  async run(epochIndex: number): Promise<StreamEpochTotals> {
    const totals: StreamEpochTotals = { kept: 0, loss: 0, pairs: 0, words: 0, aborted: false };
    const chunks = this.stream.chunks()[Symbol.asyncIterator]();
    let position = epochIndex * this.stream.tokens;
    let pulling: Promise<unknown> = Promise.resolve();
    // Serialised pulls keep chunk order (and so learning rate and RNG use) deterministic for a given thread count.
    const next = (): Promise<{ ids: Int32Array; before: number } | null> => {
      const p = pulling.then(async () => {
        if (this.signal?.aborted) {
          totals.aborted = true;
          return null;
        }
        const r = await chunks.next();
        if (r.done) return null;
        const before = position;
        position += countWords(r.value, 0, r.value.length);
        return { ids: r.value, before };
      });
      pulling = p.catch(() => undefined);
      return p;
    };
    const loop = async (t: number) => {
      for (let c = await next(); c; c = await next()) {
        await this.worker.load(t, c.ids);
        let before = c.before;
        for (let from = 0; from < c.ids.length; ) {
          if (this.signal?.aborted) {
            totals.aborted = true;
            return;
          }
          const to = sliceEnd(c.ids, from, this.sliceTokens[t]);
          const words = countWords(c.ids, from, to);
          const t0 = performance.now();
          const r = await this.worker.train(t, from, to, before);
          const ms = performance.now() - t0;
          this.sliceTokens[t] = Math.max(MIN_SLICE, Math.min(this.chunkTokens, Math.round(((to - from) / Math.max(ms, 0.5)) * SLICE_MS)));
          totals.kept += r.kept;
          totals.loss += r.loss;
          totals.pairs += r.pairs;
          totals.words += words;
          before += words;
          from = to;
          this.onSlice(words, before, totals);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: this.threads }, (_, t) => loop(t)));
    } finally {
      // An abort (or a failed worker) leaves the epoch's iterator open: close it so a spilled corpus releases its file.
      await chunks.return?.();
    }
    return totals;
  }
}

function countWords(ids: Int32Array, from: number, to: number): number {
  let words = 0;
  for (let i = from; i < to; i++) if (ids[i] >= 0) words++;
  return words;
}

/** End of a slice of about `target` entries from `from`, just after a sentence separator (or the chunk's end). */
function sliceEnd(ids: Int32Array, from: number, target: number): number {
  if (from + target >= ids.length) return ids.length;
  const at = ids.indexOf(-1, from + target - 1);
  return at < 0 ? ids.length : at + 1;
}
