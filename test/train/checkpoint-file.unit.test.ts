import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Wasm2VecError } from '../../src/errors.js';
import {
  checkpointTargetOption,
  decodeCheckpointFile,
  encodeCheckpointFile,
  finiteFloats,
  readCheckpointSource,
  resumeOption,
  storeCheckpoint,
  type OutSection,
} from '../../src/train/checkpoint-file.js';

const kind = { magic: [0x89, 0x54, 0x53, 0x54, 0x0d, 0x0a, 0x1a, 0x0a], version: 3, what: 'Test checkpoint' } as const;
const dir = mkdtempSync(join(tmpdir(), 'w2v-ckfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c.slice());
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
const encode = (header: Record<string, unknown>, sections: OutSection[]) => collect(encodeCheckpointFile(kind, header, sections));
const reader = (data: Uint8Array, calls: [number, number][] = []): OutSection & { read: unknown } => ({
  name: 'matrix',
  bytes: data.length,
  read: async (offset, bytes) => {
    calls.push([offset, bytes]);
    return data.slice(offset, offset + bytes);
  },
});
/** FNV-1a over little-endian u32 words, written out independently of the module. */
function fnv(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i + 4 <= b.length; i += 4) h = Math.imul(h ^ (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)), 0x01000193) >>> 0;
  return h;
}
function failure(f: () => unknown): Wasm2VecError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(Wasm2VecError);
    return e as Wasm2VecError;
  }
  throw new Error('did not fail');
}
const decode = (b: Uint8Array, known = ['a', 'b', 'matrix']) => decodeCheckpointFile(kind, b, 'ck.bin', known);

describe('checkpoint container: layout', () => {
  it('magic, version, header length, JSON header with the section list, 8-byte padding, checksum (byte for byte)', async () => {
    const file = await encode({ epoch: 2 }, [
      { name: 'a', data: Uint8Array.of(1, 2, 3) },
      { name: 'b', data: new Uint8Array(0) },
    ]);
    const json = '{"epoch":2,"sections":[{"name":"a","bytes":3},{"name":"b","bytes":0}]}';
    const headerEnd = 16 + json.length;
    const aAt = Math.ceil(headerEnd / 8) * 8;
    expect(file.length).toBe(aAt + 8 + 4);
    expect([...file.subarray(0, 8)]).toEqual(kind.magic);
    const view = new DataView(file.buffer);
    expect(view.getUint32(8, true)).toBe(3);
    expect(view.getUint32(12, true)).toBe(json.length);
    expect(new TextDecoder().decode(file.subarray(16, headerEnd))).toBe(json);
    expect([...file.subarray(headerEnd, aAt)].every((b) => b === 0)).toBe(true);
    expect([...file.subarray(aAt, aAt + 8)]).toEqual([1, 2, 3, 0, 0, 0, 0, 0]);
    expect(view.getUint32(file.length - 4, true)).toBe(fnv(file.subarray(0, file.length - 4)));
  });
  it('round trip: header, bytes sections and read sections of any length (not only multiples of 4)', async () => {
    for (const n of [0, 1, 3, 4, 5, 7, 8, 9, 1023]) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);
      const file = await encode({ n, nested: { x: [1, 'two'] } }, [{ name: 'a', data: data.slice(0, n >> 1) }, reader(data)]);
      const d = decode(file);
      expect(d.header).toEqual({
        n,
        nested: { x: [1, 'two'] },
        sections: [
          { name: 'a', bytes: n >> 1 },
          { name: 'matrix', bytes: n },
        ],
      });
      expect([...d.sections.get('a')!]).toEqual([...data.slice(0, n >> 1)]);
      expect([...d.sections.get('matrix')!]).toEqual([...data]);
      expect(d.sections.get('matrix')!.buffer).toBe(file.buffer); // views, not copies
    }
  });
  it('a read section is copied 16 MiB at a time', async () => {
    const calls: [number, number][] = [];
    const data = new Uint8Array((1 << 24) + 12);
    data[1 << 24] = 7;
    const file = await encode({}, [reader(data, calls)]);
    expect(calls).toEqual([
      [0, 1 << 24],
      [1 << 24, 12],
    ]);
    expect(decode(file).sections.get('matrix')![1 << 24]).toBe(7);
  });
  it('decodes from a misaligned view (byteOffset not a multiple of 4)', async () => {
    const file = await encode({ k: 1 }, [{ name: 'a', data: Uint8Array.of(9, 8, 7, 6, 5) }]);
    const shifted = new Uint8Array(file.length + 1);
    shifted.set(file, 1);
    expect([...decode(shifted.subarray(1)).sections.get('a')!]).toEqual([9, 8, 7, 6, 5]);
  });
});

