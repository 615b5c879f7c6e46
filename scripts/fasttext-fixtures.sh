#!/usr/bin/env bash
# Regenerates test/fixtures/fasttext/: small models written by Debian's fastText 0.9.2 (one by gensim
# 4.2's save_facebook_model, two by wasm2vec's own writer), with what the fastText tools print for
# them, so the tests in test/train/fasttext/ compare wasm2vec's reader and writer with the real tool without
# needing it installed.
#
#   apt-get install -y fasttext python3-fasttext python3-gensim   # Debian 12: 0.9.2+ds / 4.2.0
#   bash scripts/fasttext-fixtures.sh
#
# Everything is trained on one thread with fixed seeds, so a rerun writes the same models (fastText's
# quantizer and gensim are seeded too). Per model the directory holds:
#   NAME.bin / NAME.ftz              the model
#   NAME.args.txt                    `fasttext dump NAME args`
#   NAME.print-word-vectors.txt      `fasttext print-word-vectors NAME < words.txt` (5 significant digits)
#   NAME.vectors.json                the same vectors at full float32 precision, from fastText's own
#                                    library through its Python binding (get_word_vector)
#   NAME.print-ngrams.txt            `fasttext print-ngrams NAME WORD` for a few words (unsupervised)
#   NAME.predict-prob.txt            `fasttext predict-prob NAME sentences.txt K` (supervised; K = -1,
#                                    all labels, for the 2-label models, 10 for the 307-label ones)
#   NAME.predict.json                the same at full precision (Python binding)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=test/fixtures/fasttext
PY=/usr/bin/python3
command -v fasttext >/dev/null || { echo "needs Debian's fasttext: apt-get install -y fasttext python3-fasttext python3-gensim" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"
rm -f "$OUT"/*

# Non-ASCII words and one Latin-1 (invalid UTF-8) word, six times each so minCount 5 keeps them.
extra() {
  for _ in 1 2 3 4 5 6; do
    echo "the naïve king said größer things in 北京大学 😀 and drank café"
    printf 'the old caf\xe9 by the river\n'
  done
}

# Unsupervised corpus: the first 6,000 lines of the fairy tales (about 56k tokens) plus the lines above.
{ head -n 6000 data/demo-fairytales/corpus.txt; extra; } > "$TMP/tales.txt"

# Supervised (2 labels, softmax): three of the ten MR folds as "__label__pos|neg text".
awk -F'\t' 'NR > 1 && $2 < 3 { print ($1 == 1 ? "__label__pos " : "__label__neg ") $3 }' \
  data/en-mr-polarity/mr.tsv > "$TMP/mr.txt"

# Supervised with 307 labels (enough rows, >= 256, for fastText to quantize the output matrix): each of
# the first 14,000 fairy-tale lines with 4+ words labelled by its lowercased first word, kept when that
# word starts 5+ of those lines.
awk 'NR <= 14000 && NF > 3 { w = tolower($1); n[w]++; line[NR] = $0; first[NR] = w }
     END { for (i = 1; i <= NR; i++) if (i in line && n[first[i]] >= 5) {
             t = line[i]; sub(/^[ \t]*[^ \t]+[ \t]*/, "", t); print "__label__" first[i] " " t } }' \
  data/demo-fairytales/corpus.txt > "$TMP/firstword.txt"

# Words to look up: in vocabulary, out of vocabulary (non-ASCII, astral, invalid UTF-8, EOS, long).
{
  printf '%s\n' king queen princess the said castle gold forest naïve größer 北京大学 😀 café '</s>' \
    unfathomably wasm2vecification "kingdom's" naïveté größte Straße 北京 東京都 '👍🏽' '😀😀' ⱥ zq a \
    mother-in-law supercalifragilisticexpialidociousnessesandmoreandmoreandmoreletters
  printf 'caf\xe9\nna\xefve\n'
} > "$OUT/words.txt"

# Lines to classify: MR snippets from folds the model did not see, OOV and non-ASCII text, a label
# token inside the text, an empty line.
{
  awk -F'\t' 'NR > 1 && $2 == 7 && NR % 400 == 0 { print $3 }' data/en-mr-polarity/mr.tsv
  echo 'a wasm2vecification of naïve größer 北京大学 😀 nonsense'
  echo '__label__pos the movie was dreadful and boring'
  echo ''
  echo 'the king said to the queen that the princess'
  echo 'And when the old woman saw the little golden bird'
} > "$OUT/sentences.txt"

FT="fasttext"
$FT skipgram -input "$TMP/tales.txt" -output "$OUT/skipgram" -dim 16 -bucket 5000 -epoch 2 -minn 3 -maxn 6 \
  -minCount 5 -thread 1 -verbose 0
$FT cbow -input "$TMP/tales.txt" -output "$OUT/cbow-hs" -loss hs -dim 16 -bucket 5000 -epoch 2 -minn 3 -maxn 5 \
  -minCount 5 -thread 1 -verbose 0
$FT supervised -input "$TMP/mr.txt" -output "$OUT/supervised" -dim 16 -bucket 5000 -epoch 25 -lr 0.5 \
  -minn 3 -maxn 6 -wordNgrams 2 -minCount 3 -thread 1 -verbose 0
