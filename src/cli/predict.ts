import { LinearClassifier } from '../classify/linear/linear-classifier.js';
import { readLabelledFile } from '../classify/linear/data-file.js';
import type { Label } from '../classify/linear/labels.js';
import { UsageError, type CliCommand } from './args.js';

export const command: CliCommand = {
  summary: 'Predict labels with a classifier saved by `wasm2vec supervised` (or test it: precision/recall at k).',
  usage:
    'wasm2vec predict <model> <input|-> [-k 1] [--threshold 0] [--prob] [--test]   (input: one text per line, ' +
    'fastText lines (labels are ignored unless --test), or a TSV with a text column)',
  flags: {
    k: { kind: 'int', alias: 'k', describe: 'labels per line, most probable first (1)' },
    threshold: { kind: 'number', describe: 'leave out labels below this probability (0)' },
    prob: { kind: 'boolean', describe: "print each label's probability after it (fastText predict-prob)" },
    test: { kind: 'boolean', describe: 'input is labelled: print N, P@k and R@k like `fasttext test`' },
    threads: { kind: 'int', describe: 'worker threads (all cores)' },
    json: { kind: 'boolean', describe: 'one JSON line per text ([{label, probability}]) or, with --test, one JSON summary' },
  },
  async run({ positionals, flags }, io) {
    if (positionals.length !== 2) throw new UsageError('expected <model> and <input> (a file, or - for stdin)');
    const [modelPath, inputPath] = positionals;
    const k = (flags.k as number | undefined) ?? 1;
    const threshold = flags.threshold as number | undefined;
    const clf = await LinearClassifier.load(modelPath, { threads: flags.threads as number | undefined });
    try {
      const data = await readLabelledFile(inputPath, Boolean(flags.test));
      if (flags.test) {
        const r = await clf.test(data.texts, data.labels as (Label | Label[])[], { k, threshold });
        if (flags.json) io.out(JSON.stringify(r) + '\n');
        else io.out(`N\t${r.examples}\nP@${k}\t${r.precision.toFixed(3)}\nR@${k}\t${r.recall.toFixed(3)}\n`);
        return 0;
      }
      const predictions = await clf.predict(data.texts, { k, threshold });
      const lines: string[] = [];
      for (const p of predictions) {
        if (flags.json) lines.push(JSON.stringify(p));
        else lines.push(p.map((x) => (flags.prob ? `${x.label} ${x.probability.toPrecision(5)}` : String(x.label))).join(' '));
      }
      io.out(lines.join('\n') + (lines.length ? '\n' : ''));
    } finally {
      clf.dispose();
    }
    return 0;
  },
};
