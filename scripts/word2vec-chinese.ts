// Issue 2 must-show 3: skip-gram on the RAW text of the three Chinese corpora in ../shared/data, segmented
// by wasm2vec's own tokenizer (Intl.Segmenter), then WordSim-240/297 Spearman.
//   npx tsx scripts/word2vec-chinese.ts [out.txt] [--epochs N] [--threads N] [--mode classic|batched]
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { Word2Vec } from '../src/index.js';

const data = new URL('../../shared/data', import.meta.url).pathname;
const flag = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const out = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : '.tmp/zh-sg.txt';

/** Lines of the raw corpora in `dir` (default ../shared/data): MSRA news, the four classic novels, and the Chinese side of Tatoeba. */
export async function* chineseRawLines(dir = data): AsyncGenerator<string> {
  for (const f of ['zh-corpus-msra-news/msra_news.raw.txt.gz', 'zh-corpus-classic-novels/novels.raw.txt.gz']) {
    for await (const line of createInterface({ input: createReadStream(`${dir}/${f}`).pipe(createGunzip()), crlfDelay: Infinity })) yield line;
  }
  let header = true;
  for await (const line of createInterface({ input: createReadStream(`${dir}/zh-corpus-tatoeba-cmn/cmn_en_zh_pairs.tsv`), crlfDelay: Infinity })) {
    if (header) {
      header = false;
      continue;
    }
    yield line.slice(line.indexOf('\t') + 1);
  }
}

if (process.argv[1]?.endsWith('word2vec-chinese.ts')) {
  const t0 = Date.now();
  const m = await Word2Vec.train(chineseRawLines(), {
    model: 'skipgram',
    dim: 100,
    window: 5,
    negative: 5,
    minCount: 3,
    epochs: Number(flag('epochs') ?? 10),
    seed: 1,
    threads: flag('threads') ? Number(flag('threads')) : undefined,
    mode: (flag('mode') as 'classic' | 'batched' | undefined) ?? 'classic',
  });
  await m.embeddings.save(out, { format: 'word2vec-text' });
  console.log(JSON.stringify({ out, vocabulary: m.vocabulary.size, ...m.stats, wallSeconds: (Date.now() - t0) / 1000 }));
  for (const w of ['中国', '北京', '经济', '学生', '喜欢', '美国']) {
    if (m.embeddings.has(w))
      console.log(
        w,
        m.embeddings
          .mostSimilar({ positive: [w], topN: 5 })
          .map((x) => x.word)
          .join('、'),
      );
  }
  m.dispose();
}
