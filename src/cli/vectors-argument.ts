import { Embeddings } from '../vectors/embeddings.js';
import { VECTOR_FORMATS, type VectorFormat } from '../vectors/format-detect.js';
import { UsageError, type CliIO, type FlagSpecs, type ParsedArgs } from './args.js';

/** Flags every vectors-reading command shares. */
export const vectorFlags: FlagSpecs = {
  format: { kind: 'string', describe: `input format: ${VECTOR_FORMATS.join(', ')} (detected)` },
  limit: { kind: 'int', describe: 'read only the first N words' },
};

export function formatFlag(value: unknown, flag: string): VectorFormat | undefined {
  if (value === undefined) return undefined;
  if (!VECTOR_FORMATS.includes(value as VectorFormat))
    throw new UsageError(`--${flag}: expected one of ${VECTOR_FORMATS.join(', ')}, got ${JSON.stringify(value)}`);
  return value as VectorFormat;
}

/** Loads the vectors file named on the command line; loader warnings go to stderr. */
export async function loadVectorsArgument(path: string, { flags }: ParsedArgs, io: CliIO, extra: { noHeader?: boolean } = {}): Promise<Embeddings> {
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
