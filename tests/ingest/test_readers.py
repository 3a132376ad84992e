"""The import readers: article split of the gold seed files, other outlets' shapes, JSONL, CSV, HTML, bad input."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from apps.corpus.text import normalize_text
from apps.ingest.readers import RawArticle, ReaderError, ReadOptions, read_articles

DATA = Path(__file__).resolve().parent / "data"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
GOLD = SHARED / "gold" / "articles.json"


def read(data: bytes | str, name: str = "sample.txt", **kwargs) -> list[RawArticle]:
    return list(read_articles(data.encode() if isinstance(data, str) else data, name=name, **kwargs))


# --- gold seed files ----------------------------------------------------------------------------------------


def _gold() -> list[dict]:
    return json.loads(GOLD.read_text(encoding="utf-8")) if GOLD.exists() else []


needs_shared = pytest.mark.skipif(not GOLD.exists(), reason=f"shared gold folder not found at {SHARED}")


@cache
def _seed_articles(file: str) -> list[RawArticle]:
    return read((SHARED / "seeds" / file).read_bytes(), name=file)


def _accepted(gold: dict, key: str) -> list:
    return [gold.get(key), *gold.get("alternatives", {}).get(key, [])]


@needs_shared
@pytest.mark.parametrize("file", sorted({g["file"] for g in _gold()}))
def test_seed_file_splits_into_gold_article_count(file):
    expected = [g for g in _gold() if g["file"] == file]
    assert len(_seed_articles(file)) == len(expected)


@needs_shared
@pytest.mark.parametrize("gold", _gold(), ids=lambda g: f"{g['file']}#{g['index']}")
def test_seed_article_matches_gold(gold):
    articles = _seed_articles(gold["file"])
    assert len(articles) >= gold["index"], "article missing"
    article = articles[gold["index"] - 1]

    assert article.title in _accepted(gold, "title")
    assert article.metadata.get("title_derived", False) == gold["title_derived"]
    assert article.outlet in _accepted(gold, "outlet")
    assert article.byline == (gold["byline"] or "")
    published = article.published.isoformat() if article.published else None
    assert published in _accepted(gold, "published")
    assert article.dateline == (gold["dateline"] or "")
    if gold.get("republished_by"):
        assert article.metadata.get("republished_by") == gold["republished_by"]

    assert any(article.text.startswith(words) for words in _accepted(gold, "first_words"))
    assert article.text.endswith(gold["last_words"])
    for line in gold["boilerplate_excluded"]:
        assert line not in article.text
    for subheading in gold["subheadings"]:
        assert subheading in article.text.split("\n")
    assert article.metadata.get("subheadings", []) == gold["subheadings"]


@needs_shared
def test_seed_boilerplate_is_kept_in_metadata():
    reuters = _seed_articles("000_9927338dd184a820.txt")[2]
    assert len(reuters.metadata["summary"]) == 4
    assert reuters.metadata["promos"][0].endswith("Sign up here.")
    assert reuters.metadata["credits"][0].startswith("Reporting by")
    caption = _seed_articles("003_a13d506e6a443bfa.txt")[0].metadata["captions"][0]
    assert caption.endswith("(Xinhua/Zhai Jianlan)")


# --- plain text from other outlets ----------------------------------------------------------------------------


def test_ap_style_article_with_person_byline_published_line_and_dateline():
    [article] = read((DATA / "ap_style.txt").read_bytes(), name="ap_style.txt")
    assert article.title == "Britain and Japan sign defence pact as tensions rise in Asia"
    assert article.byline == "Jane Smith"
    assert article.published == dt.date(2025, 6, 3)
    assert article.dateline == "LONDON (AP) —"
    assert article.outlet == "AP"
    assert article.text.startswith("Britain and Japan signed a defence agreement")
    assert article.text.endswith("“a historic step.”")
    assert "AP Photo" not in article.text and "contributed to this report" not in article.text
    # A single-article file: the sentence-case crosshead stays in the body instead of opening an article.
    assert article.metadata["subheadings"] == ["What the agreement covers", "A SHIFT EASTWARD"]


WIRE = """\
Russia, Belarus hold joint drills near border
By TASS May 10, 2025
MOSCOW, May 10. /TASS/. Russian and Belarusian troops began joint exercises on Saturday, the defence ministry said.
The drills will last five days.

