import threading

import pytest

from apps.nlp import pipeline
from apps.nlp.pipeline import analyze_text, analyze_texts, analyze_texts_ahead


def test_parse_ahead_gives_the_same_results_in_the_same_order():
    texts = [f"Minister {name} said the talks went well." for name in ("Lavrov", "Wang", "Blinken", "Jaishankar")]
    ahead = list(analyze_texts_ahead(texts, batch_size=2, ahead=1))
    plain = list(analyze_texts(texts, batch_size=2))
    assert [a.entities for a in ahead] == [p.entities for p in plain]
    assert [a.quotes for a in ahead] == [p.quotes for p in plain]
    assert [a.n_words for a in ahead] == [7, 7, 7, 7]


def test_parse_ahead_raises_the_pipeline_error_in_the_caller(monkeypatch):
    def broken(texts, **kwargs):
        yield analyze_text("Fine text.")
        raise RuntimeError("model exploded")

    monkeypatch.setattr(pipeline, "analyze_texts", broken)
    results = analyze_texts_ahead(["a", "b"])
    assert next(results).n_words == 2
    with pytest.raises(RuntimeError, match="model exploded"):
        next(results)


def test_closing_parse_ahead_early_stops_its_thread():
    before = {t.ident for t in threading.enumerate()}
    results = analyze_texts_ahead([f"Text number {i}." for i in range(200)], batch_size=4, ahead=2)
    next(results)
    results.close()
    assert not [t for t in threading.enumerate() if t.name == "nlp-ahead" and t.ident not in before]


def test_a_quote_extractor_failure_keeps_the_entities_and_the_next_texts(monkeypatch, caplog):
    from apps.nlp import quotes

    real = quotes.extract_quotes
    calls = {"n": 0}

    def sometimes_broken(doc):
        calls["n"] += 1
        if calls["n"] == 1:
            raise IndexError("a rule tripped")
        return real(doc)

    monkeypatch.setattr(quotes, "extract_quotes", sometimes_broken)
    first, second = analyze_texts(["Xi Jinping met Putin in Moscow.", "Putin said the talks were useful."])
    assert ("Moscow", "GPE") in [(e.text, e.label) for e in first.entities]
    assert first.quotes == []
    assert [q.text for q in second.quotes] == ["the talks were useful"]
    assert "quote extraction failed" in caplog.text


def test_a_line_break_always_ends_a_sentence_so_a_headline_does_not_swallow_the_first_line():
    from apps.nlp.pipeline import get_nlp

    doc = get_nlp()("Minister says talks open but warns allies\nThe minister said on Monday that talks remained open.")
    assert [s.text.strip() for s in doc.sents] == [
        "Minister says talks open but warns allies",
        "The minister said on Monday that talks remained open.",
    ]