describe('checkpoint container: every corruption is a clear error naming the file', () => {
  it('every single-bit flip of a valid file is refused (FNV-1a over words detects any one-word change)', async () => {
    const file = await encode({ epoch: 1, words: ['a', 'b'] }, [
      { name: 'a', data: Uint8Array.of(1, 2, 3, 4, 5) },
      { name: 'b', data: Uint8Array.of(6) },
    ]);
    for (let i = 0; i < file.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const bad = file.slice();
        bad[i] ^= 1 << bit;
        const e = failure(() => decode(bad));
        expect(e.code === 'BAD_FORMAT' || (e.code === 'UNSUPPORTED' && i >= 8 && i < 12), `byte ${i} bit ${bit}: ${e.code} ${e.message}`).toBe(true);
        expect(e.message).toContain('Test checkpoint ck.bin');
      }
    }
  });
  it('truncated anywhere, or with bytes appended', async () => {
    const file = await encode({ e: 1 }, [{ name: 'a', data: new Uint8Array(20) }]);
    for (let cut = 0; cut < file.length; cut++) expect(failure(() => decode(file.subarray(0, cut))).code).toBe('BAD_FORMAT');
    expect(failure(() => decode(Uint8Array.from([...file, 0, 0, 0, 0]))).message).toMatch(/4 bytes between the last section and the checksum/);
  });
  it('names the problem: magic, version, header, section list, sizes, padding, checksum', async () => {
    // Rebuilds a file around a given header and body with a correct checksum, so each check is reached.
    const build = (json: string, body: Uint8Array = new Uint8Array(0), version = 3) => {
      const h = new TextEncoder().encode(json);
      const start = 16 + h.length + ((8 - ((16 + h.length) % 8)) % 8);
      const out = new Uint8Array(start + body.length + 4);
      out.set(kind.magic);
      const v = new DataView(out.buffer);
      v.setUint32(8, version, true);
      v.setUint32(12, h.length, true);
      out.set(h, 16);
      out.set(body, start);
      v.setUint32(out.length - 4, fnv(out.subarray(0, out.length - 4)), true);
      return out;
    };
    expect(decode(build('{"sections":[]}')).sections.size).toBe(0);
    expect(failure(() => decode(Uint8Array.from([0x88, ...build('{"sections":[]}').subarray(1)]))).message).toBe(
      'Test checkpoint ck.bin: not a Test checkpoint file (bad magic bytes)',
    );
    expect(failure(() => decode(build('{"sections":[]}', undefined, 4)))).toMatchObject({
      code: 'UNSUPPORTED',
      message: 'Test checkpoint ck.bin: format version 4; this wasm2vec reads version 3',
    });
    expect(failure(() => decode(build('{"sections":'))).message).toMatch(/unreadable header \(/);
    expect(failure(() => decode(build('[1]'))).message).toMatch(/the header is \[object Array\], expected an object/);
    expect(failure(() => decode(build('null'))).message).toMatch(/the header is null, expected an object/);
    expect(failure(() => decode(build('{"epoch":1}'))).message).toMatch(/no section list/);
    const section = (s: string, body = new Uint8Array(8)) => failure(() => decode(build(`{"sections":[${s}]}`, body))).message;
    expect(section('{"name":"zzz","bytes":8}')).toMatch(/section \{"name":"zzz","bytes":8\} is unknown, repeated or has no size/);
    expect(section('{"name":"a","bytes":4},{"name":"a","bytes":4}', new Uint8Array(16))).toMatch(/section \{"name":"a","bytes":4\} is unknown, repeated/);
    expect(section('{"name":"a","bytes":-8}')).toMatch(/is unknown, repeated or has no size/);
    expect(section('{"name":"a","bytes":2.5}')).toMatch(/is unknown, repeated or has no size/);
    expect(section('{"name":"a"}')).toMatch(/is unknown, repeated or has no size/);
    expect(section('null')).toMatch(/section null is unknown/);
    expect(section('{"name":"a","bytes":16}')).toMatch(/truncated: section a needs 16 bytes at byte 56, the file has 68/);
    expect(section('{"name":"a","bytes":5}', Uint8Array.of(1, 2, 3, 4, 5, 0, 9, 0))).toMatch(/nonzero padding at byte 62/);
    expect(section('{"name":"a","bytes":0}')).toMatch(/8 bytes between the last section and the checksum/);
    const headerTooLong = build('{"sections":[]}');
    new DataView(headerTooLong.buffer).setUint32(12, 1000, true);
    expect(failure(() => decode(headerTooLong)).message).toMatch(/truncated: the header needs 1000 bytes, the file has 16/);
    const sum = build('{"sections":[]}');
    sum[sum.length - 1] ^= 0x80;
    expect(failure(() => decode(sum)).message).toMatch(/checksum mismatch \(stored [0-9a-f]+, computed [0-9a-f]+\): the file is corrupt/);
  });
});