France calls for ceasefire talks in Geneva
By Marie Dupont, AFP
Published: May 11, 2025 at 14:05 GMT
PARIS, May 11 (AFP) - France on Sunday called for talks on a ceasefire to be held in Geneva next month.
Editing by Luc Martin

Ministers meet again next week in Vienna
Foreign ministers from both countries will meet in Vienna next week to continue the talks.
"""


def test_wire_compilation_splits_on_headlines_with_and_without_bylines():
    tass, afp, bare = read(WIRE, name="wire.txt")
    assert (tass.title, tass.byline, tass.outlet, tass.published) == (
        "Russia, Belarus hold joint drills near border",
        "TASS",
        "TASS",
        dt.date(2025, 5, 10),
    )
    assert tass.dateline == "MOSCOW, May 10. /TASS/."
    assert tass.text.split("\n") == [
        "Russian and Belarusian troops began joint exercises on Saturday, the defence ministry said.",
        "The drills will last five days.",
    ]
    assert (afp.byline, afp.outlet, afp.published) == ("Marie Dupont", "AFP", dt.date(2025, 5, 11))
    assert afp.dateline == "PARIS, May 11 (AFP) -"
    assert afp.metadata["credits"] == ["Editing by Luc Martin"]
    assert bare.title == "Ministers meet again next week in Vienna"
    assert (bare.byline, bare.published, bare.outlet) == ("", None, "AFP")  # no source of its own: the neighbour's
    assert [a.source_line for a in (tass, afp, bare)] == [1, 6, 12]


def test_copied_web_page_keeps_breadcrumbs_buttons_and_captions_out_of_the_body():
    page = """World
Asia
Trump and Xi agree to pause tariff increases for a year
3 hours ago
Share
By Laura Bicker, China correspondent
Image source, Getty Images
Image caption, The two leaders met in Busan
The US and China have agreed to pause a planned increase in tariffs, the White House said.
"""
    [article] = read(page, default_outlet="BBC")
    assert (article.title, article.byline, article.outlet) == (
        "Trump and Xi agree to pause tariff increases for a year",
        "Laura Bicker",
        "BBC",
    )
    assert article.text == "The US and China have agreed to pause a planned increase in tariffs, the White House said."
    assert article.metadata["byline_role"] == "China correspondent"
    assert article.metadata["preamble"] == ["World", "Asia"]
    assert article.metadata["furniture"] == ["3 hours ago", "Share"]
    assert len(article.metadata["captions"]) == 2


def test_xinhua_web_copy_with_source_editor_and_timestamp_lines():
    page = """Xi, Putin hold talks in Moscow
Source: Xinhua
Editor: Huaxia
2025-05-08 23:15:01

