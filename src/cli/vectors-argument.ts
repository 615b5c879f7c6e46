import { FASTTEXT_MAGIC } from '../train/fasttext/args.js';
import { FastText } from '../train/fasttext/fasttext.js';
import { importNode } from '../runtime/capabilities.js';
import { Embeddings } from '../vectors/embeddings.js';
import { VECTOR_FORMATS, type VectorFormat } from '../vectors/format-detect.js';
import { UsageError, type CliIO, type FlagSpecs, type ParsedArgs } from './args.js';

/** Flags every vectors-reading command shares. */
export const vectorFlags: FlagSpecs = {
  format: { kind: 'string', describe: `input format: ${VECTOR_FORMATS.join(', ')} (detected; a fastText .bin/.ftz model is recognised too)` },
  limit: { kind: 'int', describe: 'read only the first N words' },
  dtype: { kind: 'string', describe: 'fastText .bin/.ftz: float16 holds its matrices in half precision (models beyond 4 GiB, e.g. cc.en.300.bin)' },
};

/** True when the file starts with fastText's magic number (a .bin/.ftz model, not word2vec's binary format). */
export async function isFastTextFile(path: string): Promise<boolean> {
  const fs = await importNode<typeof import('node:fs/promises')>('node:fs/promises');
  let handle: Awaited<ReturnType<typeof fs.open>>;
  try {
    handle = await fs.open(path, 'r');
  } catch {
    return false; // the loader reports the path
  }
  try {
    const head = new Uint8Array(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && new DataView(head.buffer).getInt32(0, true) === FASTTEXT_MAGIC;
  } finally {
    await handle.close();
  }
}

/** A fastText model named on the command line (its warnings to stderr); --dtype float16 halves its matrices. */
export async function loadFastTextArgument(path: string, { flags }: ParsedArgs, io: CliIO, options: { output?: boolean } = {}): Promise<FastText> {
  const dtype = flags.dtype;
  if (dtype !== undefined && dtype !== 'float32' && dtype !== 'float16')
    throw new UsageError(`--dtype: expected float32 or float16, got ${JSON.stringify(dtype)}`);
  return FastText.load(path, {
    dtype: dtype as 'float32' | 'float16' | undefined,
    output: options.output ?? false,
    onWarning: (w) => io.err(`warning: ${w}\n`),
  });
}

export function formatFlag(value: unknown, flag: string): VectorFormat | undefined {
  if (value === undefined) return undefined;
  if (!VECTOR_FORMATS.includes(value as VectorFormat))
    throw new UsageError(`--${flag}: expected one of ${VECTOR_FORMATS.join(', ')}, got ${JSON.stringify(value)}`);
  return value as VectorFormat;
}

/** Loads the vectors file named on the command line; loader warnings go to stderr. */
export async function loadVectorsArgument(path: string, args: ParsedArgs, io: CliIO, extra: { noHeader?: boolean } = {}): Promise<Embeddings> {
  const { flags } = args;
  // A fastText model gives subword vectors: OOV words get their n-gram vectors in every command.
  if (flags.format === undefined && (await isFastTextFile(path))) {
    if (flags.limit !== undefined) throw new UsageError('--limit: a fastText .bin/.ftz model loads whole (its n-gram rows serve every word)');
    return (await loadFastTextArgument(path, args, io)).embeddings;
  }
  if (flags.dtype !== undefined) throw new UsageError('--dtype: only for fastText .bin/.ftz models');
  return Embeddings.load(path, {
    format: formatFlag(flags.format, 'format'),
    limit: flags.limit as number | undefined,
    noHeader: extra.noHeader,
    onWarning: (w) => io.err(`warning: ${w}\n`),
  });
}

export function listFlag(value: unknown): string[] {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}
