#!/usr/bin/python3
"""gensim 4 peer for bench/word2vec.bench.ts: trains 1 epoch on a text8-style file cut into 1000-token
sentences, prints {"words", "seconds", "cpuSeconds"} for the training call only."""
import json, sys, time, logging
from gensim.models import Word2Vec
from gensim.models.word2vec import Text8Corpus
logging.disable(logging.WARNING)
path, model, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
sentences = list(Text8Corpus(path, max_sentence_length=1000))
m = Word2Vec(vector_size=100, window=5, negative=5, sample=1e-3, min_count=5, sg=1 if model == 'skipgram' else 0, workers=workers, seed=1, epochs=1)
m.build_vocab(sentences)
t0, c0 = time.perf_counter(), time.process_time()
trained, raw = m.train(sentences, total_examples=m.corpus_count, epochs=1)
print(json.dumps({'words': raw, 'effective': trained, 'seconds': time.perf_counter() - t0, 'cpuSeconds': time.process_time() - c0}))
