import { UsageError, type CliCommand } from './args.js';
import { loadVectorsArgument, vectorFlags } from './vectors-argument.js';

export const command: CliCommand = {
  summary: 'Solve "a is to b as c is to ?" (3CosAdd, or 3CosMul with --cosmul), excluding a, b and c.',
  usage: 'wasm2vec analogy <vectors> <a> <b> <c> [--top N] [--cosmul] [--restrict-vocab N] [--json]',
  flags: {
    top: { kind: 'int', alias: 'n', describe: 'answers to print (5)' },
    cosmul: { kind: 'boolean', describe: 'use 3CosMul (Levy & Goldberg) instead of 3CosAdd' },
    'restrict-vocab': { kind: 'int', describe: 'only the N most frequent words are candidates' },
    json: { kind: 'boolean', describe: 'print the answers as JSON' },
    ...vectorFlags,
  },
  async run(args, io) {
    if (args.positionals.length !== 4) throw new UsageError('expected a vectors file and three words a b c');
    const [path, a, b, c] = args.positionals;
    const e = await loadVectorsArgument(path, args, io);
    try {
      const query = {
        positive: [b, c],
        negative: [a],
        topN: (args.flags.top as number | undefined) ?? 5,
        restrictVocab: args.flags['restrict-vocab'] as number | undefined,
      };
      const answers = args.flags.cosmul ? e.mostSimilarCosmul(query) : e.mostSimilar(query);
      if (args.flags.json) io.out(JSON.stringify({ a, b, c, answers }) + '\n');
      else
        io.out(
          `${a} is to ${b} as ${c} is to …\n${answers.map((r, i) => `  ${String(i + 1).padStart(2)}. ${r.word.padEnd(20)} ${r.score.toFixed(4)}`).join('\n')}\n`,
        );
    } finally {
      e.dispose();
    }
    return 0;
  },
};
