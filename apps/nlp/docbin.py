"""spaCy DocBin files for training, built from plain data (no Django models).

Each :class:`TrainingText` becomes one ``Doc`` made with the pipeline's tokenizer only (``nlp.make_doc``: fast,
and the tokens match the model that will be trained). Span categories go under one ``spans`` key (``"sc"`` by
default, what spaCy's ``spancat`` reads); entities become ``doc.ents``. Character offsets that do not fall on
token boundaries are expanded to the enclosing tokens; overlapping entities keep the longest (``filter_spans``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

DEFAULT_SPANS_KEY = "sc"


@dataclass(frozen=True, slots=True)
class LabeledSpan:
    start: int  # code-point offsets, half-open [start, end)
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class TrainingText:
    text: str
    spans: tuple[LabeledSpan, ...] = ()
    ents: tuple[LabeledSpan, ...] = ()
    user_data: dict = field(default_factory=dict)  # e.g. {"article_id": 3}; kept in the DocBin


@dataclass(slots=True)
class DocBinResult:
    data: bytes
    docs: int = 0
    spans: int = 0
    ents: int = 0
    skipped: int = 0  # spans or entities that matched no token at all (e.g. whitespace only)


def docbin_build(
    texts: Iterable[TrainingText], *, spans_key: str = DEFAULT_SPANS_KEY, model: str | None = None
) -> DocBinResult:
    """Serialise ``texts`` as a DocBin; returns the bytes and counts of what went in."""
    # spaCy is imported here, not at module level: the plain types above are used by processes (CSV exports)
    # that should not pay for loading spaCy.
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    from .pipeline import get_nlp

    nlp = get_nlp(model)
    docbin = DocBin(store_user_data=True)
    result = DocBinResult(data=b"")
    for item in texts:
        doc = nlp.make_doc(item.text)
        spans = []
        seen = set()
        for s in item.spans:
            span = doc.char_span(s.start, s.end, label=s.label, alignment_mode="expand")
            if span is None or len(span) == 0:
                result.skipped += 1
                continue
            key = (span.start, span.end, s.label)
            if key not in seen:  # double annotation gives the same span twice
                seen.add(key)
                spans.append(span)
        doc.spans[spans_key] = spans
        ents = []
        for e in item.ents:
            span = doc.char_span(e.start, e.end, label=e.label, alignment_mode="expand")
            if span is None or len(span) == 0:
                result.skipped += 1
                continue
            ents.append(span)
        doc.ents = filter_spans(ents)
        if item.user_data:
            doc.user_data.update(item.user_data)
        docbin.add(doc)
        result.docs += 1
        result.spans += len(spans)
        result.ents += len(doc.ents)
    result.data = docbin.to_bytes()
    return result
