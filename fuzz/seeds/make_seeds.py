#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets from the repository's own data: the demo
campaign, the scrubber test sentences, the query examples of src/search/query.rs and the
import lines and forms of the integration tests. Run from fuzz/: python3 seeds/make_seeds.py
(then `cargo +nightly fuzz cmin <target>` keeps only what adds coverage)."""

import hashlib
import json
import os
import re
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def write(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


# The first byte of form, answer and import inputs picks the campaign (bit 0: demo or strict)
# and the form's language (bit 1).
PICKS = [b"\x00", b"\x01", b"\x02", b"\x03"]

GOOD_FORM = [
    ("lang", "nl"), ("prompt", "zelf-geregeld"),
    ("text", "Mijn buurvrouw Fatima hielp me met mijn huiswerk toen het thuis even niet ging. Bel haar gerust op 06-12345678."),
    ("title", "Hulp van de buren"), ("perspective", "youth"), ("age_band", "16-17"), ("region", "JZ01"),
    ("a.wat_hielp.0", "60"), ("a.wat_hielp.1", "10"), ("a.wat_hielp.2", "30"),
    ("a.wat_telde.0", "40,5"), ("a.wat_telde.1", " 20 % "), ("a.wat_telde.2", ""),
    ("a.regie", "70"), ("skip.steun", "1"), ("a.steun", "50"), ("a.gevoel", "opgelucht"),
    ("a.wie_hielp", "buurt"), ("a.wie_hielp", "familie"), ("a.hoe_vaak", "soms"), ("consent", "yes"),
]
forms = [
    GOOD_FORM,
    [(k, v) for k, v in GOOD_FORM if k != "consent"],
    GOOD_FORM[:4] + [("perspective", "parent"), ("age_band", "12-15"), ("region", "GM0518"), ("consent", "yes"),
                     ("consent_guardian", "yes"), ("untouched.regie", "1"), ("a.regie", "")],
    [("text", "te kort"), ("perspective", "alien"), ("a.wat_hielp.0", "abc"), ("a.regie", "150"),
     ("a.gevoel", "euforisch"), ("a.gevoel", "boos"), ("prompt", "bestaat-niet"), ("age_band", "u12")],
    [("text", "Ik heet Jan-Willem de Vries, mail me op jw@example.nl of bel 0612345678."), ("perspective", "professional"),
     ("prompt", "wat-nodig"), ("a.wat_hielp.0", "1e308"), ("a.wat_hielp.1", "1e308"), ("a.wat_hielp.2", "1e308"),
     ("consent", "yes"), ("website", "")],
]
for i, form in enumerate(forms):
    write("form_fields", PICKS[i % 4] + urllib.parse.urlencode(form).encode())

answers = [
    {"wat_telde": [1, 2, 1], "regie": 0.25, "gevoel": "boos", "wie_hielp": ["school"], "steun": None},
    {"wat_hielp": [0.7, 0.1, 0.2], "wat_telde": [0, 0, 100], "steun": 1, "hoe_vaak": "altijd"},
    {"wat_telde": [0, 0, 0], "regie": 1.5, "gevoel": "euforisch", "bestaat_niet": 1},
    {"wie_hielp": ["niemand", "online", "niemand"], "gevoel": ["blij", "boos"], "hoe_vaak": 2},
    {"wat_hielp": [1e308, 1e308, 1e308], "regie": -0.0, "steun": 5e-324},
    {"wat_hielp": None, "wat_telde": [1, 2], "regie": "0.5", "gevoel": None, "wie_hielp": "blij"},
]
for i, a in enumerate(answers):
    write("signifier_answers", PICKS[i % 2] + json.dumps(a, ensure_ascii=False).encode())

transfer = read("tests/api/transfer.rs")
lines = re.search(r'const LINES: &str = r#"(.*?)"#;', transfer, re.S).group(1)
write("import_jsonl", b"\x00" + lines.encode())
extra = [
    {"campaign": "eigen-netwerk", "id": "0b7c9c4e-3f7e-4a36-9a55-1f1a1e0c2d11", "external_id": "x\u202e1",
     "text": "Mijn oom Ahmed uit Tilburg hielp me, zijn nummer is 013-1234567.", "perspective": "other",
     "language": "nl", "age_band": "23-29", "region": "JZ05", "prompt": "wat-nodig",
     "answers": {"wat_hielp": [20, 30, 50], "regie": 0.5, "wie_hielp": ["familie"], "steun": None},
     "tags": [{"theme": "Informeel netwerk", "state": "accepted", "source": "manual", "confidence": 0.9,
               "at": "2025-03-01T10:00:00Z"}]},
    {"campaign": "eigen-netwerk", "id": "geen-uuid", "text": "Een verhaal met een id dat geen UUID is hier.",
     "perspective": "youth", "tags": [{"theme": " ", "state": "maybe"}]},
]
write("import_jsonl", b"\x01" + "\n".join(json.dumps(e, ensure_ascii=False) for e in extra).encode())

header = ("id,campaign,external_id,created_at,language,perspective,age_band,region,prompt,title,text,tags,"
          "wat_hielp.0,wat_hielp.1,wat_hielp.2,wat_telde.0,wat_telde.1,wat_telde.2,regie,steun,gevoel,wie_hielp,hoe_vaak")
rows = [
    ",eigen-netwerk,a1,2025-03-01T10:00:00Z,nl,youth,16-17,JZ01,zelf-geregeld,Hulp,"
    "\"Mijn opa hielp mij elke week met mijn huiswerk, en dat werkte beter dan de bijles.\","
    "accepted:manual:Wachtlijsten | rejected:model:School,0.7,0.1,0.2,n/a,n/a,n/a,0.25,,blij,familie;school,soms",
    ",eigen-netwerk,a2,,,parent,,,wat-nodig,,'=Bel mevrouw Jansen op 06-98765432 voor de wachtlijst.,,,,,1,2,1,n/a,0.5,boos,,",
    ",eigen-netwerk,,niet-een-datum,,youth,,,,,te kort,,x,,,,,,2,,,,",
]
write("import_csv", b"\x00" + (header + "\n" + "\n".join(rows) + "\n").encode())
write("import_csv", b"\x01" + (header + "\r\n" + rows[0] + "\r\n").encode())

query = read("src/search/query.rs")
block = re.search(r"//! ```text\n(.*?)//! ```", query, re.S).group(1)
for line in block.splitlines():
    q = re.split(r"\s{3,}", line[4:].strip())[0]
    if q:
        write("query_parser", q)
for q in re.findall(r'parse(?:_with)?\(\s*"((?:[^"\\]|\\.)*)"', query):
    write("query_parser", q.encode().decode("unicode_escape").encode("latin-1").decode("utf-8", "replace"))

for path in ["tests/data/scrub/annotated.txt", "tests/data/scrub/blind_round1.txt",
             "tests/data/scrub/blind_round2.txt", "tests/data/scrub/heldout.txt"]:
    for line in read(path).splitlines():
        if line.startswith("#") or not line.strip():
            continue
        # [[kind|text]] marks a detail: the scrubber gets the plain sentence.
        write("scrubber", re.sub(r"\[\[[a-z-]+\|(.*?)\]\]", r"\1", line.split("\t")[0]))

write("campaign_toml", read("campaigns/eigen-netwerk.toml"))
draft = read("campaigns/eigen-netwerk.toml").replace('status = "open"', 'status = "draft"').replace(
    'region = "region"', 'region = "municipality"')
write("campaign_toml", draft)
