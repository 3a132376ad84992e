"""Issue 13: plain-text split options, headlines ending with a period, section markers, outlet per file,
non-ISO dates and legacy encodings, from the readers, the services and ``manage.py import_articles``."""

import datetime as dt

import pytest
from django.core.management import call_command

from apps.corpus.models import Article
from apps.ingest.models import ImportBatch
from apps.ingest.readers import ReaderError, ReadOptions, read_articles
from apps.ingest.readers.base import outlet_from_name
from apps.ingest.readers.dates import read_date
from apps.ingest.services import SourceFile, import_sources

# The issue's failing case: two articles whose headlines end with a period, each opened by a dateline.
PERIOD_HEADLINES = """China and Russia pledge closer strategic ties.

MOSCOW, May 8 (Xinhua) -- Chinese President Xi Jinping held talks with Russian President Vladimir Putin on Thursday.

The two leaders agreed to expand cooperation in energy, trade and culture, according to a joint statement.

Brazil hosts BRICS foreign ministers for talks.

RIO DE JANEIRO, May 9 (Reuters) - Foreign ministers of the BRICS countries met on Friday to discuss reform.

They called for a stronger voice for developing countries in international institutions.
"""

PROQUEST = """China and Russia pledge closer strategic ties.

ABSTRACT. Leaders of the two countries met in Moscow and pledged closer ties in energy and trade.

FULL TEXT. Chinese President Xi Jinping held talks with Russian President Vladimir Putin on Thursday.

The two leaders agreed to expand cooperation in energy, trade and culture.

Brazil hosts BRICS foreign ministers for talks.

ABSTRACT. Foreign ministers of BRICS countries gathered in Rio de Janeiro.

FULL TEXT. Foreign ministers of the BRICS countries met here on Friday to discuss reform of global governance.
"""


def read(text, name="file.txt", **options):
    data = text.encode() if isinstance(text, str) else text
    return [a for a in read_articles(data, name=name, options=ReadOptions(**options))]


def test_headlines_ending_with_a_period_were_one_article_by_default():
    (only,) = read(PERIOD_HEADLINES)  # the issue: two articles became one
    assert "Brazil hosts BRICS" in only.text


def test_period_headlines_option_splits_the_issues_file_into_two_articles():
    one, two = read(PERIOD_HEADLINES, period_headlines=True)
    assert one.title == "China and Russia pledge closer strategic ties"
    assert two.title == "Brazil hosts BRICS foreign ministers for talks"
    assert one.text.startswith("Chinese President Xi Jinping") and "Brazil" not in one.text
    assert (one.outlet, two.outlet) == ("Xinhua", "Reuters")  # from the datelines


def test_section_markers_are_not_body_text_and_open_articles_under_a_period_headline():
    one, two = read(PROQUEST)  # a headline right above "ABSTRACT." needs no option
    assert one.title == "China and Russia pledge closer strategic ties."
    assert "ABSTRACT" not in one.text and "FULL TEXT" not in one.text
    assert one.text.startswith("Chinese President Xi Jinping held talks")
    assert one.metadata["abstract"] == [
        "Leaders of the two countries met in Moscow and pledged closer ties in energy and trade."
    ]
    assert two.title.startswith("Brazil hosts BRICS")


def test_an_abstract_alone_stays_body_text_without_its_label():
    (only,) = read("Talks in Beijing\n\nAbstract: Ministers met in Beijing on Monday to talk about trade and energy.\n")
    assert only.text == "Ministers met in Beijing on Monday to talk about trade and energy."


@pytest.mark.parametrize(
    "split, separator",
    [("blank2", "\n\n\n"), ("dashes", "\n---\n"), ("formfeed", "\n\f\n"), ("formfeed", "\f")],
)
def test_explicit_separators_cut_articles_and_the_first_line_is_the_headline(split, separator):
    first = "Talks end.\nThe talks ended on Monday without a deal.\n\nBoth sides will meet again."
    second = "A second item\nBy Jane Doe\nMay 9, 2025\nMinisters signed a deal on energy and trade."
    one, two = read(first + separator + second, split=split)
    assert (one.title, one.text) == (
        "Talks end.",
        "The talks ended on Monday without a deal.\nBoth sides will meet again.",
    )
    assert (two.title, two.byline, two.published) == ("A second item", "Jane Doe", dt.date(2025, 5, 9))
    assert two.text == "Ministers signed a deal on energy and trade."


def test_two_blank_lines_do_not_split_without_the_option():
    text = (
        "One headline here now\nThe talks ended on Monday without a deal at all.\n\n\nThey will meet again next week."
    )
    assert len(read(text)) == 1
    assert len(read(text, split="blank2")) == 2


def test_headline_split_lets_every_headline_open_an_article():
    text = (
        "Leaders meet in Moscow today\nLeaders met on Thursday in Moscow to talk about trade and energy.\n\n"
        "Ministers sign an energy deal\nMinisters signed a deal on energy and trade in Beijing on Friday.\n"
    )
    assert len(read(text)) == 1  # auto: a lone bare headline later in a file is a crosshead
    one, two = read(text, split="headline")
    assert (one.title, two.title) == ("Leaders meet in Moscow today", "Ministers sign an energy deal")


def test_outlet_from_a_file_name_pattern():
    assert outlet_from_name("Global_Times_2025-05.txt", "{outlet}_2025-*.txt") == "Global Times"
    assert outlet_from_name("xinhua-may.txt", "{outlet}-*.txt") == "xinhua"
    assert outlet_from_name("other.txt", "{outlet}-*.txt") == ""
    read_ = read_articles(
        b"Talks\nMinisters met on Monday to talk about trade.",
        name="TASS-0509.txt",
        options=ReadOptions(outlet_pattern="{outlet}-*.txt"),
    )
    (article,) = list(read_)
    assert (article.outlet, read_.outlet) == ("TASS", "TASS")


