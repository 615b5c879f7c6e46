import type { CorpusInput } from '../text/corpus.js';

/** A corpus given on the command line: a file path (plain or .gz), or `-` for standard input. */
export async function corpusArgument(arg: string): Promise<CorpusInput> {
  if (arg === '-') return process.stdin;
  return { path: arg };
}
