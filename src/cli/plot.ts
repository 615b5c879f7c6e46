import { writeFile } from 'node:fs/promises';
import { scatterSvg } from '../vectors/svg-plot.js';
import { UsageError, type CliCommand } from './args.js';
import { listFlag, loadVectorsArgument, vectorFlags } from './vectors-argument.js';

export const command: CliCommand = {
  summary: 'Plot words in 2-D (PCA) as a labelled SVG scatter: the N most frequent words, or a given list.',
  usage: 'wasm2vec plot <vectors> -o plot.svg [--words N | --list w1,w2,…] [--normalize] [--title text]',
  flags: {
    output: { kind: 'string', alias: 'o', describe: 'SVG file to write (required)' },
    words: { kind: 'int', describe: 'plot the N most frequent words (100)' },
    list: { kind: 'string', describe: 'comma-separated words to plot instead' },
    normalize: { kind: 'boolean', describe: 'project unit-length vectors (cosine geometry)' },
    title: { kind: 'string', describe: 'plot title' },
    ...vectorFlags,
  },
  async run(args, io) {
    const [path, ...rest] = args.positionals;
    if (!path || rest.length) throw new UsageError('expected exactly one vectors file');
    const out = args.flags.output;
    if (typeof out !== 'string') throw new UsageError('-o <plot.svg> is required');
    const list = listFlag(args.flags.list);
    if (list.length && args.flags.words !== undefined) throw new UsageError('give --words or --list, not both');
    const e = await loadVectorsArgument(path, args, io);
    try {
      const p = e.pca({
        components: 2,
        words: list.length ? list : Math.min(e.size, (args.flags.words as number | undefined) ?? 100),
        normalize: Boolean(args.flags.normalize),
      });
      const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
      const svg = scatterSvg(p.points, p.words, {
        title: (args.flags.title as string | undefined) ?? `${p.words.length} words, PCA`,
        xLabel: `PC1 (${pct(p.explainedVarianceRatio[0])} of variance)`,
        yLabel: `PC2 (${pct(p.explainedVarianceRatio[1])})`,
      });
      await writeFile(out, svg);
      io.err(`wrote ${p.words.length} points to ${out}\n`);
    } finally {
      e.dispose();
    }
    return 0;
  },
};
