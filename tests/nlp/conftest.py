from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    from apps.nlp.pipeline import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def parsed(nlp):
    """text -> Doc, each text parsed once per session: the evaluation-set and name-swap tests read the same ~250
    articles. ``parsed.many(texts)`` parses the ones not seen yet in one ``nlp.pipe`` batch and returns all."""
    cache: dict[str, object] = {}

    def parse(text: str):
        if text not in cache:
            cache[text] = nlp(text)
        return cache[text]

    def many(texts: list[str]) -> list:
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        # hundreds of texts (the name-swap test's) are parsed on both cores; a set's dozen in this process
        cache.update(zip(missing, nlp.pipe(missing, batch_size=16, n_process=2 if len(missing) >= 100 else 1)))
        return [cache[t] for t in texts]

    parse.many = many
    return parse


@pytest.fixture(scope="session")
def extract(nlp):
    """text -> (quotes, speakers), checking on every call that offsets index the text exactly."""
    from apps.nlp.quotes import extract_quotes

    def run(text: str):
        quotes, speakers = extract_quotes(nlp(text))
        for q in quotes:
            assert text[q.start : q.end] == q.text
            assert 0.0 <= q.confidence <= 1.0
            if q.cue_start is not None:
                assert text[q.cue_start : q.cue_end].lower().startswith(q.cue.split()[0])
            if q.mention_start is not None:
                assert text[q.mention_start : q.mention_end] == q.speaker_mention
        return quotes, speakers

    return run