describe('finiteFloats', () => {
  it('a view when aligned, a copy when not; refuses partial floats and NaN/Infinity naming the section and index', () => {
    const f = Float32Array.of(1.5, -2, 3e-38);
    const b = new Uint8Array(f.buffer);
    const view = finiteFloats(kind, 'ck.bin', 'syn0', b);
    expect(view.buffer).toBe(f.buffer);
    expect([...view]).toEqual([...f]);
    const shifted = new Uint8Array(13);
    shifted.set(b, 1);
    const copy = finiteFloats(kind, 'ck.bin', 'syn0', shifted.subarray(1));
    expect(copy.buffer).not.toBe(shifted.buffer);
    expect([...copy]).toEqual([...f]);
    // A Node Buffer's slice() is a view of the whole file: the misaligned copy must not read from its start.
    const file = Buffer.alloc(21);
    file.set(b, 9);
    const fromBuffer = finiteFloats(kind, 'ck.bin', 'syn0', file.subarray(9, 21));
    expect(fromBuffer.length).toBe(3);
    expect([...fromBuffer]).toEqual([...f]);
    expect(failure(() => finiteFloats(kind, 'ck.bin', 'syn0', b.subarray(0, 11))).message).toBe(
      'Test checkpoint ck.bin: section syn0 holds 11 bytes, not whole float32 values',
    );
    expect(failure(() => finiteFloats(kind, 'ck.bin', 'syn0', new Uint8Array(Float32Array.of(0, 0, NaN).buffer))).message).toBe(
      'Test checkpoint ck.bin: syn0: value 2 is NaN',
    );
    expect(failure(() => finiteFloats(kind, 'ck.bin', 'syn1', new Uint8Array(Float32Array.of(-Infinity).buffer))).message).toBe(
      'Test checkpoint ck.bin: syn1: value 0 is -Infinity',
    );
  });
});

