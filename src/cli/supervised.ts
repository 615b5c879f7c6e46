import { LinearClassifier } from '../classify/linear/linear-classifier.js';
import { readLabelledFile, type LabelledLines } from '../classify/linear/data-file.js';
import type { Label } from '../classify/linear/labels.js';
import type { LinearLoss, LinearTokenizerName, LinearWeighting } from '../classify/linear/options.js';
import { UsageError, type CliCommand } from './args.js';

function pick<T>(data: LabelledLines, keep: (i: number) => boolean): { texts: string[]; labels: T[] } {
  const texts: string[] = [];
  const labels: T[] = [];
  data.texts.forEach((t, i) => {
    if (keep(i)) {
      texts.push(t);
      labels.push((data.labels as T[])[i]);
    }
  });
  return { texts, labels };
}

export const command: CliCommand = {
  summary: 'Train a fastText-style linear text classifier (words + hashed word n-grams, SGD) and save it.',
  usage:
    'wasm2vec supervised <train.tsv|train.txt> -o <model> [options]   (fastText "__label__x text" lines, ' +
    'a TSV with label/text(/fold) header, or label<TAB>text; - for stdin)',
  flags: {
    output: { kind: 'string', alias: 'o', describe: 'model file to write (required)' },
    dim: { kind: 'int', describe: 'vector size (100)' },
    'word-ngrams': { kind: 'int', describe: 'longest word n-gram, 1-5 (1)' },
    buckets: { kind: 'int', describe: 'n-gram hash buckets (2000000)' },
    epochs: { kind: 'int', describe: 'passes over the data (5)' },
    'learning-rate': { kind: 'number', aliases: ['lr'], describe: 'start learning rate, decays linearly to 0 (0.1)' },
    loss: { kind: 'string', describe: 'softmax | ns | hs | ova (softmax; ova for multi-label data)' },
    negative: { kind: 'int', aliases: ['neg'], describe: 'negatives per example for --loss ns (5)' },
    weighting: { kind: 'string', describe: 'mean | tfidf (mean)' },
    'min-count': { kind: 'int', describe: 'drop words seen fewer times (1)' },
    tokenizer: {
      kind: 'string',
      describe: 'whitespace (as fastText; the default for fastText-format files) | default (lowercase, no punctuation, CJK segmented; the default for TSV)',
    },
    threads: { kind: 'int', describe: 'worker threads (all cores)' },
    seed: { kind: 'int', describe: 'random seed (1)' },
    'holdout-fold': { kind: 'int', describe: 'with a fold column: train on the other folds and report accuracy on this one' },
    test: { kind: 'string', describe: 'labelled file to report accuracy and loss on after training' },
    json: { kind: 'boolean', describe: "print one JSON line with the run's numbers" },
  },
  async run({ positionals, flags }, io) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one training file argument');
    const out = flags.output;
    if (typeof out !== 'string') throw new UsageError('-o <model> is required');
    const data = await readLabelledFile(positionals[0], true);
    const holdout = flags['holdout-fold'] as number | undefined;
    if (holdout !== undefined && !data.folds) throw new UsageError('--holdout-fold needs a TSV with a "fold" column');
    const train = pick<Label | Label[]>(data, (i) => holdout === undefined || data.folds![i] !== holdout);
    const clf = new LinearClassifier({
      dim: flags.dim as number | undefined,
      wordNgrams: flags['word-ngrams'] as number | undefined,
      buckets: flags.buckets as number | undefined,
      epochs: flags.epochs as number | undefined,
      learningRate: flags['learning-rate'] as number | undefined,
      loss: flags.loss as LinearLoss | undefined,
      negative: flags.negative as number | undefined,
      weighting: flags.weighting as LinearWeighting | undefined,
      minCount: flags['min-count'] as number | undefined,
      tokenizer: (flags.tokenizer as LinearTokenizerName | undefined) ?? (data.format === 'fasttext' ? 'whitespace' : 'default'),
      threads: flags.threads as number | undefined,
      seed: flags.seed as number | undefined,
    });
    try {
      const cpu = process.cpuUsage();
      const fit = await clf.fit(train.texts, train.labels);
      const cpuSeconds = (() => {
        const c = process.cpuUsage(cpu);
        return (c.user + c.system) / 1e6;
      })();
      if (fit.note) io.err(`note: ${fit.note}\n`);
      for (const w of fit.warnings) io.err(`warning: ${w.message}\n`);
      await clf.save(out);
      const report: Record<string, unknown> = {
        examples: fit.examples,
        words: fit.words,
        ngramBuckets: fit.ngramBuckets,
        labels: fit.labels,
        tokens: fit.tokens,
        seconds: fit.seconds + fit.prepareSeconds,
        cpuSeconds,
        threads: fit.threads,
        loss: fit.history[fit.history.length - 1].loss,
        output: out,
      };
      const evaluations: [string, string[], (Label | Label[])[]][] = [];
      if (holdout !== undefined) {
        const held = pick<Label | Label[]>(data, (i) => data.folds![i] === holdout);
        evaluations.push([`fold ${holdout}`, held.texts, held.labels]);
      }
      if (typeof flags.test === 'string') {
        const t = await readLabelledFile(flags.test, true);
        evaluations.push([flags.test, t.texts, t.labels as (Label | Label[])[]]);
      }
      for (const [name, texts, labels] of evaluations) {
        const ev = await clf.evaluate(texts, labels);
        report[name === `fold ${holdout}` ? 'holdout' : 'test'] = { examples: ev.examples, accuracy: ev.accuracy, loss: ev.loss };
        if (!flags.json) io.err(`${name}: ${ev.examples} examples, accuracy ${ev.accuracy.toFixed(4)}, loss ${ev.loss.toFixed(4)}\n`);
      }
      if (flags.json) io.out(JSON.stringify(report) + '\n');
      else {
        io.err(
          `trained on ${fit.examples} examples (${fit.words} words, ${fit.ngramBuckets} n-gram buckets, ${fit.labels} labels) × ` +
            `${fit.history.length} epochs in ${(fit.seconds + fit.prepareSeconds).toFixed(2)} s, ${cpuSeconds.toFixed(2)} CPU-s, ${fit.threads} threads; ` +
            `final loss ${fit.history[fit.history.length - 1].loss.toFixed(4)}; wrote ${out}\n`,
        );
      }
    } finally {
      clf.dispose();
    }
    return 0;
  },
};
