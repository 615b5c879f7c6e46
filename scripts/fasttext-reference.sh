#!/usr/bin/env bash
# The Debian fastText 0.9.2 side of the FastText quality test (test/train/fasttext/quality.test.ts):
# trains `fasttext skipgram` on the shipped text8 slice the test trains on, with the test's settings,
# for a few seeds, one thread, and writes what the test's evaluator (test/train/fasttext/quality-eval.ts:
# Google analogies by section, misspelt OOV words near the word meant) says of each model, plus the CPU
# seconds, to test/train/fasttext/reference.json. The test compares wasm2vec's numbers with these.
#
#   apt-get install -y fasttext      # Debian 12: 0.9.2+ds
#   bash scripts/fasttext-reference.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v fasttext >/dev/null || { echo "needs Debian's fasttext: apt-get install -y fasttext" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# The settings of test/train/fasttext/quality-settings.ts (kept in one place: read from there).
eval "$(npx tsx test/train/fasttext/quality-settings.ts --shell)"
npx tsx -e "import { writeFileSync } from 'node:fs'; import { text8Slice } from './test/helpers/data.ts';
writeFileSync('$TMP/slice.txt', text8Slice($BYTES), 'latin1');"
RESULTS=()
for SEED in $SEEDS; do
  /usr/bin/time -f '%U %S' -o "$TMP/time.txt" fasttext skipgram -input "$TMP/slice.txt" -output "$TMP/model-$SEED" \
    -dim "$DIM" -ws "$WS" -epoch "$EPOCH" -minCount "$MINCOUNT" -neg "$NEG" -lr "$LR" -minn "$MINN" -maxn "$MAXN" \
    -bucket "$BUCKET" -t "$T" -thread 1 -seed "$SEED" -verbose 0
  CPU=$(awk '{ print $1 + $2 }' "$TMP/time.txt")
  RESULTS+=("$(npx tsx test/train/fasttext/evaluate-bin.ts "$TMP/model-$SEED.bin" "$SEED" "$CPU")")
done
{
  echo '{'
  echo "  \"tool\": \"$(dpkg-query -W -f='fastText ${Version}' fasttext 2>/dev/null || echo fastText)\","
  echo "  \"command\": \"fasttext skipgram -dim $DIM -ws $WS -epoch $EPOCH -minCount $MINCOUNT -neg $NEG -lr $LR -minn $MINN -maxn $MAXN -bucket $BUCKET -t $T -thread 1 -seed SEED\","
  echo "  \"sliceBytes\": $BYTES,"
  echo '  "runs": ['
  printf '    %s' "${RESULTS[0]}"
  for r in "${RESULTS[@]:1}"; do printf ',\n    %s' "$r"; done
  echo
  echo '  ]'
  echo '}'
} > test/train/fasttext/reference.json
cat test/train/fasttext/reference.json