def test_database_export_columns_name_the_outlet_and_date():
    rows = "Title,Text,Pubtitle,Publication_Date\nOne,Body one.,Global Times,May 9 2025\n"
    (one,) = read(rows, name="proquest.csv")
    assert (one.outlet, one.published) == ("Global Times", dt.date(2025, 5, 9))


def test_outlet_from_a_csv_column_and_a_byline_beat_the_file_name():
    rows = "title,text,source\nOne,Body one.,Xinhua\nTwo,Body two.,\n"
    one, two = read(rows, name="Reuters-x.csv", outlet_pattern="{outlet}-*.csv")
    assert (one.outlet, two.outlet) == ("Xinhua", "Reuters")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("May 9, 2025", dt.date(2025, 5, 9)),
        ("9 May 2025", dt.date(2025, 5, 9)),
        ("Fri, 09 May 2025 10:00:00 GMT", dt.date(2025, 5, 9)),
        ("2025/05/09", dt.date(2025, 5, 9)),
        ("20250509", dt.date(2025, 5, 9)),
        ("9.5.2025", dt.date(2025, 5, 9)),
        ("25/05/2025", dt.date(2025, 5, 25)),
        ("05/25/2025", dt.date(2025, 5, 25)),
        ("05/09/2025", None),  # 5 September or 9 May: not guessed
        ("Spring 2025", None),
    ],
)
def test_dates_in_common_forms(value, expected):
    assert read_date(value)[0] == expected


def test_a_date_that_cannot_be_read_leaves_it_empty_with_a_warning_and_keeps_the_row():
    rows = "title,text,date\nOne,Body one.,09 May 2025\nTwo,Body two.,05/09/2025\nThree,Body three.,soon\n"
    one, two, three = read(rows, name="dates.csv")
    assert (one.published, one.warnings) == (dt.date(2025, 5, 9), [])
    assert two.published is None and "day and month could be either way round" in two.warnings[0]
    assert three.published is None and three.warnings[0].startswith("dates.csv, line 4: date 'soon' not read")


LEGACY = "Caf\u00e9 talks \u2013 \u201cwe agree\u201d, said the minister\u2019s aide in Z\u00fcrich.\n"


def test_windows_1252_is_detected_and_decoded():
    read_ = read_articles(("Talks in Zurich\n" + LEGACY * 3).encode("cp1252"), name="old.txt")
    (article,) = list(read_)
    assert read_.encoding == "cp1252"
    assert "\u201cwe agree\u201d" in article.text and "Z\u00fcrich" in article.text


def test_cyrillic_legacy_encoding_is_detected():
    text = "\u041f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u044b \u0432 \u041c\u043e\u0441\u043a\u0432\u0435\n"
    body = "\u041f\u0440\u0435\u0437\u0438\u0434\u0435\u043d\u0442 \u0420\u043e\u0441\u0441\u0438\u0438 \u0432\u0441\u0442\u0440\u0435\u0442\u0438\u043b\u0441\u044f \u0441 \u043f\u0440\u0435\u0434\u0441\u0435\u0434\u0430\u0442\u0435\u043b\u0435\u043c \u041a\u041d\u0420 \u0432 \u041c\u043e\u0441\u043a\u0432\u0435.\n"
    read_ = read_articles((text + body * 3).encode("cp1251"), name="ru.txt")
    (article,) = list(read_)
    assert read_.encoding == "cp1251" and body.strip() in article.text


def test_a_named_encoding_that_does_not_fit_names_the_line():
    with pytest.raises(ReaderError) as err:
        read_articles(b"Title\nok\n\xff\xfe bad\n", name="x.txt", options=ReadOptions(encoding="ascii"))
    assert err.value.line == 3 and "not ascii" in str(err.value)


@pytest.mark.django_db
def test_preview_reports_encoding_warnings_and_the_split(settings, tmp_path):
    batch = ImportBatch.objects.create(options={"split": "auto", "period_headlines": True})
    data = PERIOD_HEADLINES.replace("Thursday.", "Thursday \u2013 in the Kremlin.").encode("cp1252")
    batch = import_sources(batch=batch, sources=[SourceFile("two.txt", data)], dry_run=True)
    (result,) = batch.results
    assert (result["articles"], result["encoding"]) == (2, "cp1252")
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_import_articles_command_takes_the_reading_options(tmp_path, capsys):
    path = tmp_path / "Xinhua_may.txt"
    path.write_bytes(PERIOD_HEADLINES.replace("Thursday.", "Thursday \u2013 in the Kremlin.").encode("cp1252"))
    call_command(
        "import_articles",
        str(path),
        "--period-headlines",
        "--outlet-pattern",
        "{outlet}_*.txt",
        "--no-progress",
        "--dry-run",
    )
    out = capsys.readouterr().out
    assert "2 articles" in out and "read as cp1252" in out


@pytest.mark.django_db
def test_import_articles_command_splits_at_dashes(tmp_path, capsys):
    path = tmp_path / "items.txt"
    path.write_text("First item\nBody of the first item is here.\n---\nSecond item\nBody of the second one.\n")
    call_command("import_articles", str(path), "--split", "dashes", "--no-progress", "--dry-run")
    assert "2 articles" in capsys.readouterr().out
