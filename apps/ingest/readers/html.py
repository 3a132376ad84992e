"""Saved news pages: main text and metadata through trafilatura, with a plain <title>/<p> fallback."""

from __future__ import annotations

from html.parser import HTMLParser

from .base import RawArticle, ReaderError
from .dates import parse_any
from .lines import build_body, known_outlet
from .plaintext import derive_title
from .text import clean


class _Paragraphs(HTMLParser):
    """<title> and the text of visible <p> elements, for pages trafilatura cannot make sense of."""

    _HIDDEN = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title, self.paragraphs = "", []
        self._hidden, self._in_title, self._para = 0, False, None

    def handle_starttag(self, tag, attrs):
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "p" and not self._hidden:
            self._para = []

    def handle_endtag(self, tag):
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag == "title":
            self._in_title = False
        elif tag == "p" and self._para is not None:
            self.paragraphs.append(" ".join("".join(self._para).split()))
            self._para = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif self._para is not None and not self._hidden:
            self._para.append(data)


def read_html(text: str, *, name: str, default_outlet: str | None = None) -> list[RawArticle]:
    import trafilatura  # heavy (lxml, htmldate); only HTML imports pay for it

    doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False, output_format="python")
    extracted = clean(doc.text) if doc is not None else ""
    meta = {
        key: getattr(doc, key, None) if doc is not None else None
        for key in ("title", "author", "date", "url", "sitename", "description", "hostname")
    }
    if not extracted:
        fallback = _Paragraphs()
        fallback.feed(text)
        fallback.close()
        extracted = "\n".join(p for p in fallback.paragraphs if p)
        meta["title"] = meta["title"] or clean(fallback.title)
    lines = extracted.split("\n")
    if lines and meta["title"] and lines[0].strip() == clean(meta["title"]):  # trafilatura keeps the <h1>
        lines = lines[1:]
    body = build_body(lines)
    if not body.lines:
        raise ReaderError("no article text found in the HTML page", name=name, code="no_body")

    metadata = body.metadata
    if meta["description"]:
        metadata["description"] = clean(meta["description"])
    title = clean(meta["title"])
    if not title:
        title = derive_title(body.lines[0])
        metadata["title_derived"] = True
    author, sitename = clean(meta["author"]), clean(meta["sitename"])
    site_outlet = known_outlet(sitename) or sitename
    # Same precedence as plain text: an agency credited in the byline or dateline wrote it; the site carried it.
    outlet = known_outlet(author) or body.dateline_outlet or site_outlet or default_outlet or ""
    if site_outlet and site_outlet != outlet:
        metadata["republished_by"] = site_outlet
    return [
        RawArticle(
            title=title,
            text="\n".join(body.lines),
            outlet=outlet,
            byline=author,
            published=parse_any(meta["date"]) if meta["date"] else None,
            url=clean(meta["url"]),
            dateline=body.dateline,
            metadata=metadata,
            source_line=1,
        )
    ]