describe('checkpoint options and sources', () => {
  it('checkpoint: a function or a non-empty path; resumeFrom: bytes, ArrayBuffer or a non-empty path', () => {
    const fn = () => {};
    expect(checkpointTargetOption(undefined)).toBeUndefined();
    expect(checkpointTargetOption(fn)).toBe(fn);
    expect(checkpointTargetOption('ck.bin')).toBe('ck.bin');
    for (const bad of ['', 5, null, {}]) {
      expect(failure(() => checkpointTargetOption(bad))).toMatchObject({
        code: 'INVALID_OPTION',
        message: expect.stringMatching(/^option checkpoint: got .*, expected a function receiving \{ epoch, bytes \} or a file path$/),
      });
    }
    const bytes = new Uint8Array(4);
    expect(resumeOption(bytes)).toBe(bytes);
    expect(resumeOption(bytes.buffer)).toBe(bytes.buffer);
    expect(resumeOption('x')).toBe('x');
    expect(resumeOption(undefined)).toBeUndefined();
    for (const bad of ['', 42, [1, 2], new Float32Array(1).buffer.constructor]) {
      expect(failure(() => resumeOption(bad)).message).toMatch(
        /^option resumeFrom: got .*, expected a checkpoint's bytes \(Uint8Array or ArrayBuffer\) or a file path$/,
      );
    }
  });
  it('readCheckpointSource: bytes as they are, a path read (IO error naming it), anything else INVALID_OPTION', async () => {
    const bytes = Uint8Array.of(1, 2, 3);
    expect(await readCheckpointSource(bytes)).toEqual({ bytes, name: '(bytes)' });
    expect([...(await readCheckpointSource(bytes.buffer)).bytes]).toEqual([1, 2, 3]);
    const path = join(dir, 'src.bin');
    writeFileSync(path, bytes);
    expect(await readCheckpointSource(path)).toEqual({ bytes, name: `"${path}"` });
    await expect(readCheckpointSource(join(dir, 'missing.bin'))).rejects.toMatchObject({
      code: 'IO',
      message: expect.stringContaining(`cannot read checkpoint "${join(dir, 'missing.bin')}"`),
    });
    await expect(readCheckpointSource('')).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(readCheckpointSource(7)).rejects.toThrow(/option resumeFrom: got 7/);
  });
});

describe('storeCheckpoint', () => {
  async function* chunks(parts: Uint8Array[], failAfter = Infinity): AsyncGenerator<Uint8Array> {
    let i = 0;
    for (const p of parts) {
      if (i++ === failAfter) throw new Wasm2VecError('ABORTED', 'stopped mid-write');
      yield p;
    }
  }
  it('a callback receives the epoch and the whole file in one array', async () => {
    const seen: { epoch: number; bytes: number[] }[] = [];
    await storeCheckpoint(
      kind,
      ({ epoch, bytes }) => {
        seen.push({ epoch, bytes: [...bytes] });
      },
      4,
      chunks([Uint8Array.of(1, 2), Uint8Array.of(3)]),
    );
    expect(seen).toEqual([{ epoch: 4, bytes: [1, 2, 3] }]);
  });
  it('a path is replaced atomically; a failure leaves the previous checkpoint and no .partial file', async () => {
    const path = join(dir, 'store.ck');
    await storeCheckpoint(kind, path, 1, chunks([Uint8Array.of(1), Uint8Array.of(2)]));
    expect([...readFileSync(path)]).toEqual([1, 2]);
    await expect(storeCheckpoint(kind, path, 2, chunks([Uint8Array.of(7), Uint8Array.of(8)], 1))).rejects.toMatchObject({ code: 'ABORTED' });
    expect([...readFileSync(path)]).toEqual([1, 2]);
    expect(existsSync(`${path}.partial`)).toBe(false);
    const nowhere = join(dir, 'no-such-dir', 'x.ck');
    await expect(storeCheckpoint(kind, nowhere, 3, chunks([Uint8Array.of(1)]))).rejects.toMatchObject({
      code: 'IO',
      message: expect.stringMatching(/^cannot write the Test checkpoint ".*x\.ck" after epoch 3: .*; the previous checkpoint \(if any\) is unchanged$/),
    });
  });
});
