"""Scoring quote extraction against the gold standard in ``shared/gold`` (format: its README).

Definitions, so that figures are comparable from run to run:

- **Overlap** of a predicted and a gold span = ``|intersection| / max(|gold|, |pred|)`` in characters. It is
  symmetric and punishes both a too-short and a too-long span.
- **Matching** is one-to-one and greedy by decreasing overlap (ties: file order), done separately for the
  lenient (overlap >= 0.3) and strict (>= 0.8) thresholds. A matched pair is a true positive; unmatched
  predictions are false positives and unmatched gold quotes false negatives. Figures are micro-averaged.
- **Scope**: a prediction belongs to the article whose body (``first_words`` .. ``last_words``) contains it;
  predictions outside every body, or wholly inside a boilerplate line or crosshead within a body, are
  ignored (the app imports bodies only). A prediction that matches no gold quote but overlaps a
  ``borderline_quotes`` span by >= 0.3 is ignored too: borderline cases are neither rewarded nor penalised.
- **Speaker accuracy** is over lenient matches: the predicted canonical name equals the gold speaker's
  name or one of its aliases, case-insensitive and without a leading article ("The State Department" is
  "State Department", as the gold README writes names); a null gold speaker needs a null prediction.
- **Recall by kind** is the lenient recall of the gold quotes of each kind (direct / indirect / mixed).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

LENIENT = 0.3
STRICT = 0.8


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    speaker: str | None = None
    text: str = ""
    kind: str | None = None  # gold quotes: direct / indirect / mixed


KINDS = ("direct", "indirect", "mixed")

_ARTICLES = ("the ", "a ", "an ")


def name_key(name: str) -> str:
    """A speaker name as compared: case-folded, spaces collapsed, without a leading article."""
    key = " ".join(name.casefold().split())
    for article in _ARTICLES:
        if key.startswith(article):
            return key[len(article) :]
    return key


@dataclass(slots=True)
class GoldArticle:
    file: str
    index: int
    title: str
    body: tuple[int, int]
    quotes: list[Span]
    speaker_names: dict[str, set[str]]  # gold speaker name -> accepted names (``name_key``)
    borderline: list[Span] = field(default_factory=list)
    excluded: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class PRF:
    tp: int = 0
    gold: int = 0
    predicted: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __iadd__(self, other: PRF) -> PRF:
        self.tp += other.tp
        self.gold += other.gold
        self.predicted += other.predicted
        return self


@dataclass(slots=True)
class ArticleScore:
    file: str
    index: int
    lenient: PRF
    strict: PRF
    speaker_correct: int
    speaker_total: int
    by_kind: dict[str, PRF] = field(default_factory=dict)  # lenient recall of the gold quotes of each kind

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_correct / self.speaker_total if self.speaker_total else 1.0


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / max(a[1] - a[0], b[1] - b[0])


def match(gold: Sequence[Span], pred: Sequence[Span], threshold: float) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index) with overlap >= threshold, best overlaps first."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            o = overlap((g.start, g.end), (p.start, p.end))
            if o >= threshold:
                pairs.append((-o, gi, pi))
    pairs.sort()
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def score_article(article: GoldArticle, predictions: Iterable[Span]) -> ArticleScore:
    """Score the predictions that fall in this article's body (see the module doc for the rules)."""
    preds = [
        p
        for p in predictions
        if article.body[0] <= p.start
        and p.end <= article.body[1]
        and not any(s <= p.start and p.end <= e for s, e in article.excluded)
    ]
    lenient_pairs = match(article.quotes, preds, LENIENT)
    matched = {pi for _, pi in lenient_pairs}
    ignored = {
        pi
        for pi, p in enumerate(preds)
        if pi not in matched and any(overlap((b.start, b.end), (p.start, p.end)) >= LENIENT for b in article.borderline)
    }
    kept = [p for pi, p in enumerate(preds) if pi not in ignored]
    lenient_pairs = match(article.quotes, kept, LENIENT)
    strict_pairs = match(article.quotes, kept, STRICT)
    correct = 0
    for gi, pi in lenient_pairs:
        g, p = article.quotes[gi], kept[pi]
        if g.speaker is None:
            correct += p.speaker is None
        else:
            accepted = article.speaker_names.get(g.speaker, {name_key(g.speaker)})
            correct += p.speaker is not None and name_key(p.speaker) in accepted
    n_gold, n_pred = len(article.quotes), len(kept)
    found = {gi for gi, _ in lenient_pairs}
    by_kind: dict[str, PRF] = {}
    for gi, g in enumerate(article.quotes):
        prf = by_kind.setdefault(g.kind or "unknown", PRF())
        prf.gold += 1
        prf.tp += gi in found
    return ArticleScore(
        file=article.file,
        index=article.index,
        lenient=PRF(len(lenient_pairs), n_gold, n_pred),
        strict=PRF(len(strict_pairs), n_gold, n_pred),
        speaker_correct=correct,
        speaker_total=len(lenient_pairs),
        by_kind=by_kind,
    )


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def _locate(text: str, line_starts: list[int], snippet: str, line: int | None, after: int = 0) -> tuple[int, int]:
    if line is not None and 1 <= line <= len(line_starts):
        lo = line_starts[line - 1]
        hi = line_starts[line] if line < len(line_starts) else len(text)
        k = text.find(snippet, lo, hi)
        if k >= 0:
            return k, k + len(snippet)
    k = text.find(snippet, after)
    if k < 0:
        k = text.find(snippet)
    if k < 0:
        raise ValueError(f"gold text not found in seed file: {snippet[:60]!r}")
    return k, k + len(snippet)


