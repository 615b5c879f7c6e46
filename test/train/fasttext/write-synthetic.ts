// Used by scripts/fasttext-fixtures.sh: `npx tsx test/train/fasttext/write-synthetic.ts DIR` writes the
// in-memory models of synthetic-models.ts with wasm2vec's writer, for fastText to read.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fastTextBytes } from '../../../src/train/fasttext/writer.js';
import { syntheticSkipgram, syntheticSupervised } from './synthetic-models.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: write-synthetic.ts DIR');
writeFileSync(join(dir, 'synthetic-skipgram.bin'), fastTextBytes(syntheticSkipgram()));
writeFileSync(join(dir, 'synthetic-supervised.bin'), fastTextBytes(syntheticSupervised()));
