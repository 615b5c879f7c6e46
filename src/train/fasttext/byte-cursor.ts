import { Wasm2VecError } from '../../errors.js';
import type { ByteStream } from '../../vectors/byte-source.js';

/** A BAD_FORMAT error naming the input, the byte offset and the field. */
export function badField(source: string, offset: number, field: string, problem: string): Wasm2VecError {
  return new Wasm2VecError('BAD_FORMAT', `${source}: byte ${offset}: ${field}: ${problem}`);
}

/**
 * Sequential little-endian reads over a ByteStream's chunks, for fastText's binary layout. Small fields
 * are read synchronously from the current buffer after `need(n)` made n bytes contiguous (so a
 * dictionary of millions of entries costs an await only at chunk boundaries); bulk data is copied
 * straight from the chunks into the caller's bytes. The stream's chunks may share one buffer, so a
 * leftover is copied before the next chunk is requested.
 */
export class ByteCursor {
  private buf: Uint8Array = new Uint8Array(0);
  private view = new DataView(this.buf.buffer);
  /** Index in buf of the next unread byte. */
  pos = 0;
  /** Absolute offset of buf[0]. */
  private base = 0;
  private ended = false;
  private readonly chunks: AsyncGenerator<Uint8Array>;
  readonly name: string;
  /** Bytes the source holds in total, when known before reading (paths, buffers, Blobs). */
  readonly size: number | undefined;

  constructor(private readonly stream: ByteStream) {
    this.chunks = stream.chunks();
    this.name = stream.name;
    this.size = stream.size;
  }

  /** Absolute offset of the next unread byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Unread bytes in the current buffer. */
  get available(): number {
    return this.buf.length - this.pos;
  }

  /** Bytes left in the source after the current offset, or undefined when its size is unknown. */
  get remaining(): number | undefined {
    return this.size === undefined ? undefined : this.size - this.offset;
  }

  /** The current buffer (valid until the next await on this cursor). */
  get bytes(): Uint8Array {
    return this.buf;
  }

  /** Appends the next chunk to the unread bytes; false at the end of the data. */
  async more(): Promise<boolean> {
    while (!this.ended) {
      const left = this.available;
      // A file's stream reads every chunk into one reused buffer: the unread bytes must be copied
      // out before the next chunk is requested, or it overwrites them.
      const kept = left > 0 ? this.buf.slice(this.pos) : null;
      const r = await this.chunks.next();
      if (r.done) {
        this.ended = true;
        if (kept) this.setKept(kept);
        break;
      }
      if (r.value.length === 0) {
        if (kept) this.setKept(kept);
        continue;
      }
      if (!kept) {
        this.base += this.buf.length;
        this.setBuffer(r.value);
      } else {
        const joined = new Uint8Array(left + r.value.length);
        joined.set(kept);
        joined.set(r.value, left);
        this.base += this.pos;
        this.setBuffer(joined);
      }
      return true;
    }
    return false;
  }

  /** Makes `n` bytes contiguous in the current buffer; BAD_FORMAT naming `field` when the data ends first. */
  async need(n: number, field: string): Promise<void> {
    while (this.available < n) {
      if (!(await this.more())) throw this.truncated(field, n - this.available);
    }
  }

  truncated(field: string, missing: number): Wasm2VecError {
    return badField(
      this.name,
      this.offset,
      field,
      `the file ends here, ${missing} byte${missing === 1 ? '' : 's'} short ` + '(truncated, or a count in the header is wrong)',
    );
  }

  /** True when the source has at least one more byte (reads ahead at most one chunk). */
  async hasMore(): Promise<boolean> {
    return this.available > 0 || (await this.more());
  }

  // Synchronous reads: the caller made the bytes available with need().
  uint8(): number {
    return this.buf[this.pos++];
  }

  int32(): number {
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** An int64 as a number; values outside ±2^53 come back as ±Infinity so a range check rejects them. */
  int64(): number {
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getInt32(this.pos + 4, true);
    this.pos += 8;
    if (hi > 0x1fffff || hi < -0x200000) return hi < 0 ? -Infinity : Infinity;
    return hi * 4294967296 + lo;
  }

  float64(): number {
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Copies the next dst.length bytes into dst, straight from the chunks. */
  async readInto(dst: Uint8Array, field: string, onCopied?: (filled: number) => void): Promise<void> {
    let filled = 0;
    while (filled < dst.length) {
      if (this.available === 0 && !(await this.more())) throw this.truncated(field, dst.length - filled);
      const take = Math.min(this.available, dst.length - filled);
      dst.set(this.buf.subarray(this.pos, this.pos + take), filled);
      this.pos += take;
      filled += take;
      onCopied?.(filled);
    }
  }

  /**
   * The next n bytes as copied pieces, for a source of unknown size: nothing of size n is allocated
   * until the data has actually arrived.
   */
  async collect(n: number, field: string): Promise<Uint8Array[]> {
    const pieces: Uint8Array[] = [];
    let got = 0;
    while (got < n) {
      if (this.available === 0 && !(await this.more())) throw this.truncated(field, n - got);
      const take = Math.min(this.available, n - got);
      pieces.push(this.buf.slice(this.pos, this.pos + take));
      this.pos += take;
      got += take;
    }
    return pieces;
  }

  /** Consumes n bytes without keeping them. */
  async skip(n: number, field: string): Promise<void> {
    let left = n;
    while (left > 0) {
      if (this.available === 0 && !(await this.more())) throw this.truncated(field, left);
      const take = Math.min(this.available, left);
      this.pos += take;
      left -= take;
    }
  }

  /** Stops reading the source (its file handle or network body is released). */
  async close(): Promise<void> {
    await this.chunks.return(undefined);
    await this.stream.close();
  }

  /** The unread bytes as the buffer again (the stream's own buffer may be overwritten by now). */
  private setKept(kept: Uint8Array): void {
    this.base += this.pos;
    this.setBuffer(kept);
  }

  private setBuffer(b: Uint8Array): void {
    this.buf = b;
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.pos = 0;
  }
}