MOSCOW, May 8 (Xinhua) -- Chinese President Xi Jinping held talks with Russian President Vladimir Putin on Thursday.
"""
    [article] = read(page)
    assert (article.outlet, article.published) == ("Xinhua", dt.date(2025, 5, 8))
    assert article.dateline == "MOSCOW, May 8 (Xinhua) --"
    assert article.text.startswith("Chinese President Xi Jinping held talks")
    assert article.metadata["credits"] == ["Editor: Huaxia"]


def test_file_without_headline_is_one_article_titled_by_its_first_sentence():
    text = "The U.S. envoy met officials in Kyiv on Monday. Talks resume on Friday.\nA second paragraph follows.\n"
    [article] = read(text, default_outlet="BBC")
    assert article.title == "The U.S. envoy met officials in Kyiv on Monday"
    assert article.metadata["title_derived"] is True
    assert article.outlet == "BBC"
    assert article.text == text.strip()


def test_article_with_headline_but_no_body_is_an_error_naming_its_line_and_the_next_item_still_reads():
    items = list(
        read_articles(
            b"Short item with headline\nBy Xinhua May 9, 2025\nSecond item\nBy Xinhua May 9, 2025\nBody text here.\n",
            name="wire.txt",
        )
    )
    err, article = items
    assert isinstance(err, ReaderError) and err.line == 1 and "no body" in str(err)
    assert (article.title, article.text) == ("Second item", "Body text here.")


# --- JSONL and CSV ------------------------------------------------------------------------------------------------


def test_jsonl_reads_fields_and_keeps_unknown_ones_as_metadata():
    lines = [
        {
            "title": "One",
            "text": "First body.\r\nSecond line.",
            "outlet": "Reuters",
            "published": "2025-05-08T10:00:00Z",
            "url": "https://example.com/1",
            "byline": "A. Writer",
            "section": "World",
        },
        {"title": "Two", "body": "Body via alias.", "date": "2025-05-09"},
    ]
    one, two = read("\n".join(json.dumps(x) for x in lines) + "\n\n", name="batch.jsonl", default_outlet="Xinhua")
    assert (one.title, one.text, one.outlet, one.byline, one.url) == (
        "One",
        "First body.\nSecond line.",
        "Reuters",
        "A. Writer",
        "https://example.com/1",
    )
    assert one.published == dt.date(2025, 5, 8)
    assert one.metadata == {"section": "World"}
    assert (two.text, two.published) == ("Body via alias.", dt.date(2025, 5, 9))
    assert (two.outlet, two.source_line) == ("Xinhua", 2)


@pytest.mark.parametrize(
    "bad_line, message",
    [
        ('{"title": "Two", "text": ', "malformed JSON"),
        ('{"title": "Two"}', "'text'"),
        ('["a list"]', "JSON object"),
    ],
)
def test_jsonl_bad_line_is_an_error_naming_the_line(bad_line, message):
    data = '{"title": "One", "text": "Fine."}\n' + bad_line + '\n{"title": "Three", "text": "Also fine."}\n'
    one, err, three = read_articles(data.encode(), name="batch.jsonl")
    assert (one.title, three.title) == ("One", "Three")  # records around the bad line are not lost
    assert isinstance(err, ReaderError)
    assert err.line == 2 and message in str(err) and str(err).startswith("batch.jsonl, line 2:")


def test_csv_reads_aliases_case_insensitively_with_multiline_and_large_cells():
    big = "word " * 40_000  # above the csv module's default 128 KiB field limit
    data = (
        "Title;Content;DATE;Source;Section\n"
        'First;"Line one\nline two";2025-05-09;Xinhua;World\n'
        f"Second;{big};2025-05-10;;\n"
    )
    first, second = read(data, name="export.csv", default_outlet="Reuters")
    assert (first.title, first.text) == ("First", "Line one\nline two")
    assert (first.published, first.outlet) == (dt.date(2025, 5, 9), "Xinhua")
    assert first.metadata == {"Section": "World"}
    assert (second.outlet, len(second.text), second.source_line) == ("Reuters", len(big.strip()), 4)


def test_csv_without_text_column_is_an_error():
    with pytest.raises(ReaderError, match="no text column") as err:
        read("title,date\nOne,2025-05-09\n", name="export.csv")
    assert err.value.line == 1


def test_csv_bad_row_is_an_error_naming_its_line():
    one, err, three = read_articles(b"title,text\nOne,Body one\nTwo,Body,extra\nThree,Body three\n", name="export.csv")
    assert (one.title, three.title) == ("One", "Three")
    assert isinstance(err, ReaderError) and "3 fields" in str(err) and err.line == 3


# --- HTML -----------------------------------------------------------------------------------------------------------


def test_html_page_gives_main_text_and_metadata():
    [article] = read((DATA / "sample_page.html").read_bytes(), name="sample_page.html")
    assert article.title == "EU leaders back new sanctions package against Russia"
    assert article.byline == "Anna Müller"
    assert article.published == dt.date(2025, 6, 4)
    assert article.url == "https://news.example.com/world/eu-sanctions-russia-2025-06-04"
    # Reuters copy carried by another site: the agency is the outlet, the site is recorded.
    assert (article.dateline, article.outlet) == ("BRUSSELS (Reuters) -", "Reuters")
    assert article.metadata["republished_by"] == "Example News"
    assert article.text.startswith("European Union leaders on Wednesday backed")
    assert article.text.endswith("its economy has adapted to them.")
    for furniture in ("Most read", "Home", "All rights reserved", "window.dataLayer", "Reporting by"):
        assert furniture not in article.text


def test_html_falls_back_to_title_and_paragraphs(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *args, **kwargs: None)
    page = (
        b"<html><head><title>Plain page</title><script>x()</script></head>"
        b"<body><nav><p>Menu</p></nav><p>Only   text.</p></body></html>"
    )
    [article] = read(page, name="page.htm")
    assert (article.title, article.text) == ("Plain page", "Only text.")


def test_html_without_text_is_an_error():
    with pytest.raises(ReaderError, match="no article text"):
        read(b"<html><head><title>Empty</title></head><body><div></div></body></html>", name="empty.html")


# --- bad input and normalisation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"Title\x00\x01\x02 body", b"%PDF-1.7\n...", b"\x89PNG\r\n\x1a\n"])
def test_binary_file_is_rejected(data):
    with pytest.raises(ReaderError, match="binary file") as err:
        read(data, name="upload.txt")
    assert err.value.code == "binary"


def test_jsonl_date_that_cannot_be_read_is_a_warning_not_an_error():
    data = '{"title": "T", "text": "x", "published": "9 May"}\n'
    (article,) = read_articles(data.encode(), name="batch.jsonl")
    assert article.published is None
    assert article.warnings == ["batch.jsonl, line 1: date '9 May' not read (not a date); left empty"]


def test_legacy_encoding_is_read_and_a_named_one_that_fails_names_the_line_of_the_first_bad_byte():
    data = b"Headline\nGood line.\n" + "Caf\xe9 in Latin-1.\n".encode("latin-1")
    (article,) = read(data, name="old.txt")
    assert "Caf\xe9 in Latin-1." in article.text
    with pytest.raises(ReaderError) as err:
        read(data, name="old.txt", options=ReadOptions(encoding="utf-8"))
    assert (err.value.line, err.value.code) == (3, "encoding")
    assert str(err.value).startswith("old.txt, line 3: not utf-8")


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t\n", b"\xef\xbb\xbf"])
def test_empty_file_is_rejected(data):
    with pytest.raises(ReaderError, match="empty file"):
        read(data, name="empty.txt")


def test_oversize_file_is_rejected_before_reading():
    with pytest.raises(ReaderError, match="more than the limit") as err:
        read(b"x" * 101, name="big.txt", max_bytes=100)
    assert err.value.code == "too_large"


def test_text_is_nfc_with_unix_newlines_and_no_trailing_spaces():
    decomposed = unicodedata.normalize("NFD", "Café talks in Zürich end")
    data = f"\ufeff{decomposed}   \r\nThe envoy said the café was closed.  \r\rSecond paragraph.\t\r\n".encode()
    [article] = read(data)
    assert article.title == "Café talks in Zürich end"
    assert article.text == "The envoy said the café was closed.\nSecond paragraph."


def test_emoji_cjk_and_combining_accents_survive_every_format():
    body = "习近平 met Putin 🇨🇳🤝🇷🇺 in the Café Pușkin."
    samples = {
        "a.txt": f"Leaders meet in Moscow for talks\n{body}\n",
        "a.jsonl": json.dumps({"title": "T", "text": body}, ensure_ascii=True) + "\n",
        "a.csv": f"title,text\nT,{body}\n",
        "a.html": f"<html><head><title>T</title></head><body><p>{body}</p></body></html>",
    }
    for name, data in samples.items():
        [article] = read(data, name=name)
        assert article.text == unicodedata.normalize("NFC", body), name


@needs_shared
def test_every_article_text_is_already_in_the_stored_normal_form():
    articles = [*_seed_articles("000_9927338dd184a820.txt"), *read((DATA / "ap_style.txt").read_bytes(), name="ap.txt")]
    for article in articles:
        assert normalize_text(article.text) == article.text
        assert "\n\n" not in article.text


@pytest.mark.parametrize(
    "name, data, title",
    [
        ("upload", '{"title": "J", "text": "Body."}\n', "J"),
        ("upload.dat", "title,body\nC,Body.\n", "C"),
        ("upload", "<!DOCTYPE html><html><head><title>H</title></head><body><p>Body text.</p></body></html>", "H"),
        ("README", "Plain prose without any headline at all.\n", "Plain prose without any headline at all"),
    ],
)
def test_format_is_sniffed_when_the_extension_says_nothing(name, data, title):
    assert read(data, name=name)[0].title == title


def test_unknown_format_is_an_error():
    with pytest.raises(ReaderError, match="unknown format"):
        read("x", fmt="docx")