# Pruned dictionary (cutoff: the 2,000 rows of largest norm) and quantized norms.
$FT quantize -input "$TMP/mr.txt" -output "$OUT/supervised" -qnorm -cutoff 2000 -dsub 2 -thread 1 -verbose 0
# One-vs-all loss (independent sigmoids per label), no character n-grams.
$FT supervised -input "$TMP/mr.txt" -output "$OUT/supervised-ova" -loss ova -dim 8 -bucket 1000 -epoch 10 -lr 0.5 \
  -minn 0 -maxn 0 -wordNgrams 2 -minCount 3 -thread 1 -verbose 0
# dim 15 with dsub 4 (and the output's fixed dsub 2) leaves a shorter last sub-quantizer; no norm
# quantization; hierarchical softmax over 307 labels; the output matrix quantized too (-qout).
$FT supervised -input "$TMP/firstword.txt" -output "$OUT/firstword-hs" -loss hs -dim 15 -bucket 2000 -epoch 3 \
  -minn 3 -maxn 4 -wordNgrams 2 -minCount 3 -thread 1 -verbose 0
$FT quantize -input "$TMP/firstword.txt" -output "$OUT/firstword-hs" -qout -dsub 4 -thread 1 -verbose 0
rm -f "$OUT"/*.vec

# gensim 4.2's writer (save_facebook_model): no </s>, its own counts and ntokens.
$PY - "$TMP/tales.txt" "$OUT/gensim.bin" <<'EOF'
import logging, sys
from gensim.models import FastText
from gensim.models.fasttext import save_facebook_model
logging.disable(logging.WARNING)
sentences = [line.split() for line in open(sys.argv[1], encoding='utf8', errors='replace')]
model = FastText(vector_size=12, window=3, min_count=5, bucket=3000, min_n=3, max_n=5, sg=1, negative=5,
                 epochs=1, workers=1, seed=1)
model.build_vocab(corpus_iterable=sentences)
model.train(corpus_iterable=sentences, total_examples=len(sentences), epochs=model.epochs)
save_facebook_model(model, sys.argv[2])
EOF

# Two models built in memory and written by wasm2vec's writer (test/train/fasttext/synthetic-models.ts), so
# the outputs below are fastText reading our writer's files.
npx tsx test/train/fasttext/write-synthetic.ts "$OUT"

ALL="skipgram.bin cbow-hs.bin gensim.bin supervised.bin supervised.ftz supervised-ova.bin firstword-hs.bin
  firstword-hs.ftz synthetic-skipgram.bin synthetic-supervised.bin"
for m in $ALL; do
  name="${m%.*}"; [ "${m##*.}" = ftz ] && name="$name.ftz"
  $FT dump "$OUT/$m" args > "$OUT/$name.args.txt"
  $FT print-word-vectors "$OUT/$m" < "$OUT/words.txt" > "$OUT/$name.print-word-vectors.txt"
done
for m in skipgram.bin cbow-hs.bin; do
  for w in king naïve 😀 unfathomably '</s>'; do $FT print-ngrams "$OUT/$m" "$w"; done > "$OUT/${m%.*}.print-ngrams.txt"
done
# All labels of the 2-label models, the 10 best of the 307-label ones.
for m in supervised.bin supervised.ftz supervised-ova.bin firstword-hs.bin firstword-hs.ftz synthetic-supervised.bin; do
  name="${m%.*}"; [ "${m##*.}" = ftz ] && name="$name.ftz"
  k=-1; [ "${m#firstword}" != "$m" ] && k=10
  $FT predict-prob "$OUT/$m" "$OUT/sentences.txt" $k > "$OUT/$name.predict-prob.txt"
done

# Full-precision references from fastText's library (the Python binding links the same libfasttext).
$PY - "$OUT" $ALL <<'EOF'
import json, sys
import fasttext
out = sys.argv[1]
words = open(f'{out}/words.txt', 'rb').read().split(b'\n')[:-1]
sentences = open(f'{out}/sentences.txt', 'rb').read().split(b'\n')[:-1]
def f32list(v):
    return [float(x) for x in v]
for m in sys.argv[2:]:
    model = fasttext.load_model(f'{out}/{m}')
    name = m[:-4] if m.endswith('.bin') else m
    rows = [{'hex': w.hex(), 'vector': f32list(model.get_word_vector(w))} for w in words]
    json.dump(rows, open(f'{out}/{name}.vectors.json', 'w'))
    if m.startswith(('supervised', 'firstword', 'synthetic-supervised')):
        preds = []
        for s in sentences:
            # The binding's low-level predict takes the line's bytes (with the newline the CLI sees).
            res = model.f.predict(s + b'\n', 10 if m.startswith('firstword') else -1, 0.0, 'strict')
            preds.append({'hex': s.hex(), 'predictions': [[label, float(p)] for p, label in res]})
        json.dump(preds, open(f'{out}/{name}.predict.json', 'w'))
EOF
# Nearest neighbours, analogies and sentence vectors (and the model they are recorded on).
bash scripts/fasttext-query-fixtures.sh
ls -l "$OUT"
du -sb "$OUT"
