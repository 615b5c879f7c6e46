import { describe, expect, it } from 'vitest';
import { ByteStream } from '../../../src/vectors/byte-source.js';
import { ByteCursor } from '../../../src/train/fasttext/byte-cursor.js';

/** A source that reads every chunk into one reused buffer, as a file's ByteStream does. */
function reusingStream(data: Uint8Array, chunk: number): ByteStream {
  const buffer = new Uint8Array(chunk);
  async function* read(): AsyncGenerator<Uint8Array> {
    for (let o = 0; o < data.length; o += chunk) {
      const n = Math.min(chunk, data.length - o);
      buffer.set(data.subarray(o, o + n));
      yield buffer.subarray(0, n);
    }
  }
  return ByteStream.fromIterator('reused', data.length, read());
}

describe('ByteCursor over a stream that reuses its read buffer', () => {
  it('keeps unread bytes across chunks after a chunk was consumed exactly (they were overwritten by the next read)', async () => {
    const data = Uint8Array.from({ length: 64 }, (_, i) => i);
    const cur = new ByteCursor(reusingStream(data, 8));
    const seen: number[] = [];
    // Consume the first chunk exactly, so the cursor's buffer becomes the stream's own for the second.
    await cur.need(8, 'a');
    for (let i = 0; i < 8; i++) seen.push(cur.uint8());
    // Six bytes of the second chunk, then a field cut by the chunk end.
    await cur.need(6, 'b');
    for (let i = 0; i < 6; i++) seen.push(cur.uint8());
    await cur.need(4, 'c');
    for (let i = 0; i < 4; i++) seen.push(cur.uint8());
    await cur.need(12, 'd');
    for (let i = 0; i < 12; i++) seen.push(cur.uint8());
    expect(seen).toEqual(Array.from(data.subarray(0, 30)));
    expect(cur.offset).toBe(30);
    const rest = new Uint8Array(34);
    await cur.readInto(rest, 'rest');
    expect(Array.from(rest)).toEqual(Array.from(data.subarray(30)));
    expect(await cur.hasMore()).toBe(false);
  });
});
