"""Build ``apps/nlp/data/given_names.json`` from nomquamgender's name data (MIT licence, Ian Van Buskirk).

Run once, by hand, when the list should change (the app never downloads anything)::

    pip download nomquamgender==0.1.4 --no-deps -d /tmp/nqg && unzip -o /tmp/nqg/*.whl -d /tmp/nqg
    python apps/nlp/data/sources/given_names.py /tmp/nqg/nomquamgender/name_data.json

Kept: alphabetic given names seen at least ``MIN_COUNT`` times whose share of women is at most 5 % or at least
95 % (ambiguous names such as "Jean", "Kim", "Andrea" or "Jan" are left out: they decide nothing).
"""

import json
import sys
from pathlib import Path

MIN_COUNT = 300
OUT = Path(__file__).resolve().parent.parent / "given_names.json"


def main(source: str) -> None:
    data = json.loads(Path(source).read_text(encoding="utf-8"))
    female, male = [], []
    for name, (_sources, count, p_female, *_rest) in data.items():
        if count < MIN_COUNT or not name.isalpha() or len(name) < 2:
            continue
        if p_female >= 0.95:
            female.append(name)
        elif p_female <= 0.05:
            male.append(name)
    doc = (
        "Given names whose bearers are almost all women or almost all men (>= 95 %), lower case, from "
        f"nomquamgender 0.1.4's name data (MIT licence, Ian Van Buskirk; counts >= {MIN_COUNT}). Used only as a prior for "
        "he/she agreement; what the text says (a pronoun resolved, a gendered title) wins. Rebuild with "
        "sources/given_names.py."
    )
    out = {"_doc": doc, "female": sorted(female), "male": sorted(male)}
    OUT.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(female)} female, {len(male)} male")


if __name__ == "__main__":
    main(sys.argv[1])
