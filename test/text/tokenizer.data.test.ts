import { describe, it } from 'vitest';
import { sharedData } from '../helpers/data.js';
import { expectJiebaOverlap } from './jieba-overlap.js';

// Data suite: the MSRA news text has no known licence, so it cannot ship (the novels half of this
// check is in tokenizer.test.ts). Measured on 2000 lines: F1 0.707 (P 0.656, R 0.766); one token per
// character scores 0.24.
describe('createTokenizer: scripts without spaces', () => {
  it('overlaps jieba segmentation substantially (token F1 on 2000 lines of news)', () => {
    expectJiebaOverlap(sharedData('zh-corpus-msra-news/msra_news.raw.txt.gz'), sharedData('zh-corpus-msra-news/msra_news.seg.txt.gz'), 0.65);
  });
});
