import { Word2Vec } from '../train/word2vec/word2vec.js';
import { UsageError, type CliCommand } from './args.js';
import { progressBar } from './progress-bar.js';
import { corpusArgument } from './corpus-argument.js';

export const command: CliCommand = {
  summary: 'Train Word2Vec (skip-gram or CBOW) on a text file and write the vectors.',
  usage: 'wasm2vec train <corpus> -o <out> [options]   (corpus: a text file, .gz ok, or - for stdin)',
  flags: {
    output: { kind: 'string', alias: 'o', describe: 'output vectors file (required)' },
    model: { kind: 'string', describe: 'skipgram (default) or cbow' },
    mode: { kind: 'string', describe: 'batched (default: shared negatives per window) or classic (word2vec.c update)' },
    dim: { kind: 'int', describe: 'vector size (100)' },
    window: { kind: 'int', describe: 'max context window (5)' },
    negative: { kind: 'int', describe: 'negative samples (5; 0 with --hs)' },
    hs: { kind: 'boolean', describe: 'hierarchical softmax' },
    sample: { kind: 'number', describe: 'subsampling threshold (1e-3)' },
    'min-count': { kind: 'int', describe: 'drop words rarer than this (5)' },
    'max-vocab': { kind: 'int', describe: 'keep at most this many words' },
    epochs: { kind: 'int', describe: 'passes over the corpus (5)' },
    'learning-rate': { kind: 'number', aliases: ['alpha'], describe: 'start learning rate (0.025 sg / 0.05 cbow)' },
    'min-learning-rate': { kind: 'number', aliases: ['min-alpha'], describe: 'final learning rate (0.0001)' },
    threads: { kind: 'int', describe: 'worker threads (all cores)' },
    seed: { kind: 'int', describe: 'random seed (1)' },
    format: { kind: 'string', describe: 'word2vec-text (default) or word2vec-binary' },
    json: { kind: 'boolean', describe: 'print a final JSON line with tokens, seconds, tokensPerSecond' },
  },
  async run({ positionals, flags }, io) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one corpus argument');
    const out = flags.output;
    if (typeof out !== 'string') throw new UsageError('-o <out> is required');
    const format = (flags.format as string | undefined) ?? 'word2vec-text';
    if (format !== 'word2vec-text' && format !== 'word2vec-binary')
      throw new UsageError(`--format: expected word2vec-text or word2vec-binary, got ${JSON.stringify(format)}`);
    const bar = progressBar(io);
    const model = await Word2Vec.train(await corpusArgument(positionals[0]), {
      model: flags.model as 'skipgram' | 'cbow' | undefined,
      mode: flags.mode as 'classic' | 'batched' | undefined,
      dim: flags.dim as number | undefined,
      window: flags.window as number | undefined,
      negative: flags.negative as number | undefined,
      hs: flags.hs as boolean | undefined,
      sample: flags.sample as number | undefined,
      minCount: flags['min-count'] as number | undefined,
      maxVocab: flags['max-vocab'] as number | undefined,
      epochs: flags.epochs as number | undefined,
      learningRate: flags['learning-rate'] as number | undefined,
      minLearningRate: flags['min-learning-rate'] as number | undefined,
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
      await model.embeddings.save(out, { format });
      const s = model.stats;
      if (flags.json) {
        io.out(
          JSON.stringify({
            tokens: s.tokens * s.epochsCompleted,
            rawTokens: s.rawTokens,
            vocabulary: model.vocabulary.size,
            seconds: s.seconds,
            tokensPerSecond: s.tokensPerSecond,
            threads: s.threads,
            loss: s.finalLoss,
            output: out,
          }) + '\n',
        );
      } else {
        io.err(
          `trained ${model.vocabulary.size} words × ${model.embeddings.dim} on ${s.tokens} tokens × ${s.epochsCompleted} epochs in ` +
            `${s.seconds.toFixed(1)} s (${Math.round(s.tokensPerSecond)} words/s, ${s.threads} threads); wrote ${out}\n`,
        );
      }
    } finally {
      model.dispose();
    }
    return 0;
  },
};