def load_gold(gold_dir: str | Path, seeds_dir: str | Path) -> dict[str, tuple[str, list[GoldArticle]]]:
    """Seed file name -> (its text, its gold articles in file order)."""
    gold_dir, seeds_dir = Path(gold_dir), Path(seeds_dir)
    articles_meta = json.loads((gold_dir / "articles.json").read_text(encoding="utf-8"))
    out: dict[str, tuple[str, list[GoldArticle]]] = {}
    cursors: dict[str, int] = {}
    for meta in articles_meta:
        fname = meta["file"]
        if fname not in out:
            text = (seeds_dir / fname).read_text(encoding="utf-8")
            out[fname] = (text, [])
            cursors[fname] = 0
        text, articles = out[fname]
        cursor = cursors[fname]
        first = text.find(meta["first_words"], cursor)
        last = text.find(meta["last_words"], max(first, 0))
        if first < 0 or last < 0:
            raise ValueError(f"{fname} article {meta['index']}: body words not found")
        body = (first, last + len(meta["last_words"]))
        cursors[fname] = body[1]
        excluded = []
        for line in [*meta.get("boilerplate_excluded", []), *meta.get("subheadings", [])]:
            k = text.find(line, body[0], body[1])
            if k >= 0:
                excluded.append((k, k + len(line)))
        stem = Path(fname).stem
        path = gold_dir / f"{stem}__{meta['index']}.json"
        gold = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        starts = _line_starts(text)
        names = {}
        for sp in gold.get("speakers", []):
            names[sp["name"]] = {name_key(sp["name"]), *(name_key(a) for a in sp.get("aliases", []))}
        quotes = []
        for q in gold.get("quotes", []):
            s, e = _locate(text, starts, q["text"], q.get("line"), body[0])
            quotes.append(Span(s, e, q.get("speaker"), q["text"], q.get("kind")))
        borderline = []
        for b in gold.get("borderline_quotes", []):
            s, e = _locate(text, starts, b["text"], b.get("line"), body[0])
            borderline.append(Span(s, e, None, b["text"]))
        articles.append(
            GoldArticle(
                file=fname,
                index=meta["index"],
                title=meta.get("title", ""),
                body=body,
                quotes=quotes,
                speaker_names=names,
                borderline=borderline,
                excluded=excluded,
            )
        )
    return out


