import { TextClassifier } from '../classify/lstm/text-classifier.js';
import { parseLabelledTsv, splitByFold, type LabelledRows } from '../classify/labelled-tsv.js';
import { Wasm2VecError } from '../errors.js';
import { Embeddings } from '../vectors/embeddings.js';
import { UsageError, type CliCommand, type CliIO, type ParsedArgs } from './args.js';

const USAGE = `wasm2vec classify train <train.tsv> -o <model> [options]
       wasm2vec classify eval <model> <test.tsv> [--fold k]
       wasm2vec classify predict <model> [<texts.txt|texts.tsv|->]
  (TSV: a header row with "label" and "text" columns, optionally "fold"; - reads stdin)`;

async function readInput(path: string): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  const fs = await import('node:fs/promises');
  try {
    return await fs.readFile(path, 'utf8');
  } catch (e) {
    throw new Wasm2VecError('IO', `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
}

async function readRows(path: string, flags: ParsedArgs['flags']): Promise<LabelledRows> {
  return parseLabelledTsv(await readInput(path), path === '-' ? 'stdin' : path, {
    label: flags['label-column'] as string | undefined,
    text: flags['text-column'] as string | undefined,
  });
}

function units(spec: string | undefined): { units: number; returnSequences?: boolean }[] | undefined {
  if (spec === undefined) return undefined;
  const list = spec.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((u) => !Number.isInteger(u) || u < 1))
    throw new UsageError(`--units: expected comma-separated positive integers such as 128,128, got ${JSON.stringify(spec)}`);
  return list.map((u) => ({ units: u }));
}

async function train({ positionals, flags }: ParsedArgs, io: CliIO): Promise<number> {
  if (positionals.length !== 1) throw new UsageError('classify train: expected exactly one training file');
  const out = flags.output;
  if (typeof out !== 'string') throw new UsageError('classify train: -o <model> is required');
  const rows = await readRows(positionals[0], flags);
  const testFold = flags['test-fold'] as number | undefined;
  let trainRows = rows,
    test: LabelledRows | null = null;
  if (testFold !== undefined) {
    if (!rows.folds) throw new UsageError('--test-fold needs a TSV with a "fold" column');
    ({ train: trainRows, test } = splitByFold(rows, testFold));
  }
  const classes = (flags.classes as number | undefined) ?? Math.max(2, ...rows.labels.map((l) => l + 1));
  const pretrained = typeof flags.pretrained === 'string' ? await Embeddings.load(flags.pretrained) : undefined;
  const clf = new TextClassifier({
    vocabSize: flags['vocab-size'] as number | undefined,
    sequenceLength: flags['seq-len'] as number | undefined,
    embeddingDim: (flags['embedding-dim'] as number | undefined) ?? pretrained?.dim,
    lstm: units(flags.units as string | undefined),
    classes,
    seed: flags.seed as number | undefined,
    threads: flags.threads as number | undefined,
    learningRate: flags['learning-rate'] as number | undefined,
    pretrained,
    trainEmbeddings: flags['freeze-embeddings'] ? false : undefined,
  });
  try {
    const cpu = process.cpuUsage();
    const fit = await clf.fit(trainRows.texts, trainRows.labels, {
      epochs: (flags.epochs as number | undefined) ?? 5,
      batchSize: flags['batch-size'] as number | undefined,
      validationSplit: test ? undefined : (flags['validation-split'] as number | undefined),
      validationData: test ? [test.texts, test.labels] : undefined,
      onEpochEnd: (h) => {
        if (flags.json) return;
        const val =
          h.valAccuracy === undefined ? '' : ` ${test ? `fold ${testFold}` : 'validation'} loss ${h.valLoss!.toFixed(4)} accuracy ${h.valAccuracy.toFixed(4)}`;
        io.err(`epoch ${h.epoch}: loss ${h.loss.toFixed(4)} accuracy ${h.accuracy.toFixed(4)}${val} (${h.seconds.toFixed(1)} s)\n`);
      },
    });
    const c = process.cpuUsage(cpu);
    if (fit.note) io.err(`note: ${fit.note}\n`);
    for (const w of fit.warnings) io.err(`warning: ${w.message}\n`);
    await clf.save(out);
    if (flags.json) {
      io.out(
        JSON.stringify({
          examples: trainRows.texts.length,
          vocabulary: clf.vocabulary?.size ?? 0,
          history: fit.history,
          samplesPerSecond: fit.samplesPerSecond,
          cpuSeconds: (c.user + c.system) / 1e6,
          threads: fit.threads,
          output: out,
        }) + '\n',
      );
    } else {
      io.err(
        `trained on ${trainRows.texts.length} texts (${clf.vocabulary?.size ?? 0} words) × ${fit.history.length} epochs, ` +
          `${Math.round(fit.samplesPerSecond)} samples/s, ${fit.threads} threads; wrote ${out}\n`,
      );
    }
  } finally {
    clf.dispose();
  }
  return 0;
}

async function evaluate({ positionals, flags }: ParsedArgs, io: CliIO): Promise<number> {
  if (positionals.length !== 2) throw new UsageError('classify eval: expected <model> <test.tsv>');
  const clf = await TextClassifier.load(positionals[0], { threads: flags.threads as number | undefined });
  try {
    let rows = await readRows(positionals[1], flags);
    const fold = flags.fold as number | undefined;
    if (fold !== undefined) rows = splitByFold(rows, fold).test;
    const ev = await clf.evaluate(rows.texts, rows.labels);
    if (flags.json) io.out(JSON.stringify({ examples: rows.texts.length, ...ev }) + '\n');
    else io.out(`examples ${rows.texts.length}\nloss ${ev.loss.toFixed(6)}\naccuracy ${ev.accuracy.toFixed(6)}\n`);
  } finally {
    clf.dispose();
  }
  return 0;
}

async function predict({ positionals, flags }: ParsedArgs, io: CliIO): Promise<number> {
  if (positionals.length < 1 || positionals.length > 2) throw new UsageError('classify predict: expected <model> [<texts file>|-]');
  const clf = await TextClassifier.load(positionals[0], { threads: flags.threads as number | undefined });
  try {
    const content = await readInput(positionals[1] ?? '-');
    const lines = content.split(/\r?\n/);
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    const textColumn = (flags['text-column'] as string | undefined) ?? 'text';
    const header = lines.length ? lines[0].split('\t') : [];
    // A TSV with a text column, or else one text per line.
    const texts = header.length > 1 && header.includes(textColumn) ? lines.slice(1).map((l) => l.split('\t')[header.indexOf(textColumn)] ?? '') : lines;
    const probs = await clf.predict(texts);
    if (flags.json) {
      io.out(JSON.stringify(probs instanceof Float32Array ? Array.from(probs) : probs.map((p) => Array.from(p))) + '\n');
    } else if (probs instanceof Float32Array) {
      for (const p of probs) io.out(`${p > 0.5 ? 1 : 0}\t${p.toFixed(6)}\n`);
    } else {
      for (const row of probs) {
        let arg = 0;
        for (let c = 1; c < row.length; c++) if (row[c] > row[arg]) arg = c;
        io.out(`${arg}\t${Array.from(row, (p) => p.toFixed(6)).join('\t')}\n`);
      }
    }
  } finally {
    clf.dispose();
  }
  return 0;
}

export const command: CliCommand = {
  summary: 'Embedding + LSTM text classifier (Keras-compatible): train, eval, predict.',
  usage: USAGE,
  flags: {
    output: { kind: 'string', alias: 'o', describe: 'train: model file to write (required)' },
    'test-fold': { kind: 'int', describe: 'train: hold out this fold and report its accuracy every epoch' },
    fold: { kind: 'int', describe: 'eval: only the rows of this fold' },
    epochs: { kind: 'int', describe: 'train: passes over the data (5)' },
    'batch-size': { kind: 'int', describe: 'train: rows per Adam step (32)' },
    'validation-split': { kind: 'number', describe: 'train: hold out this fraction from the end of the file' },
    'vocab-size': { kind: 'int', describe: 'train: embedding rows incl. padding and OOV (20000)' },
    'seq-len': { kind: 'int', describe: 'train: tokens per text, padded/truncated at the front (50)' },
    'embedding-dim': { kind: 'int', describe: "train: embedding width (64, or the pretrained vectors' dim)" },
    units: { kind: 'string', describe: 'train: LSTM stack, e.g. 128,128 (default)' },
    classes: { kind: 'int', describe: 'train: number of classes (largest label + 1, at least 2)' },
    'learning-rate': { kind: 'number', aliases: ['lr'], describe: 'train: Adam learning rate (0.001)' },
    pretrained: { kind: 'string', describe: 'train: initial word vectors (word2vec/GloVe/fastText/wasm2vec file)' },
    'freeze-embeddings': { kind: 'boolean', describe: 'train: keep the embedding layer fixed' },
    'label-column': { kind: 'string', describe: 'TSV label column name (label)' },
    'text-column': { kind: 'string', describe: 'TSV text column name (text)' },
    threads: { kind: 'int', describe: 'worker threads (all cores)' },
    seed: { kind: 'int', describe: 'train: random seed (1)' },
    json: { kind: 'boolean', describe: 'print JSON instead of text' },
  },
  async run(args, io) {
    const [sub, ...rest] = args.positionals;
    const next: ParsedArgs = { positionals: rest, flags: args.flags };
    if (sub === 'train') return train(next, io);
    if (sub === 'eval' || sub === 'evaluate') return evaluate(next, io);
    if (sub === 'predict') return predict(next, io);
    throw new UsageError(
      sub === undefined ? 'expected a subcommand: train, eval or predict' : `unknown subcommand ${JSON.stringify(sub)} (train, eval or predict)`,
    );
  },
};
