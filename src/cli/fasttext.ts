import { FastText } from '../train/fasttext/fasttext.js';
import { UsageError, type CliCommand } from './args.js';
import { corpusArgument } from './corpus-argument.js';
import { progressBar } from './progress-bar.js';

const MODELS = ['skipgram', 'cbow'] as const;
const LOSSES = ['ns', 'hs', 'softmax'] as const;
const MODES = ['batched', 'classic'] as const;

function oneOf<T extends string>(flag: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`--${flag}: expected ${allowed.join(' or ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

export const command: CliCommand = {
  summary: 'Train fastText subword vectors (skip-gram or CBOW with character n-grams) and write a .bin fastText loads.',
  usage: 'wasm2vec fasttext <corpus> -o <model.bin> [options]   (corpus: a text file, .gz ok, or - for stdin)',
  flags: {
    output: { kind: 'string', alias: 'o', describe: 'output model (.bin, fastText 0.9.2 format; required)' },
    vectors: { kind: 'string', describe: 'also write the in-vocabulary vectors here (.vec text, like fastText)' },
    model: { kind: 'string', describe: 'skipgram (default) or cbow' },
    loss: { kind: 'string', describe: 'ns (default), hs or softmax' },
    mode: { kind: 'string', describe: 'batched (default for ns: shared negatives per window) or classic (fastText update)' },
    dim: { kind: 'int', describe: 'vector size (100)' },
    window: { kind: 'int', aliases: ['ws'], describe: 'max context window (5)' },
    negative: { kind: 'int', aliases: ['neg'], describe: 'negative samples (5)' },
    'min-count': { kind: 'int', aliases: ['minCount'], describe: 'drop words rarer than this (5)' },
    minn: { kind: 'int', describe: 'shortest character n-gram (3; 0 with --maxn 0: no subwords)' },
    maxn: { kind: 'int', describe: 'longest character n-gram (6)' },
    bucket: { kind: 'int', describe: 'n-gram hash buckets (2000000)' },
    sample: { kind: 'number', aliases: ['t'], describe: 'subsampling threshold (1e-4)' },
    epochs: { kind: 'int', aliases: ['epoch'], describe: 'passes over the corpus (5)' },
    'learning-rate': { kind: 'number', aliases: ['lr'], describe: 'start learning rate, decayed linearly to 0 (0.05)' },
    threads: { kind: 'int', aliases: ['thread'], describe: 'worker threads (all cores)' },
    seed: { kind: 'int', describe: 'random seed (1)' },
    json: { kind: 'boolean', describe: 'print a final JSON line with vocabulary, tokens, seconds, tokensPerSecond' },
  },
  async run({ positionals, flags }, io) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one corpus argument');
    const out = flags.output;
    if (typeof out !== 'string') throw new UsageError('-o <model.bin> is required');
    const bar = progressBar(io);
    const model = await FastText.train(await corpusArgument(positionals[0]), {
      model: oneOf('model', flags.model, MODELS),
      loss: oneOf('loss', flags.loss, LOSSES),
      mode: oneOf('mode', flags.mode, MODES),
      dim: flags.dim as number | undefined,
      window: flags.window as number | undefined,
      negative: flags.negative as number | undefined,
      minCount: flags['min-count'] as number | undefined,
      minn: flags.minn as number | undefined,
      maxn: flags.maxn as number | undefined,
      bucket: flags.bucket as number | undefined,
      sample: flags.sample as number | undefined,
      epochs: flags.epochs as number | undefined,
      learningRate: flags['learning-rate'] as number | undefined,
      threads: flags.threads as number | undefined,
      seed: flags.seed as number | undefined,
      onProgress: (p) => {
        if (p.note) io.err(`note: ${p.note}\n`);
        bar.update(
          p.progress,
          `epoch ${p.epoch}/${p.epochs} lr ${p.learningRate.toFixed(5)} ${Math.round(p.wordsPerSecond / 1000)}k words/s loss ${p.loss.toFixed(4)}`,
        );
      },
    });
    bar.done();
    try {
      await model.save(out);
      if (typeof flags.vectors === 'string') await model.embeddings.save(flags.vectors, { format: 'vec' });
      const s = model.stats!;
      const vocabulary = model.embeddings.size;
      if (flags.json) {
        io.out(
          `${JSON.stringify({
            vocabulary,
            tokens: s.tokens * s.epochsCompleted,
            rawTokens: s.rawTokens,
            seconds: s.seconds,
            tokensPerSecond: s.tokensPerSecond,
            threads: s.threads,
            loss: s.finalLoss,
            output: out,
          })}\n`,
        );
      } else {
        io.err(
          `trained ${vocabulary} words × ${model.embeddings.dim} (+ n-gram buckets) on ${s.tokens} tokens × ${s.epochsCompleted} epochs in ` +
            `${s.seconds.toFixed(1)} s (${Math.round(s.tokensPerSecond)} words/s, ${s.threads} threads); wrote ${out}\n`,
        );
      }
    } finally {
      model.dispose();
    }
    return 0;
  },
};
