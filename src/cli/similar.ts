import { UsageError, type CliCommand } from './args.js';
import { listFlag, loadVectorsArgument, vectorFlags } from './vectors-argument.js';

export const command: CliCommand = {
  summary: 'Print the nearest words (cosine) to each given word, or to a sum of words with --negative.',
  usage: 'wasm2vec similar <vectors> <word...> [--top N] [--negative w1,w2] [--restrict-vocab N] [--json]',
  flags: {
    top: { kind: 'int', alias: 'n', describe: 'neighbours per query (10)' },
    negative: { kind: 'string', describe: 'comma-separated words to subtract; the given words are then one query' },
    'restrict-vocab': { kind: 'int', describe: 'only the N most frequent words are candidates' },
    json: { kind: 'boolean', describe: 'one JSON line per query: {"query": …, "neighbours": [{word, score}]}' },
    ...vectorFlags,
  },
  async run(args, io) {
    const [path, ...words] = args.positionals;
    if (!path || words.length === 0) throw new UsageError('expected a vectors file and at least one word');
    const e = await loadVectorsArgument(path, args, io);
    try {
      const negative = listFlag(args.flags.negative);
      const queries = negative.length ? [{ positive: words, negative }] : words.map((w) => ({ positive: [w], negative: [] as string[] }));
      for (const q of queries) {
        const result = e.mostSimilar({
          ...q,
          topN: (args.flags.top as number | undefined) ?? 10,
          restrictVocab: args.flags['restrict-vocab'] as number | undefined,
        });
        const label = [...q.positive, ...q.negative.map((w) => `-${w}`)].join(' ');
        if (args.flags.json) io.out(JSON.stringify({ query: label, neighbours: result }) + '\n');
        else io.out(`${label}\n${result.map((r, i) => `  ${String(i + 1).padStart(2)}. ${r.word.padEnd(20)} ${r.score.toFixed(4)}`).join('\n')}\n`);
      }
    } finally {
      e.dispose();
    }
    return 0;
  },
};
