import { basename } from 'node:path';
import { UsageError, type CliCommand } from './args.js';
import { listFlag, loadVectorsArgument, vectorFlags } from './vectors-argument.js';

export const command: CliCommand = {
  summary: 'Evaluate vectors as gensim does: word-pair similarity (Spearman/Pearson) and analogies (3CosAdd).',
  usage: 'wasm2vec eval <vectors> [--pairs f1.txt,f2.txt] [--analogies questions-words.txt] [--restrict-vocab 30000] [--json]',
  flags: {
    pairs: { kind: 'string', describe: 'comma-separated word-pair files: word1<TAB>word2<TAB>score' },
    analogies: { kind: 'string', describe: 'an analogy file (": section" lines, then "a b c d")' },
    'restrict-vocab': { kind: 'int', describe: 'analogies: only the N most frequent words (30000)' },
    'case-sensitive': { kind: 'boolean', describe: 'compare words as written (default: case-insensitive, as gensim)' },
    threads: { kind: 'int', describe: 'worker threads for the analogy searches (all cores)' },
    json: { kind: 'boolean', describe: 'print one JSON object with all results' },
    ...vectorFlags,
  },
  async run(args, io) {
    const [path, ...rest] = args.positionals;
    if (!path || rest.length) throw new UsageError('expected exactly one vectors file');
    const pairs = listFlag(args.flags.pairs);
    const analogies = args.flags.analogies as string | undefined;
    if (!pairs.length && !analogies) throw new UsageError('give --pairs and/or --analogies');
    const caseInsensitive = !args.flags['case-sensitive'];
    const e = await loadVectorsArgument(path, args, io);
    try {
      const out: Record<string, unknown> = { vectors: path, words: e.size, dim: e.dim };
      if (!args.flags.json) io.out(`${path}: ${e.size} words × ${e.dim} dims\n`);
      const pairResults: Record<string, unknown>[] = [];
      for (const p of pairs) {
        const r = await e.evaluateWordPairs(p, { caseInsensitive });
        pairResults.push({ file: p, ...r });
        if (!args.flags.json) {
          io.out(
            `${basename(p)}: Spearman ${r.spearman.toFixed(4)}, Pearson ${r.pearson.toFixed(4)} on ${r.pairs} pairs (${r.oovRatio.toFixed(1)}% with unknown words)\n`,
          );
        }
      }
      if (pairs.length) out.pairs = pairResults;
      if (analogies) {
        const r = await e.evaluateAnalogies(analogies, {
          caseInsensitive,
          restrictVocab: args.flags['restrict-vocab'] as number | undefined,
          threads: args.flags.threads as number | undefined,
        });
        out.analogies = { file: analogies, ...r };
        if (!args.flags.json) {
          const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
          io.out(
            `${basename(analogies)}: accuracy ${pct(r.accuracy)} (semantic ${pct(r.semantic)}, syntactic ${pct(r.syntactic)}) ` +
              `on ${r.covered} of ${r.total} questions\n`,
          );
          for (const s of r.sections) if (s.total) io.out(`  ${s.name.padEnd(28)} ${pct(s.correct / s.total).padStart(6)}  (${s.correct}/${s.total})\n`);
        }
      }
      if (args.flags.json) io.out(JSON.stringify(out) + '\n');
    } finally {
      e.dispose();
    }
    return 0;
  },
};
