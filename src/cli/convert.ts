import { formatForPath } from '../vectors/save-vectors.js';
import { UsageError, type CliCommand } from './args.js';
import { formatFlag, loadVectorsArgument, vectorFlags } from './vectors-argument.js';

export const command: CliCommand = {
  summary: 'Convert vectors between word2vec text/binary, GloVe, fastText .vec and the compact wasm2vec format.',
  usage: 'wasm2vec convert <in> <out> [--format in-format] [--to out-format] [--limit N] [--no-header] [--float16]',
  flags: {
    to: { kind: 'string', describe: 'output format (from the extension: .bin, .vec, .w2v, else word2vec-text; .gz compresses)' },
    'no-header': { kind: 'boolean', describe: 'the input is word2vec text without its "words dims" line' },
    float16: { kind: 'boolean', describe: 'store half-precision weights (wasm2vec format only)' },
    ...vectorFlags,
  },
  async run(args, io) {
    if (args.positionals.length !== 2) throw new UsageError('expected an input and an output file');
    const [input, output] = args.positionals;
    const to = formatFlag(args.flags.to, 'to') ?? formatForPath(output);
    if (args.flags.float16 && to !== 'wasm2vec') throw new UsageError(`--float16 needs the wasm2vec output format, not ${to}`);
    const e = await loadVectorsArgument(input, args, io, { noHeader: args.flags['no-header'] as boolean | undefined });
    await e.save(output, { format: to, dtype: args.flags.float16 ? 'float16' : undefined });
    io.err(`wrote ${e.size} words × ${e.dim} dims to ${output} (${to})\n`);
    return 0;
  },
};
