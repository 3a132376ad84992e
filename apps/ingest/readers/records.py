"""One record (a JSONL object or a CSV row) -> RawArticle; shared by the JSONL and CSV readers."""

from __future__ import annotations

from .base import RawArticle, ReaderError
from .dates import read_date
from .text import clean

# Accepted spellings of each RawArticle field, canonical name first.
FIELDS = {
    "title": ("title", "headline"),
    "text": ("text", "body", "content"),
    # database exports name the outlet column differently (ProQuest "pubtitle", Factiva "source name")
    "outlet": ("outlet", "source", "publication", "publisher", "newspaper", "pubtitle", "source name"),
    "byline": ("byline", "author"),
    "published": ("published", "date", "pubdate", "publication date", "date published"),
    "url": ("url",),
    "dateline": ("dateline",),
}
ALIASES = {alias: canonical for canonical, aliases in FIELDS.items() for alias in aliases}
# Keys of a pre-annotated record (README "Pre-annotated import"); kept apart from metadata for apps.ingest.preannotated.
ANNOTATION_KEYS = ("spans", "entities", "quotes", "annotator", "nlp")


def record_to_article(record: dict, *, name: str, line: int, default_outlet: str | None) -> RawArticle:
    values: dict[str, object] = {}
    metadata: dict = {}
    annotations: dict = {}
    for key, value in record.items():
        if key in ANNOTATION_KEYS:
            annotations[key] = value
            continue
        canonical = ALIASES.get(" ".join(str(key).replace("_", " ").split()).lower())
        if canonical and canonical not in values:  # the first spelling wins; a second one is kept as metadata
            values[canonical] = value
        elif key == "metadata" and isinstance(value, dict):  # our own JSONL export nests it
            metadata.update(value)
        elif value not in (None, ""):
            metadata[str(key)] = value
    for key, value in values.items():
        if value is not None and not isinstance(value, (str, int, float)):
            raise ReaderError(f"field {key!r} must be text, not {type(value).__name__}", name=name, line=line)
    title, text = clean(values.get("title")), clean(values.get("text"))
    for key, value in (("title", title), ("text", text)):
        if not value:
            raise ReaderError(f"missing or empty {key!r}", name=name, line=line, code="missing_field")
    # A date that cannot be read costs the date, never the article: it is left empty with a warning.
    warnings = []
    published, why = read_date(clean(values.get("published")))
    if why:
        raw = clean(values.get("published"))[:60]
        warnings.append(f"{name}, line {line}: date {raw!r} not read ({why}); left empty")
    return RawArticle(
        title=title,
        text=text,
        outlet=clean(values.get("outlet")) or default_outlet or "",
        byline=clean(values.get("byline")),
        published=published,
        url=clean(values.get("url")),
        dateline=clean(values.get("dateline")),
        metadata=metadata,
        source_line=line,
        warnings=warnings,
        annotations={**annotations, "source_text": str(values["text"])} if annotations else None,
    )