@dataclass(slots=True)
class Report:
    articles: list[ArticleScore]
    lenient: PRF
    strict: PRF
    speaker_correct: int
    speaker_total: int

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_correct / self.speaker_total if self.speaker_total else 1.0

    def recall_by_kind(self) -> dict[str, PRF]:
        """Lenient recall of the gold quotes of each kind, over all articles."""
        out = {k: PRF() for k in KINDS}
        for a in self.articles:
            for kind, prf in a.by_kind.items():
                out.setdefault(kind, PRF())
                out[kind] += prf
        return out

    def summary(self) -> dict[str, float | int]:
        return {
            "lenient_f1": round(self.lenient.f1, 4),
            "strict_f1": round(self.strict.f1, 4),
            "speaker_accuracy": round(self.speaker_accuracy, 4),
            "lenient_precision": round(self.lenient.precision, 4),
            "lenient_recall": round(self.lenient.recall, 4),
            "strict_precision": round(self.strict.precision, 4),
            "strict_recall": round(self.strict.recall, 4),
            "gold": self.lenient.gold,
            "predicted": self.lenient.predicted,
        }


def evaluate(
    gold_dir: str | Path,
    seeds_dir: str | Path,
    extract: Callable[[str], Iterable[Span]],
) -> Report:
    """Run ``extract`` (text -> predicted spans) on each seed file and score every gold article."""
    scores: list[ArticleScore] = []
    for _fname, (text, articles) in load_gold(gold_dir, seeds_dir).items():
        preds = list(extract(text))
        scores.extend(score_article(a, preds) for a in articles)
    lenient, strict = PRF(), PRF()
    correct = total = 0
    for s in scores:
        lenient += s.lenient
        strict += s.strict
        correct += s.speaker_correct
        total += s.speaker_total
    return Report(scores, lenient, strict, correct, total)


def spacy_extractor(text: str) -> list[Span]:
    """The production extractor as an ``extract`` callable (imports spaCy lazily)."""
    from .pipeline import get_nlp

    return quote_spans(get_nlp()(text))


def quote_spans(doc) -> list[Span]:
    """The extractor's quotes of a parsed text, as scored spans."""
    from .quotes import extract_quotes

    quotes, _ = extract_quotes(doc)
    return [Span(q.start, q.end, q.speaker, q.text) for q in quotes]


def format_report(report: Report) -> str:
    lines = [
        f"{'file':32} {'n':>2} {'gold':>4} {'pred':>4} {'len P':>6} {'len R':>6} {'len F1':>6} "
        f"{'str P':>6} {'str R':>6} {'str F1':>6} {'spk acc':>7}"
    ]
    for s in report.articles:
        lines.append(
            f"{s.file:32} {s.index:>2} {s.lenient.gold:>4} {s.lenient.predicted:>4} "
            f"{s.lenient.precision:6.3f} {s.lenient.recall:6.3f} {s.lenient.f1:6.3f} "
            f"{s.strict.precision:6.3f} {s.strict.recall:6.3f} {s.strict.f1:6.3f} {s.speaker_accuracy:7.3f}"
        )
    r = report
    lines.append(
        f"{'OVERALL':32} {'':>2} {r.lenient.gold:>4} {r.lenient.predicted:>4} "
        f"{r.lenient.precision:6.3f} {r.lenient.recall:6.3f} {r.lenient.f1:6.3f} "
        f"{r.strict.precision:6.3f} {r.strict.recall:6.3f} {r.strict.f1:6.3f} {r.speaker_accuracy:7.3f}"
    )
    lines.append(
        "recall by kind (lenient): "
        + ", ".join(f"{k} {p.recall:.3f} ({p.tp}/{p.gold})" for k, p in report.recall_by_kind().items() if p.gold)
    )
    lines.append(json.dumps(report.summary()))
    return "\n".join(lines)
