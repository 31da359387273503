"""The scikit-learn side of the discovery benchmark: TF-IDF + k-means on a labelled corpus.

Reads a JSON Lines corpus ({"id", "text", "label"}, other fields ignored), and for each seed
times TfidfVectorizer (sublinear tf, the same document-frequency cut-offs as luister) plus KMeans
(k-means++, n_init restarts) at the given k, then prints AMI, ARI and wall time per seed and
mean ± sd over the seeds. luister's side is `luister bench discovery` on the same file.

    python compare.py corpus.jsonl --k 8 --seeds 10
"""

import argparse
import json
import statistics
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score
from threadpoolctl import threadpool_info


def read_corpus(path):
    texts, labels = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                texts.append(row["text"])
                labels.append(str(row["label"]))
    return texts, labels


def mean_sd(xs):
    return statistics.mean(xs), (statistics.stdev(xs) if len(xs) > 1 else 0.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--k", type=int, required=True)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--n-init", type=int, default=4, help="k-means++ restarts (luister: 4)")
    ap.add_argument("--min-df", type=int, default=3)
    ap.add_argument("--max-df", type=float, default=0.5)
    ap.add_argument("--stop-words", choices=["none", "english"], default="none")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()

    texts, labels = read_corpus(args.corpus)
    names = sorted(set(labels))
    truth = np.array([names.index(label) for label in labels])
    print(
        f"scikit-learn {sklearn.__version__}, numpy {np.__version__}; "
        f"{len(texts)} stories, {len(names)} labels, k = {args.k}, n_init = {args.n_init}",
        file=sys.stderr,
    )
    for pool in threadpool_info():
        print(f"  {pool['user_api']}: {pool['internal_api']} {pool.get('architecture', '')} "
              f"threads={pool['num_threads']}", file=sys.stderr)

    runs = []
    for seed in range(args.seeds):
        start = time.perf_counter()
        vectorizer = TfidfVectorizer(
            sublinear_tf=True,
            min_df=args.min_df,
            max_df=args.max_df,
            strip_accents="unicode",
            stop_words=None if args.stop_words == "none" else args.stop_words,
        )
        x = vectorizer.fit_transform(texts)
        km = KMeans(n_clusters=args.k, init="k-means++", n_init=args.n_init, random_state=seed)
        pred = km.fit_predict(x)
        seconds = time.perf_counter() - start
        run = {
            "seed": seed,
            "ami": adjusted_mutual_info_score(truth, pred),
            "ari": adjusted_rand_score(truth, pred),
            "seconds": seconds,
            "vocabulary": len(vectorizer.vocabulary_),
        }
        runs.append(run)
        print(f"  seed {seed} ami {run['ami']:.4f} ari {run['ari']:.4f} t {seconds:.3f} "
              f"vocab {run['vocabulary']}", file=sys.stderr)

    summary = {key: mean_sd([r[key] for r in runs]) for key in ("ami", "ari", "seconds")}
    print(f"scikit-learn TF-IDF + KMeans: {len(texts)} stories, {len(names)} labels, "
          f"k = {args.k}, {args.seeds} seeds")
    print(f"  AMI           {summary['ami'][0]:.4f} ± {summary['ami'][1]:.4f}")
    print(f"  ARI           {summary['ari'][0]:.4f} ± {summary['ari'][1]:.4f}")
    print(f"  wall time, s  {summary['seconds'][0]:.4f} ± {summary['seconds'][1]:.4f}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"runs": runs, "summary": summary, "args": vars(args)}, f, indent=2)


if __name__ == "__main__":
    main()
