/**
 * The FastText quality test's settings, shared by the test and scripts/fasttext-reference.sh (which
 * trains Debian fastText with them): fastText's defaults except a 5 MB text8 slice (~870k tokens) and
 * 200,000 buckets, so one run takes seconds.
 */
export const QUALITY = {
  sliceBytes: 5_000_000,
  dim: 100,
  window: 5,
  epochs: 5,
  minCount: 5,
  negative: 5,
  learningRate: 0.05,
  minn: 3,
  maxn: 6,
  bucket: 200_000,
  sample: 1e-4,
} as const;

/** Seeds of the reference runs (and of ours when thresholds are measured). */
export const REFERENCE_SEEDS = [1, 2, 3];

// `npx tsx quality-settings.ts --shell` prints them as shell assignments for the reference script.
if (process.argv[1]?.endsWith('quality-settings.ts') && process.argv.includes('--shell')) {
  const q = QUALITY;
  console.log(
    `BYTES=${q.sliceBytes} DIM=${q.dim} WS=${q.window} EPOCH=${q.epochs} MINCOUNT=${q.minCount} NEG=${q.negative} LR=${q.learningRate} ` +
      `MINN=${q.minn} MAXN=${q.maxn} BUCKET=${q.bucket} T=${q.sample} SEEDS="${REFERENCE_SEEDS.join(' ')}"`,
  );
}
