"""Sources of quotes: finding the subject of a cue, reading it as a speaker, resolving pronouns.

``describe`` reads a subject as a named person ("Chinese President Xi Jinping" -> "Xi Jinping", role "Chinese
President"), a body ("Ukraine's Foreign Ministry", "Washington"), a described person ("A Ukrainian military
spokesperson"), a pronoun, or unknown (joint sources, documents without an author). ``SpeakerResolver`` turns
the sources of a text's quotes into speakers: pronouns and definite descriptions ("the Russian leader") go to
an earlier source, and names merge by token containment (``speakers.SpeakerRegistry``).
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Token

from .cues import FRAGMENT_CUES, SPEECH, STRONG
from .docview import (
    DocView,
    among,
    any_of,
    coordinated_title_start,
    entity_end,
    entity_goes_on,
    entity_start,
    id_set,
    ids,
)
from .names import (
    CAPITAL_HONORIFICS,
    COMPOUND_TITLES,
    COUNTRIES,
    COUNTRY_OF,
    DOCUMENT_NOUNS,
    GIVEN_NAME_STEMS,
    HONORIFICS,
    NAME_PARTICLES,
    NON_AGENTS,
    ORG_NOUNS,
    OTHER_PRONOUNS,
    PERSON_NOUNS,
    PERSON_PRONOUNS,
    ROLE_FAMILIES,
    ROLE_SYNONYM,
    STYLES,
    THING_PRONOUNS,
    TITLE_WORDS,
    WORLD,
    compatible_names,
    description_head,
    families_of,
    fold,
    gender_of_name,
    is_given_name,
    is_honorific,
    name_tokens,
    same_nationality,
    same_speaker,
    short_role,
    speaker_name_parts,
    strip_determiner,
    strip_possessive,
)
from .speakers import SpeakerMention, SpeakerRegistry
from .types import SpeakerInfo

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PERSON_LABELS = frozenset({"PERSON"})
BODY_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC"})
_JOINT_HEADS = frozenset({"side", "sides", "leader", "leaders", "country", "countries", "party", "parties"})
# top titles, any of which a description like "the Russian leader" may stand for
_JOINT_WINDOW = 15  # paragraphs back to the parties "the two sides" stands for
_DOCUMENT_WINDOW = 2  # paragraphs back to the source that issued "the statement"
_TITLED_WINDOW = 3  # paragraphs back to a titled person a description may name
_LOOSE_MODIFIERS = frozenset({"top", "senior", "chief", "veteran", "country's", "nation's", "official"})


# stock epithets of institutions ("the EU's executive arm" is the European Commission), blocs and the words that
# stand for the latest bloc named ("the bloc"): world knowledge, in data/world.json
_EPITHETS = {
    f"{owner}{apostrophe}s {head}": epithet["name"]
    for epithet in WORLD["institution_epithets"]
    for owner in epithet["owners"]
    for head in epithet["heads"]
    for apostrophe in "'’"
}
_BLOCS = frozenset(WORLD["blocs"])
_BLOC_NOUNS = frozenset(WORLD["bloc_nouns"])
_FLOOR_NOUNS = frozenset(WORLD["floor_nouns"])
_PARTY_MEMBER_NOUNS = frozenset(WORLD["party_member_nouns"])
_GENDER_OF_WORD = {w: gender for gender, words in WORLD["gendered_words"].items() for w in words}
_GENDER_OF_PRONOUN = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female"}


def _full_name(subj: Token) -> bool:
    """A full name: the last word of a PERSON entity of two words or more, or, where NER missed it (after a
    dateline), a proper noun with a capitalised proper-noun compound before it and no entity label."""
    if subj.ent_type_ in PERSON_LABELS:
        return subj.ent_iob_ == "I"
    return (
        subj.pos_ == "PROPN"
        and not subj.ent_type_
        and any(c.dep_ == "compound" and c.pos_ == "PROPN" and c.text[:1].isupper() for c in subj.children)
    )


def _description_words(view: DocView, src: Source, words: list[str]) -> list[str]:
    """Description head rule: the words of "The African Union's special envoy for the Sahel" that describe the
    person are "The special envoy": the possessor body ends before the title, and what follows the head noun
    ("for the Sahel") names a remit, not a title (without a possessor the words stay as they are)."""
    head = view.doc[src.start : src.end].root
    kept = list(view.doc[src.start : head.i + 1])
    poss = [t for t in kept if t.dep_ == "case" and t.head.dep_ == "poss" and t.head.head.i == head.i]
    if not poss:  # "the representative of France": the words after the head tell delegates apart
        return words
    kept = kept[:1] + [t for t in kept if t.i > poss[-1].i]
    return [t.text for t in kept] if len(kept) >= 2 else words


def _epithet_of(surface: str) -> str | None:
    """The institution a stock epithet names ("the EU's executive arm" -> "European Commission"), or None."""
    return _EPITHETS.get(" ".join(strip_determiner(surface).casefold().split()))


@dataclass(slots=True)
class Source:
    """A reading of the subject of a cue; ``start``/``end`` are the mention's token range."""

    start: int
    end: int
    kind: str | None  # person | organisation | None (unknown, joint)
    pronoun: str | None = None  # "person" (he/she) or "thing" (it): to resolve
    plural: bool = False  # "officials", "sources": never the antecedent of he/she
    maybe_person: bool = False  # a bare one-word name NER tagged ORG/GPE ("Erdogan"): he/she may refer to it
    name: str = ""
    role: str = ""
    extra_aliases: tuple[str, ...] = ()
    penalty: float = 0.0  # confidence lost to a shaky reading
    style: str = ""  # "His Majesty said": the style ("Majesty") of the person the text introduced with it
    joint: bool = False  # "China and Pakistan said", "the two sides said": several parties speaking as one


# ---- the subject of a cue ----------------------------------------------------------------------------


def _participle_subject(cue: Token, lo: int, hi: int) -> Token | None:
    """Interposed participle rule: in "Ana Ruiz, asked about the talks, said ..." the parser makes the name the
    subject of "asked" and leaves the cue without one; the subject of a participle clause set off by commas just
    before a subjectless cue is the cue's (the comma between that subject and its verb shows the clause is
    interposed; the tagger often reads "asked" there as a past tense)."""
    for c in cue.children:
        if c.i < cue.i and c.dep_ in ("ccomp", "advcl") and c.tag_ in ("VBN", "VBG", "VBD") and lo <= c.i < hi:
            subj = next((s for s in c.children if s.dep_ in ("nsubj", "nsubjpass") and s.i < c.i), None)
            doc = cue.doc
            if (
                subj is not None
                and doc[subj.i + 1].text == ","
                and "," in (doc[c.right_edge.i].text, doc[c.right_edge.i + 1].text)
            ):
                return subj
    return None


def interposed_participle(tok: Token) -> bool:
    """Interposed participle rule: in "Ana Ruiz, asked whether the strike would spread, said ..." the parser
    reads "asked" as the name's verb, with "said" above or below it; a comma between that subject and "asked"
    and a comma before the speech verb after the clause show a reduced passive set off by commas, whose subject
    is the one asked, not the asker."""
    if tok.tag_ not in ("VBN", "VBD") or tok.i < 2 or tok.doc[tok.i - 1].text != ",":
        return False  # cheap tests first: this runs for every cue
    if any(c.dep_ in ("aux", "auxpass") for c in tok.children):
        return False
    if not any(c.dep_ == "nsubj" and c.i == tok.i - 2 for c in tok.children):
        return False
    return _interposed_speech_verb(tok) is not None


def _interposed_speech_verb(tok: Token) -> Token | None:
    """The speech verb after a participle clause set off by commas: its head or its clausal child."""
    doc = tok.doc
    if tok.dep_ in ("ccomp", "advcl") and tok.head.i > tok.i:
        candidates = [tok.head]
    else:
        candidates = [c for c in tok.children if c.dep_ in ("ccomp", "conj", "parataxis", "advcl") and c.i > tok.i]
    for verb in candidates:
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in SPEECH:
            continue
        k = verb.i - 1
        while k > tok.i and doc[k].dep_ in ("advmod", "aux", "neg") and doc[k].head.i == verb.i:
            k -= 1
        if doc[k].text == "," and not any(c.dep_ == "nsubj" for c in verb.children):
            return verb
    return None


def _fronted_participle_subject(participle: Token) -> Token | None:
    """Fronted participle rule: in "Opening for Guyana, its agent, Ana Ruiz, told the court ..." the parser
    takes "Opening" for the subject and hangs the real one on it; the subject is the person named after the
    participle's comma (else the first noun set off there)."""
    comma = next((t.i for t in participle.subtree if t.text == "," and t.i > participle.i), None)
    if comma is None:
        return None
    after = [t for t in participle.subtree if t.i > comma]
    doc = participle.doc
    person = next(  # the last word of a person's name, however the parser hung it
        (t for t in after if t.ent_type_ in PERSON_LABELS and (t.i + 1 == len(doc) or doc[t.i + 1].ent_iob_ != "I")),
        None,
    )
    return person or next((t for t in after if t.dep_ == "appos" and t.pos_ in ("NOUN", "PROPN")), None)


_ANONYMOUS_NOUNS = frozenset(WORLD["anonymous_source_nouns"])


def _anonymous_single(src: Source) -> bool:
    """An unnamed single source: "a Whitehall source", "one EU official" (head noun from data: world.json)."""
    return src.kind == "person" and not src.plural and description_head(src.name or "") in _ANONYMOUS_NOUNS


def _one_of_group(view: DocView, one: Token) -> Source | None:
    """One-of-a-group rule: "French officials were sceptical. One, speaking on condition of anonymity, said"
    is one of the group the sentence before had as its subject: a source described by the group's words in the
    singular ("French official")."""
    if one.lower_ != "one" or any(c.dep_ in ("amod", "compound", "det") for c in view.kids(one)):
        return None
    sent = one.sent
    if sent.start == 0 or view.para_of(int(view.idx[sent.start - 1])) != view.para_of(int(view.idx[one.i])):
        return None
    prev = view.doc[sent.start - 1].sent
    group = next(
        (t for t in prev if t.dep_ == "nsubj" and t.tag_ == "NNS" and t.lemma_.lower() in _ANONYMOUS_NOUNS),
        None,
    )
    if group is None:
        return None
    words = [t.text for t in view.doc[group.left_edge.i : group.i] if t.dep_ in ("amod", "compound")]
    return Source(one.i, one.i + 1, "person", name=" ".join([*words, group.lemma_.lower()]))


# what opens an aside or a relative after a source's words ("one of the diplomats, who asked not to be named")
_ASIDE_OPENERS = frozenset({",", "(", ";", "-", "—", "–", "who", "which", "that"})


def _partitive_source(view: DocView, subj: Token) -> Source | None:
    """'one of the diplomats said', 'One of them told Reuters': one unnamed member of a group, named as the text
    names it ("one of the diplomats"; a relative or an aside after a comma is left out), a source of its own."""
    if subj.lower_ != "one":
        return None
    of = next((c for c in view.kids(subj) if c.dep_ == "prep" and c.lower_ == "of" and c.i == subj.i + 1), None)
    group = next((c for c in view.kids(of) if c.dep_ == "pobj"), None) if of is not None else None
    if group is None:
        return None
    if group.lower_ != "them" and not (
        group.tag_ == "NNS" and any(c.dep_ == "det" and c.lower_ == "the" for c in view.kids(group))
    ):
        return None
    end = group.i + 1
    doc = view.doc
    while end <= group.right_edge.i and doc[end].lower_ not in _ASIDE_OPENERS:
        end += 1
    name = doc[subj.i : end].text
    return Source(subj.i, end, "person", name=name, penalty=0.1)


def _group_named_by_partitive(subj: Token) -> str | None:
    """'one of the sources': the folded head of the definite plural group a partitive "one of" takes from."""
    if subj.lower_ != "one":
        return None
    of = next((c for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    group = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if group is None or group.tag_ != "NNS" or not any(c.dep_ == "det" and c.lower_ == "the" for c in group.children):
        return None
    return fold(group.text)


def _fronted_participle(subj: Token) -> bool:
    """A subject that is an "-ing" word opening its sentence without a determiner ("Opening for Guyana, ...":
    the tagger reads it as a gerund or a noun)."""
    return (
        (subj.tag_ == "VBG" or subj.lower_.endswith("ing"))
        and subj.is_sent_start
        and not any(c.dep_ == "det" for c in subj.children)
    )


def _reporting_verb_above(participle: Token) -> Token | None:
    """Trailing participle rule: in "Ana Ruiz said Chile had made an offer to end the dispute, calling it "a
    first step"", a participle after a comma that the parser hung inside the reported clause is the
    reporter's, not the reported subject's: the speech verb whose complement holds it (at most four heads up)."""
    if participle.i == 0 or participle.doc[participle.i - 1].text != ",":
        return None
    for n, anc in enumerate(participle.ancestors):
        if n >= 4:
            break
        if anc.dep_ == "ccomp" and anc.head.lemma_ in SPEECH:
            return anc.head
    return None


def subject_of(view: DocView, tok: Token, lo: int, hi: int) -> tuple[Token | None, bool]:
    """The cue's source token (within token range [lo, hi)) and whether it is the cue's own subject rather
    than one inherited from the clause it depends on ("..., adding that", "Noting that ..., Xi said")."""
    cur, own = tok, True
    for _ in range(4):
        # "Xi was quoted as saying": the passive subject of quote/cite is the source
        deps = SUBJECT_DEPS if cur.lemma_ not in ("quote", "cite") else SUBJECT_DEPS | {"nsubjpass"}
        subjects = [c for c in view.kids(cur) if c.dep_ in deps and lo <= c.i < hi]
        # two subjects side by side ("news agency Xinhua reported"): the name, nearest the verb
        if len(subjects) > 1:  # "UNITED NATIONS (AP) - The U.S. ...": a dateline is not a subject
            subjects = [
                c
                for n, c in enumerate(subjects)
                if not (
                    c.is_upper
                    and n + 1 < len(subjects)
                    and any(t.text in ("—", "–", "-", "--", ":") for t in c.doc[c.i + 1 : subjects[n + 1].i])
                )
            ]
        subj = subjects[-1] if len(subjects) > 1 and subjects[-1].i < cur.i else next(iter(subjects), None)
        if len(subjects) > 1 and subj is subjects[-1] and not _one_split_name(subjects):
            subj = _name_before_description(subjects[-2], subj)
        if subj is not None and subj.i < cur.i and _fronted_participle(subj):
            subj = _fronted_participle_subject(subj) or subj
        if subj is None:
            subj = _subject_the_parser_lost(view, cur, cur is tok, lo, hi)
        if subj is None and cur is tok and tok.head.i < tok.i and interposed_participle(tok.head):
            # "Ana Ruiz, asked whether ..., said": the parser hung "said" under "asked"; her subject is its own
            subj = next(c for c in tok.head.children if c.dep_ == "nsubj")
        subj = _name_before_split_appositive(view, subj, cur)
        if subj is not None and _dateline_dash(subj, cur) is not None:
            # "UNITED NATIONS (AP) — The United States vetoed ...", with the real subject hung on the dateline
            dash = _dateline_dash(subj, cur)
            after = [c for c in subj.subtree if c.dep_ in ("appos", "conj") and c.i > dash]
            # "ISLAMABAD, Jun 12 (APP): Deputy Prime Minister and ... Mohammad Ishaq Dar said": the named
            # person among the nouns hung on the dateline
            subj = next((c for c in after if c.ent_type_ in PERSON_LABELS), next(iter(after), None))
            if subj is None:
                return None, own
        if subj is not None:
            if subj.lower_ in ("who", "which", "that") and cur.dep_ == "relcl" and lo <= cur.head.i < hi:
                subj = cur.head
            return subj, own
        head = cur.head
        if head is cur or not lo <= head.i < hi:
            break
        if cur.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
            return head, False  # "the ministry, saying ..."
        if cur.dep_ == "pcomp" and head.lower_ in _MANNER_PREPS and lo <= head.head.i < hi:
            cur, own = head.head, False  # "began by criticising X for '...'": the subject of "began"
            continue
        if cur.dep_ == "pcomp" and head.lower_ == "as" and lo <= head.head.i < hi:
            cur, own = head.head, False
            if cur.lemma_ in ("quote", "cite"):  # "the ministry quoted Ryabkov as saying"
                obj = next((c for c in view.kids(cur) if c.dep_ == "dobj" and lo <= c.i < hi), None)
                if obj is not None:
                    return obj, False
            continue
        reporter = _reporting_verb_above(cur) if cur.dep_ == "advcl" and cur.tag_ == "VBG" else None
        if reporter is not None and lo <= reporter.i < hi:
            cur, own = reporter, False
            continue
        reporter = second_predicate_of_source(cur)
        if reporter is not None and lo <= reporter.i < hi:
            cur, own = reporter, False  # "X said the country could not afford Y and accused Z of ...": X
            continue
        if cur.dep_ in ("advcl", "conj", "xcomp") or _misparsed_conjunct(cur, head):
            cur, own = head, False
            continue
        break
    return None, own


def _misparsed_conjunct(verb: Token, head: Token) -> bool:
    """'X said A but cautioned that B', with "cautioned" parsed as the complement of "said": a verb right after
    a conjunction, hung as the complement of an earlier reporting verb, is that verb's conjunct."""
    return (
        verb.dep_ == "ccomp"
        and verb.i > 0
        and verb.doc[verb.i - 1].dep_ == "cc"
        and head.lemma_ in _REPORT_VERBS
        and head.i < verb.i
    )


def _one_split_name(subjects: list[Token]) -> bool:
    """'Legislator Ma Wen-chun (馬文君) said', parsed as three subjects "Ma", "Wen", "chun": proper nouns side by
    side, or joined by hyphens only, are one name (its last word the head), not a name and a description."""
    doc = subjects[0].doc
    return all(t.pos_ == "PROPN" for t in subjects) and all(
        t.text == "-" for t in doc[subjects[0].i : subjects[-1].i + 1] if t not in subjects
    )


def second_predicate_of_source(verb: Token) -> Token | None:
    """Second predicate rule: in 'X said the country could not afford "..." and accused its critics of "..."'
    the parser coordinates "accused" with "afford", inside what X said. A subjectless speech verb coordinated
    with the reported clause, in the reporting verb's tense while the reported verb is in another, is X's
    second speech act: the reporting verb is returned (else None)."""
    head = verb.head
    if verb.dep_ != "conj" or head.dep_ != "ccomp" or verb.pos_ != "VERB":
        return None
    if verb.lemma_.lower() not in STRONG | FRAGMENT_CUES or any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return None
    reporter = head.head
    if reporter.lemma_.lower() not in SPEECH or reporter.tag_ != verb.tag_ or head.tag_ == verb.tag_:
        return None
    return reporter


_DASHES = frozenset({"—", "–", "-", "--"})
_MANNER_PREPS = frozenset({"by"})


def _name_before_description(name: Token, desc: Token) -> Token:
    """'Commodore Jay Tarriela, its spokesman for the West Philippine Sea, said': the parser reads the
    description set off by commas as a second subject; the person's name before it is the source."""
    if (
        # "Cogat, the Israeli military body that oversees aid, said": a body's name too (untagged or ORG)
        (name.ent_type_ in PERSON_LABELS or (name.pos_ == "PROPN" and name.ent_type_ in ("", "ORG")))
        and desc.pos_ == "NOUN"
        and desc.left_edge.i > name.i
        and any(t.text == "," for t in name.doc[name.i + 1 : desc.left_edge.i])
    ):
        return name
    if _affiliation_of(name, desc):
        return name
    return desc


def _name_before_split_appositive(view: DocView, subj: Token | None, verb: Token) -> Token | None:
    """'Andrew Mantong, a researcher at the Centre for Strategic Studies (CSIS) Indonesia, said': the parser may
    end the sentence at the bracket and make the last place or body of the appositive the subject. When the
    subject is a body or place right before ", said", and its segment opens with a person's name, a comma and a
    description with no verb in it, the name is the source. Otherwise the subject stays as it is."""
    doc = view.doc
    if subj is None or subj.ent_type_ not in BODY_LABELS or verb.i != subj.i + 2 or doc[subj.i + 1].text != ",":
        return subj
    lo, _ = view.para_bounds(subj.i)
    s_lo = subj.i  # the sentence's real start: the parser's may be the bracket
    while s_lo > lo and doc[s_lo - 1].text not in (".", "!", "?"):
        s_lo -= 1
    if doc[s_lo].ent_type_ not in PERSON_LABELS or doc[s_lo].ent_iob_ != "B":
        return subj
    k = s_lo
    while k + 1 < subj.i and doc[k + 1].ent_iob_ == "I":
        k += 1
    if k + 2 >= subj.i or doc[k + 1].text != "," or doc[k + 2].lower_ not in ("a", "an", "the"):
        return subj
    if any(t.pos_ in ("VERB", "AUX") for t in doc[k + 2 : subj.i]):
        return subj
    return doc[k]


_TITLE_GLUE = frozenset("a an the to of and or in on at for with by as from amid over into vs".split())

# a lone word made of two capitalised names joined by a hyphen or dash ("a Putin-Zelensky meeting"); a person's
# full name has a given name before it ("Jack Horgan-Jones")
_PAIRING_RE = re.compile(r"^[A-Z][a-z]+[-–][A-Z][a-z]+$")


def _stranded_name(view: DocView, verb: Token, lo: int) -> Token | None:
    """'Speaking ... with President Donald Trump, Ms McEntee said ...': a verb left with no subject, right after
    a person's name that opens its clause after a comma (the parser hung the name on the noun before it as an
    appositive), or closing an appositive ("Speaking for the A3, Somalia's ambassador, Abukar Dahir Osman, said",
    the description hung on the participle's object): the name is the subject, or the description it stands in
    apposition to, which gives the name and its title."""
    doc = view.doc
    k = verb.i - 1
    closing = k - 1 > lo and doc[k].text == ","
    # not "X will answer, the official representative ..., Y, said", where the description hangs on the content
    main = verb.dep_ == "ROOT" and not any(c.dep_ == "ccomp" and c.i < verb.i for c in verb.children)
    if closing and not main:
        return None
    if closing:
        k -= 1
    if k <= lo or doc[k].pos_ != "PROPN" or doc[k].ent_type_ not in (*PERSON_LABELS, "ORG"):
        return None
    start = entity_start(doc, k, lo)
    if start <= lo or doc[start - 1].text != ",":
        return None
    if doc[k].ent_type_ == "ORG" and not _family_name_of_someone(view, view.span_text(start, k + 1), doc[start].idx):
        return None  # a body, unless the text named a person so before ("Nicole Ramjohn-Baptiste")
    name = doc[k]
    if closing and name.dep_ == "appos" and name.head.i < start and name.head.pos_ in ("NOUN", "PROPN"):
        return name.head
    return name


def _family_name_of_someone(view: DocView, words: str, char: int) -> bool:
    """Whether a PERSON entity before ``char`` ends in ``words`` after a given name ("Nicole Ramjohn-Baptiste" for
    "Ramjohn-Baptiste", tagged as a body the second time)."""
    doc = view.doc
    for start, end, label in view.entities():
        if label == "PERSON" and doc[start].idx < char and end - start >= 2:
            text = view.span_text(start, end)
            if text.endswith(" " + words):
                return True
    return False


def _subject_the_parser_lost(view: DocView, verb: Token, own: bool, lo: int, hi: int) -> Token | None:
    """A subject for a verb the parser left without one: for the cue's own verb, a participle's, a stranded name
    or a name before a "who" clause; for it or the verb it is coordinated with ("warned that ... and urged"), a
    name before a description set off by commas."""
    if own:
        found = (
            _participle_subject(verb, lo, hi)
            or _stranded_name(view, verb, lo)
            or _name_before_who_clause(view, verb, lo)
        )
        if found is not None:
            return found
    return _name_before_set_off_description(view, verb, lo)


def _name_before_set_off_description(view: DocView, verb: Token, lo: int) -> Token | None:
    """'At the opening on Monday, Simon Stiell, executive secretary of the UNFCCC, warned that ...', the parser
    hanging the name on "Monday": a main verb with no subject right after a description set off by commas (a title
    or a person noun, no verb in it) that follows a person's name; the name is the subject."""
    doc = view.doc
    if verb.dep_ != "ROOT" or verb.i - 3 <= lo or doc[verb.i - 1].text != ",":
        return None
    for c in range(verb.i - 2, max(lo, verb.i - 25), -1):
        if doc[c].text != ",":
            continue
        between = doc[c + 1 : verb.i - 1]
        if not between or any(t.pos_ in ("VERB", "AUX") for t in between):
            return None
        if not any(t.lower_ in TITLE_WORDS or t.lemma_.lower() in PERSON_NOUNS for t in between):
            return None
        name = doc[c - 1]
        if name.ent_type_ not in PERSON_LABELS or name.pos_ != "PROPN":
            return None
        return name
    return None


def _name_before_who_clause(view: DocView, verb: Token, lo: int) -> Token | None:
    """'Sen. Dick Durbin, who co-chairs the caucus and is retiring in January, said ...': a verb left with no
    subject right after a comma, in a sentence that opens with a person's name followed by ", who": the parser
    lost the name inside the relative clause; the name is the subject."""
    doc = view.doc
    if verb.i - 1 <= lo or doc[verb.i - 1].text != ",":
        return None
    start = verb.i - 1
    while start > lo and doc[start - 1].text not in (".", "!", "?", ";"):
        start -= 1
    for k in range(start, min(start + 6, verb.i - 3)):
        if doc[k].ent_type_ in PERSON_LABELS and doc[k + 1].ent_iob_ != "I":
            if doc[k + 1].text == "," and doc[k + 2].lower_ == "who":
                return doc[k]
            return None
    return None


def _affiliation_of(name: Token, desc: Token) -> bool:
    """'Artur Khachatrian of the opposition Hayastan bloc told': the parser may read the last noun of a name's
    "of" phrase as a second subject; the name it describes is the source. The name is a proper noun, not a body
    or a title, with an "of" right after it, and no comma or verb before the second subject."""
    doc = name.doc
    if not (
        name.pos_ == "PROPN"
        and name.ent_type_ not in BODY_LABELS
        and name.lower_ not in TITLE_WORDS
        and name.lemma_.lower() not in ORG_NOUNS
        and desc.ent_type_ not in PERSON_LABELS
        and name.i + 1 < desc.i
        and doc[name.i + 1].lower_ == "of"
    ):
        return False
    return not any(t.text == "," or t.pos_ in ("VERB", "AUX") for t in doc[name.i + 1 : desc.i])


def _dateline_dash(subj: Token, verb: Token) -> int | None:
    """The dash closing a dateline read as the subject ("UNITED NATIONS (AP) — ..."): an upper-case name
    followed, before the verb, by a dash within a few tokens."""
    if verb.i < subj.i:
        return None
    if subj.is_upper and subj.is_alpha and len(subj.text) > 1:
        closers = _DASHES
    elif subj.lower_.rstrip(".") in _MONTHS and subj.i + 1 < len(subj.doc) and subj.nbor(1).like_num:
        # "ISLAMABAD, Jun 12 (APP): ...": the date of the dateline read as the subject
        closers = _DASHES | _COLONS
    elif subj.ent_type_ in ("GPE", "LOC"):
        return _agency_bracket(subj, verb) or _agency_dash(subj, verb)
    else:
        return _agency_dash(subj, verb)
    for t in subj.doc[subj.i + 1 : min(verb.i, subj.i + 9)]:
        # a longer dateline ("SEOUL, July 8 (Yonhap) -- ...") ends at a real dash, never at a hyphen
        if t.text in closers and (t.i < subj.i + 6 or t.text not in ("-", ":")):
            return t.i
    return None


def _agency_bracket(place: Token, verb: Token) -> int | None:
    """The closing bracket of a dateline without a dash ("New Delhi, Jul 15 (PTI) External Affairs Minister ...
    asserted"): a place, then within a few tokens an agency in brackets ("(PTI)", "(IANS)") followed by more
    words before the verb. The bracket ends the dateline."""
    doc = place.doc
    for t in doc[place.i + 1 : min(verb.i, place.i + 9)]:
        if t.text == "\n":
            return None
        if (
            t.text == ")"
            and t.i >= 2
            and doc[t.i - 2].text == "("
            and (doc[t.i - 1].is_upper or doc[t.i - 1].ent_type_ == "ORG")
            and t.i + 1 < verb.i
        ):
            return t.i
    return None


def _agency_dash(place: Token, verb: Token) -> int | None:
    """The dash of a dateline in title case ("Beirut (AFP) – French Foreign Minister ... promised"), which NER may
    tag as a person: the first word of its line, an agency in brackets right after it (at most two more words
    between, "Kuala Lumpur (Bernama) –"), then a dash. Returns the dash."""
    doc = place.doc
    first = place.i
    while first > 0 and doc[first - 1].dep_ == "compound" and doc[first - 1].head.i == place.i:
        first -= 1  # "Addis Abeba": the place's first word opens the line
    if first > 0 and "\n" not in doc[first - 1].text and "\n" not in doc[first - 1].whitespace_:
        return None
    for t in doc[place.i + 1 : min(verb.i, place.i + 5)]:
        if t.text == "(":
            close = t.i + 2
            if (
                close + 1 < verb.i
                and doc[close].text == ")"
                and (doc[t.i + 1].is_upper or doc[t.i + 1].ent_type_ == "ORG")
                and doc[close + 1].text in _DASHES
            ):
                return close + 1
            return None
        if t.text in _DASHES and t.text != "-":
            # "Addis Abeba – The Chairperson of the Commission ... has called": a place of a few capitalised words
            # opening the line, a dash, and a new sentence after it (a capital; no closing dash of an aside)
            words = doc[first : t.i]
            after = doc[t.i + 1] if t.i + 1 < verb.i else None
            if (
                all(w.text[:1].isupper() and w.is_alpha for w in words)
                and after is not None
                and after.text[:1].isupper()
                and not any(u.text in _DASHES for u in doc[t.i + 1 : verb.i])
            ):
                return t.i
            return None
    return None


_COLONS = frozenset({":", "):"})
_MONTHS = frozenset(
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august "
    "september october november december".split()
)


def inverted_subject(view: DocView, last_cue_token: int, hi: int) -> Token | None:
    """'..., said Xi.' when the parse lost the subject: the noun phrase right after the cue, at the end of
    its clause."""
    doc = view.doc
    j = last_cue_token + 1
    while j < hi and doc[j].is_space:
        j += 1
    if j >= hi:
        return None
    first = doc[j]
    if first.pos_ not in ("PROPN", "NOUN", "PRON", "DET", "ADJ") and first.ent_type_ not in PERSON_LABELS:
        return None
    head, k = first, j
    while k < hi and (doc[k].pos_ in ("PROPN", "NOUN", "ADJ", "DET") or doc[k].ent_type_) and not doc[k].is_punct:
        head = doc[k]
        k += 1
    stop = k
    while stop < hi and doc[stop].text not in (".", "!", "?", ";"):
        stop += 1
    rest = [t for t in doc[k:stop] if not (t.is_punct or t.is_space)]
    # '..., said Ana Ruiz, whose son was freed' / ', a nurse who ...': a relative or an appositive set off by a
    # comma goes on about the speaker, however long
    set_off = k + 1 < hi and doc[k].text == "," and doc[k + 1].lower_ in ("who", "whose", "whom", "a", "an", "the")
    return head if len(rest) <= 4 or set_off else None


def mention_span(view: DocView, subj: Token, lo: int, hi: int) -> tuple[int, int]:
    """Token range naming the source: the subject with its pre-modifiers ("Chinese President Xi Jinping").

    Memoised on the view: the cue rules and the speaker rules ask for the same subjects again."""
    key = (subj.i, lo, hi)
    if key not in view.mention_spans:
        view.mention_spans[key] = _mention_span(view, subj, lo, hi)
    return view.mention_spans[key]


def _mention_span(view: DocView, subj: Token, lo: int, hi: int) -> tuple[int, int]:
    doc = view.doc
    left = max(subj.left_edge.i, lo)
    while left < subj.i and (doc[left].is_punct or doc[left].is_space):
        left += 1
    k = subj.i - 1
    while k >= left:  # contiguous pre-modifiers only
        if doc[k].text == ")" and k - 2 >= left and doc[k - 2].text == "(" and doc[k - 1].is_upper:
            k -= 3  # "The Department of Foreign Affairs (DFA) chief": the body's acronym in brackets
            continue
        if doc[k].text == "," and _serial_name_comma(doc, k, left, subj.i):
            k -= 1  # "the Foreign, Commonwealth and Development Office": a comma inside the body's name
            continue
        if doc[k].is_punct and doc[k].text not in ("'s", "’s", "'", ".", "-"):
            left = k + 1
            break
        k -= 1
    # "news agency TASS said": the parser often detaches the describing noun from the name
    if subj.pos_ == "PROPN" and left == subj.i and left - 1 >= lo:
        prev = doc[left - 1]
        if (
            prev.pos_ == "NOUN"
            and prev.lemma_.lower() in _AGENT_NOUNS
            and (prev.head.i in (subj.i, subj.head.i) or subj.head.head.i == prev.i)
        ):
            left = max(prev.left_edge.i, lo)
    if left < subj.i and subj.pos_ == "PROPN":  # "Deputy Prime Minister and Foreign Minister X"
        left = coordinated_title_start(doc, left, lo)
    right = subj.i + 1
    # "The vice-premier told", parsed as three subjects: the hyphenated word is one, with its determiner
    while left - 2 >= lo and _word_hyphen(doc[left - 1]):
        left -= 2
    while right + 1 < hi and _word_hyphen(doc[right]):
        right += 2
    if left - 1 >= lo and left < subj.i and doc[left - 1].dep_ == "det" and left <= doc[left - 1].head.i <= subj.i:
        left -= 1
    while right < hi and doc[right].dep_ in ("flat", "case") and doc[right].head.i == subj.i:
        right += 1
    compound = _compound_title_end(doc, subj, hi)
    if compound is not None:  # "The head of state said": the title is three words
        return left, compound
    if subj.ent_type_ == "ORG" or subj.lemma_.lower() in _BODY_OR_DELEGATE or subj.lower_ in _SPOKES:
        right = _named_complements(subj, right, hi)
    else:
        named = _title_complement_name(subj, right, hi)
        if named is not None:
            right = named[1]
    return _with_abbreviated_given_name(doc, left, right, lo, hi)


def _serial_name_comma(doc, k: int, left: int, head: int) -> bool:
    """Whether the comma at ``k`` separates capitalised words of one name listed "A, B and C" before ``head``."""
    if k - 1 < left or not doc[k - 1].text[:1].isupper() or not doc[k + 1].text[:1].isupper():
        return False
    between = doc[k + 1 : head]
    return any(t.lower_ == "and" for t in between) and all(
        t.text[:1].isupper() or t.lower_ == "and" or t.text == "," for t in between
    )


def _compound_title_end(doc, head: Token, hi: int) -> int | None:
    """'head of state', 'head of government': a title written as a noun and its complement; the token after it."""
    end = head.i + 3
    if end > hi or head.lower_ not in ("head", "heads"):
        return None
    words = " ".join(["head", *(t.lower_ for t in doc[head.i + 1 : end])])  # "heads of government": a group of them
    return end if words in COMPOUND_TITLES else None


def _abbreviated_given_name(doc, k: int) -> bool:
    """'Ma.' in "Ma. Teresita Daza": a given-name abbreviation (data: world.json) split from its full stop,
    followed by a capitalised proper noun."""
    return (
        k + 2 < len(doc)
        and doc[k].lower_ in GIVEN_NAME_STEMS
        and doc[k + 1].text == "."
        and doc[k + 2].pos_ == "PROPN"
        and doc[k + 2].text[:1].isupper()
    )


def _with_abbreviated_given_name(doc, left: int, right: int, lo: int, hi: int) -> tuple[int, int]:
    """Abbreviated given name rule: the tokenizer ends "Ma." at its full stop and the parser hangs "Ma" and
    "Teresita Daza" apart; a mention ending in the abbreviation runs on to the end of the name, and one
    starting right after it takes it in."""
    if right - 1 >= lo and _abbreviated_given_name(doc, right - 1):
        right += 1
        while right < hi and doc[right].pos_ == "PROPN" and doc[right].text[:1].isupper():
            right += 1
    if left - 2 >= lo and _abbreviated_given_name(doc, left - 2):
        left -= 2
    return left, right


def _title_complement_name(subj: Token, right: int, hi: int) -> tuple[int, int] | None:
    """'Federal Minister for Planning Ahsan Iqbal': a capitalised title whose "for/of" complement ends in a
    PERSON name (the parser hangs the name on the preposition). Returns the name's token range. The words
    between the preposition and the name must be capitalised ("the aide of Trump" is not a title)."""
    if not (subj.text[:1].isupper() and subj.lower_ in TITLE_WORDS) or right >= hi:
        return None
    doc = subj.doc
    prep = doc[right]
    if prep.dep_ != "prep" or prep.head.i != subj.i or prep.lower_ not in ("for", "of"):
        return None
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if pobj is None or pobj.i >= hi:
        return None
    # a name NER left untagged: a known given name before a capitalised last word ("... Integration Taras Kachka")
    untagged = (
        pobj.ent_type_ == ""
        and pobj.pos_ == "PROPN"
        and pobj.i - 2 > prep.i
        and pobj.text[:1].isupper()
        and is_given_name(doc[pobj.i - 1].text)
    )
    if pobj.ent_type_ not in PERSON_LABELS and not untagged:
        return _name_closing_title(subj, prep, hi)
    end = pobj.i + 1
    if entity_goes_on(doc, end - 1):
        return None  # the name goes on past its head
    if untagged and doc[pobj.i - 1].ent_type_ == "ORG" and not _person_next(doc, pobj.i):
        start = pobj.i - 1  # the given name NER took into the remit's body ("European Integration Taras" as ORG)
    else:
        start = entity_start(doc, pobj.i - 1 if untagged else pobj.i, prep.i + 1)
        before = doc[start - 1]
        if start - 1 > prep.i + 1 and before.pos_ == "PROPN" and before.ent_type_ == "" and is_given_name(before.text):
            start -= 1  # "... Integration Taras Melnyk", NER tagging only the family name
    if end - start >= 3 and _title_country(doc, start):
        start += 1  # "... of the Democratic Republic of the Congo Therese Kayikwamba Wagner": NER took in the country
    if start <= prep.i + 1 or any(
        # "for European and Euro-Atlantic Integration": small words and hyphens inside the remit's name
        (not t.text[:1].isupper() and t.lower_ not in _REMIT_GLUE) or t.ent_type_ in PERSON_LABELS
        for t in doc[prep.i + 1 : start]
    ):
        return None
    return start, end


_REMIT_GLUE = frozenset(("and", "of", "the", "for", "-", "&"))


def _person_next(doc, k: int) -> bool:
    return k + 1 < len(doc) and doc[k + 1].ent_type_ in PERSON_LABELS


def _name_closing_title(subj: Token, prep: Token, hi: int) -> tuple[int, int] | None:
    """'Head of the Mission of Ukraine to the EU Vsevolod Chentsov told', NER taking the name into the body's
    entity: the subject phrase ends in a known given name and one or two capitalised words, everything between
    the preposition and them capitalised or the small words of a remit. Returns the name's token range."""
    doc = subj.doc
    end = min(subj.right_edge.i + 1, hi)
    end = next((t.i for t in doc[prep.i + 1 : end] if t.text == ","), end)  # "..., commenting on X, wrote"
    for size in (2, 3):
        start = end - size
        if start <= prep.i + 1:
            return None
        name = doc[start:end]
        if (
            is_given_name(name[0].text)
            and all(t.pos_ == "PROPN" and t.text[:1].isupper() and not t.is_upper for t in name)
            and not any(t.ent_type_ in ("GPE", "NORP") or t.lower_ in ORG_NOUNS for t in name)
            and all(t.text[:1].isupper() or t.lower_ in _REMIT_GLUE | {"to", "in"} for t in doc[prep.i + 1 : start])
        ):
            return start, end
    return None


# verbs whose subject reports what someone said ("the ministry quoted X as saying", "state media reported")
_REPORT_VERBS = frozenset(
    "say quote cite report state announce tell confirm add note publish release issue write post deny claim "
    "stress warn insist".split()
)
_REPORT_IDS = id_set(_REPORT_VERBS)
_ORG_IDS = id_set(ORG_NOUNS)
_SPOKES = frozenset(WORLD["spokesperson_nouns"])
_ORG_HEAD_NOUNS = frozenset(WORLD["organisation_head_nouns"])
# people named by whom they speak for: "the representative of France", "the speaker for the Russian Federation"
_DELEGATES = frozenset(WORLD["delegate_nouns"])
_NAMING_PREPS = frozenset({"of", "for", "to", "in"})
# unions the rules test often, built once
_AGENT_NOUNS = ORG_NOUNS | PERSON_NOUNS
_BODY_OR_DELEGATE = ORG_NOUNS | _DELEGATES
_PRONOUNS = PERSON_PRONOUNS | OTHER_PRONOUNS


def _named_complements(head: Token, right: int, hi: int) -> int:
    """Extend a body's mention over the prepositional phrases that are part of its name: "the Ministry of
    Health in Gaza", "the UN Office for the Coordination of Humanitarian Affairs", "The China Chamber of
    Commerce to the EU", "A spokeswoman for the German Economy Ministry". Each object must be a name."""
    heads = [head]
    for _ in range(4):
        prep = next((c for h in heads for c in h.children if c.dep_ == "prep" and c.i == right), None)
        if prep is None or prep.lower_ not in _NAMING_PREPS:
            break
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is not None and pobj.pos_ != "PROPN" and head.lemma_.lower() in _DELEGATES and prep.lower_ == "of":
            # "The representative of the United Kingdom, Council penholder on Libya, said", the parser taking the
            # appositive for the object: the country named right after "of" ends the mention
            k = prep.i + 1 + (prep.doc[prep.i + 1].lower_ == "the")
            if k < hi and prep.doc[k].ent_type_ == "GPE" and prep.doc[k - 1].ent_iob_ in ("B", "O", ""):
                end = k + 1
                while end < hi and prep.doc[end].ent_iob_ == "I":
                    end += 1
                return end
        # "a spokesperson for the prime minister": whom a spokesperson speaks for may be named by a title
        speaks_for = head.lower_ in _SPOKES and pobj is not None and _titled_object(pobj)
        if pobj is None or (pobj.pos_ != "PROPN" and not speaks_for) or pobj.ent_type_ in ("DATE", "TIME", "CARDINAL"):
            break
        comma = _comma_before_name(prep, pobj)
        if comma is not None:  # "its representative in Chad, Ana Ruiz": the name is an appositive
            return comma
        end = pobj.i + 1
        while end < hi and doc_flat(pobj, end):
            end += 1
        # "the Ministry of Commerce and Industry": a name coordinated inside the body's name
        conj = next((c for c in pobj.children if c.dep_ == "conj" and c.i > pobj.i), None)
        if (
            conj is not None
            and conj.pos_ == "PROPN"
            and conj.ent_type_ not in PERSON_LABELS
            and conj.i < hi
            and end < hi
            and pobj.doc[end].lower_ in ("and", "&")
            and conj.left_edge.i == end + 1
            and all(t.text[:1].isupper() for t in pobj.doc[end + 1 : conj.i + 1])
        ):
            end = conj.i + 1
            while end < hi and doc_flat(conj, end):
                end += 1
        if end > hi:
            break
        right = end
        heads.append(pobj)
    return right


def _comma_before_name(prep: Token, pobj: Token) -> int | None:
    """The comma in "representative in Chad, Ana Ruiz" when the parser made the name the object of "in"."""
    if pobj.ent_type_ not in PERSON_LABELS:
        return None
    start = pobj.i
    while start > prep.i + 1 and pobj.doc[start - 1].ent_iob_ == "I" and pobj.doc[start].ent_iob_ == "I":
        start -= 1
    while start > prep.i + 1 and pobj.doc[start - 1].ent_type_ in PERSON_LABELS:
        start -= 1
    comma = start - 1
    return comma if comma > prep.i + 1 and pobj.doc[comma].text == "," else None


def doc_flat(pobj: Token, k: int) -> bool:
    tok = pobj.doc[k]
    return tok.dep_ in ("flat", "case") and tok.head.i == pobj.i


# ---- reading a subject ---------------------------------------------------------------------------------


def can_speak(subj: Token) -> bool:
    """A person, a body, a document or a pronoun for one, as opposed to "the move", "this", "history"."""
    if subj.pos_ == "PROPN" or subj.ent_type_ in PERSON_LABELS | BODY_LABELS:
        return True
    low = subj.lemma_.lower()
    if subj.pos_ == "PRON":
        return subj.lower_ in PERSON_PRONOUNS or subj.lower_ in ("they", "we", "i", "you", "who")
    return low in PERSON_NOUNS or low in ORG_NOUNS or low in DOCUMENT_NOUNS or low in _JOINT_HEADS


def describe(view: DocView, subj: Token, lo: int, hi: int) -> Source:
    """Read a subject as a named person, a described person or body, a pronoun, or unknown."""
    if subj.is_space or subj.is_punct:
        return Source(subj.i, subj.i + 1, None)  # a line break the parser hung as a subject is no one
    if subj.text in CAPITAL_HONORIFICS:  # "HE the Prime Minister affirmed": His Excellency, not "he"
        title = next((c for c in view.kids(subj) if c.dep_ == "appos" and c.i > subj.i), None)
        if title is not None:
            subj = title
    low = subj.lower_
    named_he = _family_name_he(view, subj)
    if named_he:  # '"...," He said' after "Vice-Premier He Lifeng": the name, not "he"
        return Source(subj.i, subj.i + 1, "person", name=named_he)
    if subj.pos_ == "PRON" or low in PERSON_PRONOUNS or low in THING_PRONOUNS:
        return describe_pronoun(subj)
    if low == "old" and {"the", "year"} <= {c.lower_ for c in view.kids(subj)}:
        # '"...," the 61-year-old told the BBC': an age stands for the person just named, as "he" does
        return Source(subj.left_edge.i, subj.i + 1, "person", pronoun="person")
    left, right = mention_span(view, subj, lo, hi)
    if subj.text in STYLES and right == subj.i + 1 and any(c.lower_ in ("his", "her") for c in view.kids(subj)):
        return Source(left, right, "person", style=subj.text)  # "His Royal Highness said", no name after it
    readings = (  # the shapes a parser gets wrong, tried in order before the general reading below
        lambda: _coordinated_title_person(view, subj, left, hi),
        lambda: _title_with_conjoined_name(view, subj, left, hi),
        lambda: _titled_name_over_coordination(view, subj, left, hi),
        lambda: _title_of_body_then_name(view, subj, left, hi),
        lambda: _given_and_family_name_tagged_as_body(view, subj, left),
        lambda: describe_joint(subj, left, right, hi),
        lambda: _polity(view, subj, left, hi),
        lambda: _body_spokesperson(view, subj, left, hi),
        lambda: _body_acronym_spokesperson_name(view, subj, left, hi),
    )
    for reading in readings:
        found = reading()
        if found is not None:
            return found
    bare = strip_determiner(view.span_text(left, right))
    if strip_possessive(bare).casefold() in _SEATS_OF_GOVERNMENT:  # "Downing Street said": the government
        return Source(left, right, "organisation", name=strip_possessive(bare))
    if subj.pos_ == "PROPN" and any(
        c.dep_ == "appos" and c.pos_ == "NOUN" and c.lemma_.lower() in ORG_NOUNS for c in view.kids(subj)
    ):  # "The Samyukt Kisan Morcha, an umbrella body of farmers' unions, said": a body, whatever NER says
        return _read_body(view, subj, left, right, bare, subj.lemma_.lower())
    if subj.pos_ == "NOUN" and subj.lemma_.lower() in ORG_NOUNS:
        # "Industry body UK Steel said", parsed with the name in apposition to the body noun: the body it names
        named = next(
            (c for c in view.kids(subj) if c.dep_ == "appos" and c.left_edge.i == subj.i + 1 and c.ent_type_ == "ORG"),
            None,
        )
        if named is not None:
            return describe(view, named, lo, hi)
    person = _read_person(view, subj, left, right, lo, hi, bare)
    if person is None:
        person = describe_titled_name(view, subj, left, right, hi)
    if person is None:
        person = describe_appositive_name(view, subj, left, right, lo, hi, bare)
    if person is not None:
        return person
    return _describe_by_head(view, subj, left, right, lo, hi, bare)


def _body_acronym_spokesperson_name(view: DocView, subj: Token, left: int, hi: int) -> Source | None:
    """'Foreign Office (FO) spokesperson Tahir Andrabi said', parsed with the body as the subject and the
    spokesperson and the name as its appositives (the bracketed acronym splits the title): the named person,
    the words before the name the role."""
    if subj.ent_type_ != "ORG" and subj.lemma_.lower() not in ORG_NOUNS:
        return None
    doc = view.doc
    spokes = next((c for c in view.kids(subj) if c.dep_ == "appos" and c.lower_ in _SPOKES and c.i > subj.i), None)
    if spokes is None or doc[spokes.i - 1].text != ")":
        return None
    end = spokes.i + 1
    while end < hi and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper():
        end += 1
    if end - spokes.i < 3 or (end < len(doc) and doc[end].pos_ not in ("VERB", "AUX", "PUNCT")):
        return None  # a name of two words at least, then the verb or a comma
    role = strip_determiner(view.span_text(left, spokes.i + 1))
    return Source(left, end, "person", name=view.span_text(spokes.i + 1, end), role=role)


def _family_name_he(view: DocView, subj: Token) -> str:
    """A capitalised "He" inside a sentence (after a quotation's closing comma, or not its first word) in a text
    that names a person "He ..." after a title ("Vice-Premier He Lifeng"): that person's full name, not the
    pronoun; "" otherwise."""
    doc = view.doc
    if subj.text != "He" or subj.i < 2:
        return ""
    after_quote = doc[subj.i - 1].text in ('"', "”", "’", "'") and doc[subj.i - 2].text in (",", "?", "!")
    inside = subj.i != subj.sent.start and any(t.is_alpha for t in doc[subj.sent.start : subj.i])
    if not (after_quote or inside):
        return ""  # the sentence's first word: "He said ..." is the pronoun
    for t in doc[: subj.i]:
        if t.text == "He" and 0 < t.i < len(doc) - 1 and doc[t.i - 1].lower_ in TITLE_WORDS:
            given = doc[t.i + 1]
            if given.pos_ == "PROPN" and given.text[:1].isupper() and given.is_alpha:
                return f"He {given.text}"
    return ""


def _body_spokesperson(view: DocView, subj: Token, left: int, hi: int) -> Source | None:
    """'A Department for Business and Trade spokesperson said', parsed with the body as the subject and the
    spokesperson as the object of its "for": an unnamed spokesperson of that body, not the body."""
    if subj.ent_type_ != "ORG" and subj.lemma_.lower() not in ORG_NOUNS:
        return None
    end = subj.right_edge.i
    last = view.doc[end]
    if end >= hi or last.lower_ not in _SPOKES or last.dep_ != "pobj" or last.i < subj.i + 2:
        return None
    if any(t.pos_ in ("VERB", "AUX") or t.is_punct for t in view.doc[subj.i : end]):
        return None
    return Source(left, end + 1, "person", name=strip_determiner(view.span_text(left, end + 1)), penalty=0.05)


_POLITY_NOUNS = frozenset(WORLD["polity_nouns"])
_SEATS_OF_GOVERNMENT = frozenset(WORLD["seats_of_government"])


def _polity(view: DocView, subj: Token, left: int, hi: int) -> Source | None:
    """'The State of Qatar has said', 'the Kingdom of Saudi Arabia': a country's formal name is the country."""
    if subj.lower_ not in _POLITY_NOUNS or not subj.text[:1].isupper():
        return None
    prep = next((c for c in view.kids(subj) if c.dep_ == "prep" and c.lower_ == "of" and c.i == subj.i + 1), None)
    pobj = next((c for c in view.kids(prep) if c.dep_ == "pobj"), None) if prep is not None else None
    if pobj is None or pobj.ent_type_ != "GPE" or pobj.i >= hi:
        return None
    start = entity_start(view.doc, pobj.i, prep.i + 1)
    end = pobj.i + 1
    formal = view.span_text(subj.i, end)
    return Source(left, end, "organisation", name=view.span_text(start, end), extra_aliases=(formal,))


def describe_pronoun(subj: Token) -> Source:
    """A pronoun subject: "he"/"she" for a person, "it" for a body, "they" for a group, "we"/"I" for no single
    source."""
    low = subj.lower_
    if low in PERSON_PRONOUNS or low == "his":  # "his" from "In his words, ..."
        return Source(subj.i, subj.i + 1, "person", pronoun="person")
    if low in THING_PRONOUNS:
        return Source(subj.i, subj.i + 1, "organisation", pronoun="thing")
    if low == "they":  # an organisation or a group named in the previous attribution
        return Source(subj.i, subj.i + 1, None, pronoun="group")
    return Source(subj.i, subj.i + 1, None)  # we, I: no single source


def _given_and_family_name_tagged_as_body(view: DocView, subj: Token, left: int) -> Source | None:
    """'Military analyst Alexei Voronin told', with "Voronin" tagged ORG: a known given name right before a
    one-word name after a person noun or a title ("analyst", "Minister") makes the two a person's name."""
    doc = view.doc
    given = doc[subj.i - 1] if subj.i - 1 >= left else None
    if subj.pos_ != "PROPN" or subj.ent_type_ not in ("ORG", "GPE", "NORP") or given is None:
        return None
    if given.pos_ != "PROPN" or not is_given_name(given.text) or given.ent_type_ not in ("", subj.ent_type_):
        return None
    if given.ent_type_ and given.ent_iob_ == "B" and subj.ent_iob_ == "I":
        return None  # one entity of two words: NER's reading of the pair, left to the general rules
    before = doc[given.i - 1] if given.i - 1 >= left else None
    if before is None or not (before.lemma_.lower() in PERSON_NOUNS or before.lower_ in TITLE_WORDS):
        return None
    role = strip_determiner(view.span_text(left, given.i))
    return Source(left, subj.i + 1, "person", name=f"{given.text} {subj.text}", role=role)


def _title_of_body_then_name(view: DocView, subj: Token, left: int, hi: int) -> Source | None:
    """'President of Ukraine Volodymyr Zelensky said', 'Secretary of the National Security and Defense Council
    Rustem Umerov told': a title, "of" and a body, then the holder's name, which the parser hangs inside the "of"
    phrase. The person is the name at the end of that phrase (before any comma); the words before it the role."""
    if subj.lower_ not in TITLE_WORDS or not subj.text[:1].isupper():
        return None
    of = next((c for c in view.kids(subj) if c.dep_ == "prep" and c.lower_ == "of" and c.i == subj.i + 1), None)
    if of is None:
        return None
    doc, end = view.doc, of.i + 1
    while end < hi and not doc[end].is_punct and doc[end].pos_ not in ("VERB", "AUX") and of.is_ancestor(doc[end]):
        end += 1
    if end <= of.i + 3 or not all(t.pos_ == "PROPN" for t in doc[end - 2 : end]):
        return None
    # the name starts after the country or the body: "of Ukraine Volodymyr Zelensky" (all of it tagged NORP),
    # "of the ... Council Rustem Umerov" (the council's last word inside the PERSON entity)
    after_body = next(
        (k + 1 for k in range(end - 3, of.i, -1) if fold(doc[k].text) in COUNTRIES or doc[k].lower_ in ORG_NOUNS),
        None,
    )
    if doc[end - 1].ent_type_ == "PERSON" and not entity_goes_on(doc, end - 1):
        start = max(entity_start(doc, end - 1, of.i), after_body or 0)
    else:
        start = after_body
        if start is None or not all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in doc[start:end]):
            return None
    if start <= of.i + 1 or end - start < 2:  # a body between "of" and the name, and a name of two words at least
        return None
    role = view.span_text(left, start)
    return Source(left, end, "person", name=view.span_text(start, end), role=strip_determiner(role))


def describe_joint(subj: Token, left: int, right: int, hi: int) -> Source | None:
    """A joint source speaks for several parties: "China and Pakistan said" (named: the parties are its name),
    "the two sides said", "both leaders said" (to be read back to the parties the text named before)."""
    if any(c.dep_ == "conj" for c in subj.children) and _coordinated(subj):
        end = min(subj.right_edge.i + 1, hi)
        one = _one_party_coordination(subj, left, end)
        if one is not None:
            return one
        return Source(left, end, None, plural=True, joint=True, name=joint_name(_conjuncts(subj)) or "")
    other = _subject_before_and(subj)
    if other is not None:  # "President Lee Jae-myung and Prime Minister Anthony Albanese said", parsed as two subjects
        return Source(other.left_edge.i, right, None, plural=True, joint=True, name=joint_name([other, subj]) or "")
    people = _titled_people_before(subj, left)
    if people:  # "Foreign Minister Ana Ruiz and Interior Minister Tom Reyes said", the first a modifier of the second
        return Source(left, right, None, plural=True, joint=True, name=joint_name(people) or "")
    if subj.lower_ in _JOINT_HEADS:
        words = {t.lower_ for t in subj.doc[left : subj.i]}
        if "both" in words or ("the" in words and not words.isdisjoint(_PARTY_COUNTS)):
            return Source(left, right, None, plural=True, joint=True)  # "both sides", "the three countries"
        if not words.isdisjoint(("two", "all")) and any(c.lower_ in ("two", "all") for c in subj.children):
            return Source(left, right, None)  # "two opposition parties": no one in particular
    return None


def _one_party_coordination(subj: Token, left: int, end: int) -> Source | None:
    """A coordination that names one party: a body whose name holds "and" ("The Hostages and Missing Families
    Forum said", every word capitalised, the last a body noun), or one person with two offices and the name after
    them ("Turkey's environment minister and Cop31 president, Murat Kurum, said")."""
    doc = subj.doc
    conjuncts = _conjuncts(subj)
    last = conjuncts[-1]
    words = [t for t in doc[left:end] if t.is_alpha and t.lower_ not in ("and", "the", "of", "for")]
    if (
        len(conjuncts) == 2
        and last.lemma_.lower() in ORG_NOUNS
        and all(t.text[:1].isupper() for t in words)
        and not any(t.ent_type_ in PERSON_LABELS | {"GPE"} for t in doc[left:end])
    ):
        return Source(left, end, "organisation", name=strip_determiner(doc[left:end].text))
    if all(c.lower_ in TITLE_WORDS and c.pos_ == "NOUN" for c in conjuncts):
        name = next((c for t in conjuncts for c in t.children if c.dep_ == "appos" and c.i > last.i), None)
        if name is not None and doc[name.left_edge.i - 1].text == ",":
            surface = doc[name.left_edge.i : name.i + 1].text
            if _looks_like_person_name(surface) or name.ent_type_ in PERSON_LABELS:
                role = doc[left : name.left_edge.i - 1].text
                return Source(left, name.i + 1, "person", name=surface, role=role)
    return None


# what a joint description may stand for: "the two leaders" are people, "the two countries" states or blocs
_JOINT_LABELS = {
    "leader": PERSON_LABELS,
    "country": frozenset({"GPE", "ORG"}),
    "nation": frozenset({"GPE", "ORG"}),
    "government": frozenset({"GPE", "ORG"}),
}
_JOINT_PARTY_LABELS = PERSON_LABELS | frozenset({"GPE", "ORG"})


_PARTY_COUNTS = {"both": 2, "two": 2, "three": 3, "four": 4}


def _titled_people_before(subj: Token, left: int) -> list[Token]:
    """The last words of two people's names inside one subject that the parser did not coordinate: a PERSON name,
    "and", then titles and the subject's own PERSON name; empty when the subject names one person."""
    doc = subj.doc
    if subj.ent_type_ != "PERSON" or entity_goes_on(doc, subj.i):
        return []
    start = entity_start(doc, subj.i, left)
    k = start - 1
    while k > left and doc[k].text[:1].isupper() and not doc[k].ent_type_ == "PERSON":
        k -= 1  # the second person's titles ("Interior Minister")
    if k <= left or doc[k].lower_ != "and" or doc[k - 1].ent_type_ != "PERSON" or k - 1 < left:
        return []
    if not any(t.lower_ in TITLE_WORDS for t in doc[k + 1 : start]):
        return []  # "Ana Ruiz and Tom Reyes" without titles is a coordination the other rules read
    return [doc[k - 1], subj]


def _subject_before_and(subj: Token) -> Token | None:
    """The other subject of the same verb right before this one across an "and": the parser's reading of "Title
    A and Title B said" as two subjects instead of a coordination."""
    doc = subj.doc
    left = subj.left_edge.i
    if left < 2 or doc[left - 1].lower_ != "and" or doc[left - 1].head.i == subj.i:
        return None
    other = doc[left - 2]
    while other.head.i != other.i and other.head.i < left and other.dep_ not in ("nsubj", "nsubjpass"):
        other = other.head
    if other.dep_ != subj.dep_ or other.head.i != subj.head.i or other.right_edge.i not in (left - 2, left - 1):
        return None
    return other


def _joint_subject(tok: Token) -> bool:
    """The head of a coordination that acts or meets: "India and Canada relaunched talks", "talks between Iran
    and the US" (not a list of places the parties discussed)."""
    if tok.dep_ == "conj" or not any(c.dep_ == "conj" for c in tok.children):
        return False
    if tok.dep_ in ("nsubj", "nsubjpass"):  # of the sentence's main verb: not "since Israel and the US struck"
        verb = tok.head
        while verb.dep_ in ("conj", "xcomp", "ccomp") and verb.head.i != verb.i:
            verb = verb.head
        return verb.dep_ == "ROOT"
    return tok.dep_ == "pobj" and tok.head.lower_ in ("between", "by")


def _conjuncts(head: Token) -> list[Token]:
    out, frontier = [head], [head]
    while frontier:
        frontier = [c for t in frontier for c in t.children if c.dep_ == "conj"]
        out.extend(frontier)
    return sorted(out, key=lambda t: t.i)


def joint_name(conjuncts: list[Token], labels: frozenset[str] = _JOINT_PARTY_LABELS) -> str | None:
    """The parties of a coordination, each by its name: "Iran and the United States", "Lee Jae-myung and Anthony
    Albanese" (of "President Lee Jae-myung and visiting Australian Prime Minister Anthony Albanese"); None unless
    every conjunct is the last word of a name of one of ``labels`` (a person, a state or a body)."""
    if len(conjuncts) < 2:
        return None
    doc, names = conjuncts[0].doc, []
    for tok in conjuncts:
        if tok.ent_type_ not in labels or entity_goes_on(doc, tok.i):
            return None
        if tok.is_upper and len(tok) > 3:  # "MUSCAT, Oman (AP)": a dateline
            return None
        start = entity_start(doc, tok.i)
        if names and tok.ent_type_ != "PERSON" and start > 0 and doc[start - 1].lower_ == "the":
            start -= 1  # "Iran and the United States"
        names.append(doc[start : tok.i + 1].text)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _titled_name_over_coordination(view: DocView, subj: Token, left: int, hi: int) -> Source | None:
    """'Deputy Prime Minister and Minister of Foreign Affairs Prak Sokhonn said', 'Trade, Industry and Competition
    Minister Parks Tau told': a coordination the parser built inside one title, ending in one person's name. The
    whole subject must read as a title and a name of two or more capitalised words with no "and" in it."""
    if not any(c.dep_ == "conj" for c in view.kids(subj)) or not subj.text[:1].isupper():
        return None
    if subj.lower_ in TITLE_WORDS:  # "Leader of the delegation and Foreign Minister, Ana Ruiz, said"
        for conj in (c for c in view.kids(subj) if c.dep_ == "conj" and c.lower_ in TITLE_WORDS):
            named = next((a for a in view.kids(conj) if a.dep_ == "appos" and a.ent_type_ in PERSON_LABELS), None)
            if named is not None and named.i < hi:
                a_left, a_right = mention_span(view, named, left, hi)
                role = view.span_text(left, conj.i + 1)
                return Source(
                    left, a_right, "person", name=strip_possessive(view.span_text(a_left, a_right)), role=role
                )
        # "said the Deputy Prime Minister and Minister of Foreign Affairs, Antonio Tajani,": the name in
        # apposition to the first title, every conjunct a bare title of the same person (no determiner of its own)
        conjs = [c for c in view.kids(subj) if c.dep_ == "conj"]
        named = next((a for a in view.kids(subj) if a.dep_ == "appos" and a.ent_type_ in PERSON_LABELS), None)
        if (
            named is not None
            and named.i < hi
            and all(c.lower_ in TITLE_WORDS and c.i < named.i for c in conjs)
            and not any(k.dep_ == "det" for c in conjs for k in view.kids(c))
        ):
            a_left, a_right = mention_span(view, named, left, hi)
            role = strip_determiner(view.text[view.doc[left].idx : view.doc[a_left].idx]).strip(" ,")
            return Source(left, a_right, "person", name=strip_possessive(view.span_text(a_left, a_right)), role=role)
    end = min(subj.right_edge.i + 1, hi)
    last = view.doc[end - 1]
    if last.pos_ != "PROPN" or last.ent_type_ not in ("", *PERSON_LABELS):
        return None
    name, role = speaker_name_parts(view.span_text(left, end))
    words = name.split()
    if not role or len(words) < 2 or "and" in words or not all(w[:1].isupper() for w in words):
        return None
    if not any(w.casefold() in TITLE_WORDS for w in role.split()[-2:]):
        return None  # the role must end in a title: "Alice Moreau and Tom Reyes" is two people
    if any(
        t.ent_type_ in PERSON_LABELS and t.text not in words and fold(t.text) not in COUNTRY_OF
        for t in view.doc[left:end]
    ):  # "Prime Minister Sanae Takaichi and South Korean President Lee Jae-myung": two people ("Kazakh" is no one)
        return None
    return Source(left, end, "person", name=name, role=role)


def _title_with_conjoined_name(view: DocView, subj: Token, left: int, hi: int) -> Source | None:
    """'Minister for Europe and Foreign Affairs Ana Ruiz arrived': a title whose "and" the parser took for a
    coordination of the title and the name; the name is the person, the title before it the role."""
    if subj.lower_ not in TITLE_WORDS:
        return None
    name = next((c for c in view.kids(subj) if c.dep_ == "conj" and c.ent_type_ in PERSON_LABELS and c.i < hi), None)
    if name is None:
        return None
    start = name.i
    while start > subj.i + 1 and view.doc[start - 1].ent_iob_ == "I" or view.doc[start].ent_iob_ == "I":
        start -= 1
    if _coordinated(subj) and not _portfolio_before_name(view, name, start):
        return None
    role = strip_determiner(view.text[view.doc[left].idx : view.doc[start].idx]).strip(" ,")
    return Source(left, name.i + 1, "person", name=view.span_text(start, name.i + 1), role=role)


def _portfolio_before_name(view: DocView, name: Token, start: int) -> bool:
    """'Minister of Economy and Sustainable Development Mariam Kvrivishvili', the parser hanging the "and" on the
    title: the conjunct opens with capitalised words that are no title and no name of their own ("Sustainable
    Development"), the rest of a portfolio, so the "and" is inside the title."""
    words = view.doc[name.left_edge.i : start]
    return bool(words) and all(
        t.text[:1].isupper() and not t.ent_type_ and t.lower_ not in TITLE_WORDS and t.pos_ in ("PROPN", "ADJ", "NOUN")
        for t in words
    )


def _coordinated(subj: Token) -> bool:
    """'Alice Moreau, Tom Reyes and Ana Ruiz said': a conjunction or comma hangs on the chain of conjuncts
    itself; in "Minister for Europe and Foreign Affairs Ana Ruiz" the parser makes the name a conjunct of the
    title while the "and" belongs inside the title: one person."""
    chain, frontier = {subj.i}, [subj]
    while frontier:
        nxt = [c for t in frontier for c in t.children if c.dep_ == "conj"]
        chain.update(c.i for c in nxt)
        frontier = nxt
    return any(t.head.i in chain and (t.dep_ == "cc" or t.text == ",") for t in subj.subtree if t.i not in chain)


_REMIT_PREPS = frozenset(("to", "of", "for"))


def _title_country(doc, k: int) -> bool:
    """Whether token ``k`` is a country that closes a title ("ambassador to India", "of the Congo"), which NER may
    take into the name after it ("India Lok Raj Baral")."""
    return k > 0 and fold(doc[k].text) in COUNTRIES and doc[k - 1].lower_ in _REMIT_PREPS | {"the"}


def describe_titled_name(view: DocView, subj: Token, left: int, right: int, hi: int) -> Source | None:
    """A title whose complement ends in a name: "Minister for Fisheries Anna Berg said" is Anna Berg, with the
    title as her role."""
    named = _title_complement_name(subj, subj.i + 1, hi)
    if named is None or named[1] != right:
        return None
    doc = view.doc
    if named[1] - named[0] >= 3 and _title_country(doc, named[0]):
        named = (named[0] + 1, named[1])  # "ambassador to India Lok Raj Baral", NER's name taking in the country
    role = strip_determiner(view.text[doc[left].idx : doc[named[0]].idx]).strip(" ,")
    return Source(left, right, "person", name=strip_possessive(view.span_text(*named)), role=role)


def describe_appositive_name(
    view: DocView, subj: Token, left: int, right: int, lo: int, hi: int, bare: str
) -> Source | None:
    """A description followed by a name in apposition: "the company's spokesman, Jan Novak, said" is Jan Novak
    with the description as his role; so is "the envoy to Chile, Ana Ruiz, wrote", where the name hangs on the
    last noun."""
    appos = next((c for c in view.kids(subj) if c.dep_ == "appos" and _person_word(c)), None)
    if appos is None and subj.lower_ in TITLE_WORDS | PERSON_NOUNS:
        # "Ukraine's chief negotiator Rustem Umerov said", the name tagged ORG: a title noun with a name right
        # after it that looks like a person's (two or more title-case words, none a body or title word)
        # "The force's spokesperson, Lt. Col. Amara Diallo, told", the name tagged ORG: set off by commas, a name
        # after its titles
        appos = next(
            (
                c
                for c in view.kids(subj)
                if c.dep_ == "appos"
                and c.pos_ == "PROPN"
                and (
                    c.left_edge.i == subj.i + 1
                    or (
                        c.left_edge.i == subj.i + 2
                        and view.doc[subj.i + 1].text == ","
                        and c.i + 1 < len(view.doc)
                        and view.doc[c.i + 1].text == ","
                    )
                )
                and _looks_like_person_name(
                    speaker_name_parts(view.span_text(c.left_edge.i, c.i + 1))[0]
                    or view.span_text(c.left_edge.i, c.i + 1)
                )
            ),
            None,
        )
    if appos is None:  # "the envoy to Chile, Ana Ruiz", "a lawmaker representing Jask, Ana Ruiz": on the object
        appos = next(
            (
                g
                for p in view.kids(subj)
                if p.dep_ in ("prep", "acl") and p.i > subj.i
                for o in view.kids(p)
                if o.dep_ == ("pobj" if p.dep_ == "prep" else "dobj")
                for g in view.kids(o)
                if g.dep_ == "appos"
                and g.ent_type_ in PERSON_LABELS
                and g.i > o.i + 1
                and o.nbor(1).text == ","
                and not _titled_object(o)
            ),
            None,
        )
    if appos is None:  # "its representative in Chad, Ana Ruiz, said": the name parsed as the object of "in"
        appos = next(
            (
                o
                for p in view.kids(subj)
                if p.dep_ == "prep" and p.i > subj.i
                for o in view.kids(p)
                if o.dep_ == "pobj" and _comma_before_name(p, o) is not None
            ),
            None,
        )
    if appos is None:
        appos = _name_inside_description(view, subj, lo, hi)
    if appos is None:
        return _name_after_remit(view, subj, left, right, bare)
    a_left, a_right = mention_span(view, appos, lo, hi)
    named = next((c for c in view.kids(appos) if c.dep_ == "appos" and c.ent_type_ in PERSON_LABELS), None)
    if named is not None and appos.lower_ in TITLE_WORDS and named.i > appos.i:
        a_right = max(a_right, mention_span(view, named, lo, hi)[1])  # ", Rear Admiral Jay Tarriela,": the title's name
    surface = strip_possessive(view.span_text(a_left, a_right))
    name, _ = speaker_name_parts(surface)  # "..., presidential aide Vladimir Medinsky, told": the title is no name
    if (not name or name == surface) and surface.split()[0].casefold() in TITLE_WORDS:
        name = _name_ending_title(view, a_left, a_right) or name
    return Source(left, right, "person", name=name or surface, role=bare)


def _name_ending_title(view: DocView, left: int, right: int) -> str | None:
    """The name that ends a title phrase the name reader could not split ("Deputy Prime Minister for European
    Integration Victor Ciobanu"): from the last known given name, or the start of the PERSON entity at its end, to
    the end; None when neither is there."""
    doc = view.doc
    for k in range(max(left + 1, right - 3), right - 1):
        if is_given_name(doc[k].text) and all(t.text[:1].isupper() and t.pos_ == "PROPN" for t in doc[k:right]):
            return view.span_text(k, right)
    if doc[right - 1].ent_type_ in PERSON_LABELS:
        start = _person_start(doc, entity_start(doc, right - 1, left))
        if start > left:
            return view.span_text(start, right)
    return None


def _name_after_remit(view: DocView, subj: Token, left: int, right: int, bare: str) -> Source | None:
    """'US Ambassador to India Sergio Gor, who met ..., said': a title whose remit's country the parser put inside
    the name hung on the title; the name is the known given name and the words after it."""
    if subj.lower_ not in TITLE_WORDS:
        return None
    doc = view.doc
    for c in view.kids(subj):
        if c.dep_ != "appos" or c.pos_ != "PROPN" or c.i <= subj.i or c.left_edge.i != subj.i + 2:
            continue  # the remit's preposition right after the title, then the country and the name
        start = c.left_edge.i
        while start < c.i and (doc[start].ent_type_ in ("GPE", "NORP") or doc[start].lower_ in _REMIT_PREPS):
            start += 1
        if (
            start > c.left_edge.i
            and is_given_name(doc[start].text)
            and _looks_like_person_name(view.span_text(start, c.i + 1))
        ):
            role = strip_determiner(view.text[doc[left].idx : doc[start].idx]).strip(" ,")
            return Source(left, c.i + 1, "person", name=view.span_text(start, c.i + 1), role=role)
    return None


def _person_word(tok: Token) -> bool:
    """A word of a person's name: tagged so, or the end of a hyphenated given name NER tagged only in part
    ("Cheng Li-wun", with "wun" left out)."""
    if tok.ent_type_ in PERSON_LABELS:
        return True
    doc = tok.doc
    return (
        tok.pos_ == "PROPN"
        and tok.i >= 2
        and doc[tok.i - 1].text == "-"
        and not doc[tok.i - 1].whitespace_
        and doc[tok.i - 2].ent_type_ in PERSON_LABELS
    )


_NOT_NAME_LABELS = frozenset({"GPE", "LOC", "NORP", "FAC", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT"})


def _name_inside_description(view: DocView, subj: Token, lo: int, hi: int) -> Token | None:
    """Named person rule: a name set off by commas anywhere inside a description of a person names the
    subject, however deep the parser hung it: "Her successor as special envoy, Ana Ruiz, said" (after "as",
    the subject's own capacity), "The party's spokesperson, Ana Ruiz, said" (a name NER took for a body, after a
    person noun), "X's boss, the head of the commission, Ana Ruiz, said" (an appositive inside an appositive),
    "The oba of Benin, Ewuare II, said" (a name NER missed). A body ("the ministry, ...") is not read this way,
    nor a titled object ("a spokesperson for the secretary general, Ana Ruiz": his spokesperson, not Ruiz)."""
    titled_head = subj.pos_ == "PROPN" and subj.lower_ in TITLE_WORDS  # "the Prime Minister of X, Ana Ruiz,"
    if not (subj.pos_ == "NOUN" or titled_head) or subj.lemma_.lower() in ORG_NOUNS:
        return None
    person_head = subj.lower_ in TITLE_WORDS or subj.lemma_.lower() in PERSON_NOUNS
    doc, frontier = view.doc, [subj]
    for _ in range(4):
        reached = []
        for node in frontier:
            for c in view.kids(node):
                if c.i <= node.i or not lo <= c.i < hi:
                    continue
                if c.dep_ == "appos":
                    first = c.left_edge.i
                    if _name_like(doc[first : c.i + 1]) and first > 0 and doc[first - 1].text == ",":
                        label = c.ent_type_
                        if label in PERSON_LABELS or (label not in _NOT_NAME_LABELS and (person_head or not label)):
                            return c
                        if person_head and _named_person_by_context(doc[first : c.i + 1], c):
                            return c
                    if c.pos_ == "NOUN":
                        reached.append(c)  # "the head of the commission, Ana Ruiz"
                elif c.dep_ == "prep":
                    reached.extend(
                        o for o in view.kids(c) if o.dep_ == "pobj" and (c.lower_ == "as" or not _titled_object(o))
                    )
                elif c.dep_ == "conj" and c.lower_ in TITLE_WORDS:
                    reached.append(c)  # "Leader of the delegation and Foreign Minister, Ana Ruiz,": her 2nd title
        frontier = reached
    return None


def _named_person_by_context(name, head: Token) -> bool:
    """A name NER read as a place or left in pieces ("Þorgerður Katrín Gunnarsdóttir" with a place label on
    two of its three words) is still a person's when a "who" clause hangs on it or when no entity covers it
    whole, or when it opens with a known given name ("Piotr Serafin" read as a place): set off by commas after a
    person's title, it names that person."""
    if len(name) >= 2 and gender_of_name(name.text) is not None:
        return True
    if any(c.dep_ == "relcl" and any(g.lower_ == "who" for g in c.children) for c in head.children):
        return True
    return len(name) >= 2 and (name[0].ent_iob_ != "B" or any(t.ent_iob_ != "I" for t in name[1:]))


def _name_like(tokens) -> bool:
    """Proper-noun tokens, each capitalised ("Donnchadh Ó Laoghaire", "Ewuare II"), hyphens inside a word
    allowed ("Marie-Claude Tremblay", whose last word the tagger may call a noun when NER tags the name whole)."""
    if not tokens:
        return False
    last = tokens[-1]
    if not (last.pos_ == "PROPN" or (len(tokens) >= 2 and last.ent_type_ and last.ent_iob_ == "I")):
        return False
    return all(t.text[:1].isupper() or (t.text == "-" and not t.whitespace_) for t in tokens)


def _titled_object(obj: Token) -> bool:
    """'A spokesperson for the UN secretary general, António Guterres': the object of the preposition is itself
    a person's title, so the name in apposition is that person's, not the subject's."""
    return obj.lower_ in TITLE_WORDS or obj.lemma_.lower() in PERSON_NOUNS


def _describe_by_head(view: DocView, subj: Token, left: int, right: int, lo: int, hi: int, bare: str) -> Source:
    """What is left is read by the head word: a titled name NER missed, a document and its author, a person
    noun, a body, or any other noun as someone."""
    doc = view.doc
    if subj.pos_ == "NOUN" and subj.lemma_.lower() in NON_AGENTS:
        return Source(left, right, None)  # "the reader", "this interpretation": not someone who speaks
    name, role = speaker_name_parts(bare)
    # "The Economic Freedom Fighters": one body's name, NER says, whose first word only looks like a title (no
    # person's title: "Foreign Ministry Spokesperson Nebiat Getachew" tagged ORG is still a titled person)
    one_body = (
        subj.ent_type_ == "ORG"
        and all(t.ent_type_ == "ORG" for t in doc[left:right] if t.is_alpha and t.lower_ != "the")
        and bool(role)
        and role.split()[-1].casefold() not in PERSON_NOUNS
    )
    if role and name and subj.pos_ == "PROPN" and not one_body:  # a titled name NER missed
        return Source(left, right, "person", name=name, role=role, penalty=0.05)
    head = subj.lemma_.lower()
    ents = {t.ent_type_ for t in doc[left:right]} - {""}
    if head in DOCUMENT_NOUNS:
        author = _document_author(subj, lo, hi)
        if author is not None:
            return describe(view, author, lo, hi)
        return Source(left, right, None)  # "the statement said": the author is not named
    if subj.pos_ == "PROPN" and (
        (subj.ent_type_ in BODY_LABELS and view.usual_label(subj) == "PERSON")
        or (not ents - {"ORG"} and _looks_like_person_name(bare))  # "Ursula von der Leyen" tagged ORG
    ):
        role = appositive_role(view, subj, lo, hi)
        return Source(left, right, "person", name=strip_possessive(bare), role=role, penalty=0.1)
    if (
        subj.lower_ in _WHICH_ONE_WORDS
        and subj.i - 1 >= left
        and doc[subj.i - 1].lemma_.lower() in _ANONYMOUS_NOUNS  # the tagger may call "official" there an ADJ
    ):
        # "A senior Pakistani official privy to the preparations", parsed with "privy" as its head
        end = _which_one_end(doc, subj.i, hi)
        if end is not None:
            plural = doc[subj.i - 1].tag_ in ("NNS", "NNPS")
            return Source(
                left, end, "person", name=_unnamed_source_name(view, left, end, plural), penalty=0.05, plural=plural
            )
    if head in PERSON_NOUNS and subj.ent_type_ not in BODY_LABELS:
        if role and len(name.split()) >= 2 and doc[right - 1].ent_type_ in PERSON_LABELS:
            # "Coast Guard spokesperson for the West Philippine Sea Commodore Jay Tarriela": the name closes it
            return Source(left, right, "person", name=name, role=role)
        plural = subj.tag_ in ("NNS", "NNPS")
        if head in _ANONYMOUS_NOUNS or head in ("people", "source"):
            which = _which_one(view, subj, right, hi)
            name = _unnamed_source_name(view, left, which, plural, which > right)
            return Source(left, which, "person", name=name, penalty=0.05, plural=plural)
        name = _unnamed_source_name(view, left, right, plural, False)  # "one European envoy", "Some analysts"
        return Source(left, right, "person", name=name, penalty=0.05, plural=plural)
    if (
        subj.lower_ in TITLE_WORDS
        and head not in ORG_NOUNS
        and doc[left].lower_ == "the"
        and subj.ent_type_ in BODY_LABELS
        and subj.tag_ in ("NN", "NNP")
        and not subj.is_upper
    ):  # "the Special Representative of the Secretary-General for Libya told", tagged ORG: a person's title
        return Source(left, right, "person", name=strip_possessive(bare), penalty=0.05)
    if ents & BODY_LABELS or head in ORG_NOUNS or _the_one_word_name(doc, subj, left):
        return _read_body(view, subj, left, right, bare, head)
    if subj.pos_ == "PROPN":
        return Source(left, right, "person", name=strip_possessive(name or bare), role=role, penalty=0.1)
    if subj.pos_ == "ADJ" and subj.is_title and view.usual_label(subj) in PERSON_LABELS:
        # "Bessent dismissed ...", the family name tagged as an adjective: the person NER names elsewhere
        return Source(left, right, "person", name=strip_possessive(bare), penalty=0.1)
    if subj.pos_ == "NOUN":  # "Protesters said": the subject of a speech verb is, as a rule, someone
        # "Sobers told reporters", a family name the tagger took for a plural noun: one person when NER tags
        # that word a person elsewhere in the text
        plural = subj.tag_ == "NNS" and not (subj.text[:1].isupper() and view.usual_label(subj) in PERSON_LABELS)
        return Source(left, right, "person", name=strip_possessive(bare), penalty=0.15, plural=plural)
    return Source(left, right, None)


_WHICH_ONE_WORDS = frozenset(WORLD["anonymous_source_postmodifiers"])
_GENERIC_BODY_NOUNS = frozenset(WORLD["generic_body_nouns"])


def _office_words(role_words: set[str]) -> set[str]:
    """The words of a title that name an office: without "counterpart" and nationalities ("his British
    counterpart" names none)."""
    return {w for w in role_words if w not in _COUNTERPART_NOUNS and not _states_nationality([w])}


# offices one family shares that are not one another: a foreign secretary is no foreign minister
_OFFICES = frozenset({"minister", "secretary", "chancellor"})


def _national_title(wanted: list[str]) -> bool:
    """Whether a description's words are a title with a nationality before it ("the Slovenian commissioner")."""
    return any(w in COUNTRY_OF for w in wanted[:-1]) and wanted[-1] in TITLE_WORDS


def _holds_title_word(name: str) -> bool:
    """Whether a source's name holds a title word: a description ("Chile's foreign minister"), not a name."""
    return any(w.casefold() in TITLE_WORDS for w in name.split())


def _named_person(name: str) -> bool:
    """A person's name, not a description: two capitalised words or more, none a title word."""
    words = name.split()
    return len(words) >= 2 and all(w[:1].isupper() for w in words) and not _holds_title_word(name)


def _untagged_body_name(name: str) -> bool:
    """A source read as a person for want of an entity label whose name holds no known given name and no
    honorific, of two capitalised words or more ("Human Rights Watch"): a body when "the group" stands for it."""
    words = name.split()
    return len(words) >= 2 and all(w[:1].isupper() and not is_given_name(w) for w in words)


_COUNTERPART_NOUNS = frozenset(WORLD["counterpart_nouns"])
# a single unnamed source is named without its "one" ("EU official close to the talks"); a group keeps its count
# ("two people briefed on the talks"), which tells how many spoke
_COUNT_WORDS = frozenset("one another".split())


def _opens_clause(tok: Token) -> bool:
    """A verb that starts a clause, not one used as a modifier ("the ruling party")."""
    return tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("amod", "compound")


def _unnamed_source_name(view: DocView, left: int, right: int, plural: bool, which: bool = True) -> str:
    """An unnamed source's name: its words without the article, and a single source without its "one" ("One
    senior Whitehall source" is "senior Whitehall source"); a group keeps its count ("two people briefed ...")."""
    bare = strip_determiner(view.span_text(left, right))
    first, _, rest = bare.partition(" ")
    # "Another diplomat" says it is not the one before: without words saying which, it keeps its "another"
    if not plural and rest and (first.casefold() == "one" or (first.casefold() in _COUNT_WORDS and which)):
        bare = rest
    if plural and rest and first.casefold() in _VAGUE_QUANTIFIERS:
        bare = rest  # "Some analysts": how many is not said, so the group is "analysts"
    return strip_possessive(bare)


_VAGUE_QUANTIFIERS = frozenset(("some", "many"))


def _which_one(view: DocView, subj: Token, right: int, hi: int) -> int:
    """Which-one rule: an unnamed source keeps the words right after its head that say which one it is ("a
    diplomat from an Asean member state", "people familiar with the talks", "two people briefed on the
    talks"): a phrase that opens with one of world.json's ``anonymous_source_postmodifiers``, up to a comma, a
    bracket or a clause, at most eight tokens. Returns the new end of the mention."""
    doc = view.doc
    for c in view.kids(subj):
        if c.i != right or c.lower_ not in _WHICH_ONE_WORDS or c.dep_ not in ("prep", "amod", "acl", "advmod"):
            continue
        end = _which_one_end(doc, right, hi)
        if end is not None:
            return end
    return right


_COMPANY_WORDS = frozenset(("travelling", "traveling", "accompanying"))


def _which_one_end(doc, first: int, hi: int) -> int | None:
    """The end of the which-one phrase that token ``first`` opens: up to a comma, a clause or a relative word ("a
    diplomat from an Asean member state, who declined to be named"), at most eight tokens, ending in a noun; None
    when there is no such phrase."""
    end = min(doc[first].right_edge.i + 1, hi)
    end = next(
        (
            t.i
            for t in doc[first + 1 : end]
            if (t.is_punct and not _word_hyphen(t)) or _opens_clause(t) or t.tag_ in ("WP", "WDT")
        ),
        end,
    )
    if end - first > 8 or doc[end - 1].pos_ not in ("NOUN", "PROPN"):
        return None
    if doc[first].lower_ in _COMPANY_WORDS and doc[end - 1].ent_type_ == "PERSON":
        return None  # "an official travelling with Senator Wong": the company named says no which, and is someone
    return end


def _word_hyphen(tok: Token) -> bool:
    """A hyphen inside a word ("troop-contributing"), no space on either side."""
    return tok.text == "-" and not tok.whitespace_ and tok.i > 0 and not tok.doc[tok.i - 1].whitespace_


def _the_one_word_name(doc, subj: Token, left: int) -> bool:
    """'according to the Elysée' (which NER may tag PERSON): a person's name takes no article, so a one-word
    proper name right after "the" names a body or a place."""
    return subj.pos_ == "PROPN" and left + 1 == subj.i and doc[left].lower_ == "the" and subj.lower_ not in TITLE_WORDS


def _coordinated_title_person(view: DocView, subj: Token, left: int, hi: int) -> Source | None:
    """'Vice President and Defence Minister General Ramon Castell said', parsed as "Vice President" and
    "Castell": a subject that is a bare title coordinated with a titled name is that one person. Everything
    before the name must be title words (or nationality words) and the one "and"."""
    if subj.ent_type_ or subj.lower_ not in TITLE_WORDS or not subj.text[:1].isupper():
        return None
    conj = [c for c in view.kids(subj) if c.dep_ == "conj"]
    if len(conj) != 1 or conj[0].ent_type_ not in PERSON_LABELS or conj[0].i >= hi:
        return None
    doc, name_end = view.doc, conj[0].i + 1
    if entity_goes_on(doc, conj[0].i):
        return None
    start = entity_start(doc, conj[0].i, subj.i)
    between = doc[left:start]
    if sum(t.lower_ == "and" for t in between) != 1 or not all(
        t.lower_ == "and"
        or (t.text[:1].isupper() and not t.ent_type_ and (t.lower_ in TITLE_WORDS))
        or t.ent_type_ in ("NORP", "GPE")
        for t in between
    ):
        return None
    role = strip_determiner(view.text[doc[left].idx : doc[start].idx]).strip(" ,")
    return Source(left, name_end, "person", name=strip_possessive(view.span_text(start, name_end)), role=role)


def _read_person(view: DocView, subj: Token, left: int, right: int, lo: int, hi: int, bare: str) -> Source | None:
    """A PERSON name heading the mention; what precedes it is the role. The run of name tokens must end at
    the head: in "Putin's spokesman" Putin is not the speaker."""
    doc = view.doc
    before = subj.i > left and doc[subj.i - 1].ent_type_ in PERSON_LABELS and doc[subj.i - 1].pos_ == "PROPN"
    if not (
        subj.ent_type_ in PERSON_LABELS or (subj.pos_ == "PROPN" and (before or view.usual_label(subj) == "PERSON"))
    ):
        return None
    if subj.ent_type_ in PERSON_LABELS and subj.ent_iob_ == "I":
        # "Dr. Rashad al-Alimi said", the parser hanging "Rashad al -" elsewhere: the whole PERSON entity is named
        left = min(left, entity_start(doc, subj.i, lo))
    p0 = subj.i
    while p0 > left:
        if p0 - 1 > left and _glued_hyphen(doc[p0 - 1]):
            p0 -= 1  # "Kim Yo-jong", "Jean-Yves": the tokenizer splits a hyphenated given name
            continue
        if not (
            doc[p0 - 1].pos_ == "PROPN"
            and (
                doc[p0].ent_iob_ == "I"
                or doc[p0 - 1].ent_type_ in PERSON_LABELS
                or not doc[p0].ent_type_
                or _untagged_given_name(doc[p0 - 1])  # "Enver Solomon" with NER's entity "Solomon"
            )
        ):
            break
        mislabelled = doc[p0].ent_iob_ == "I" and subj.ent_type_ and subj.ent_type_ not in PERSON_LABELS
        if doc[p0 - 1].ent_type_ and doc[p0 - 1].ent_type_ not in PERSON_LABELS and not mislabelled:
            # "Kremlin spokesman Peskov": an ORG word is not part of the name; but in "Mr Le Hoai Trung", tagged FAC
            # whole, a person by the text's usual label, each word is
            break
        if _place_of_title(view, p0 - 1, left):
            break  # "Minister of Foreign Affairs of Ukraine Andrii Sybiha": the title's place, untagged here
        if p0 - 2 >= left and _title_country(doc, p0 - 1):
            break  # "... of the Democratic Republic of the Congo Therese Kayikwamba Wagner": a country closes the title
        p0 -= 1
    if p0 - 2 >= left and _abbreviated_given_name(doc, p0 - 2):
        p0 -= 2  # "Ma. Luisa Reyes"
    if p0 == subj.i and _the_one_word_name(doc, subj, left):
        return None
    name = strip_possessive(view.span_text(p0, subj.i + 1))
    role = strip_determiner(view.text[doc[left].idx : doc[p0].idx]).strip(" ,")
    name2, role2 = speaker_name_parts(name)  # NER sometimes swallows a title or "Mr"
    if name2:
        name, role = name2, f"{role} {role2}".strip()
    name3, role3 = speaker_name_parts(bare)  # ... or leaves a first name out ("Kremlin Aide Yury" + "Ushakov")
    if role3 and len(name3) > len(name) and name3.endswith(name):
        name, role = name3, role3
    elif role3 and name.endswith(" " + name3) and role3.endswith(name[: -len(name3)].strip()):
        name, role = name3, role3  # "ambassador to India Lok Raj Baral", NER taking in the title's country
    role = " ".join(w for w in role.split() if w.casefold() not in HONORIFICS)  # "Mr Raab": no role
    return Source(left, right, "person", name=name, role=role or appositive_role(view, subj, lo, hi))


def _named_after(name: str, body: str) -> bool:
    """Whether ``body`` is a body named after ``name`` and a body noun: "Trump administration", "Modi government"."""
    words = body.split()
    return len(words) >= 2 and " ".join(words[:-1]) == name and words[-1].casefold() in ORG_NOUNS


def _states_nationality(words) -> bool:
    """Whether a title's words name a country or a nationality ("Romanian", "Spain's"): it says whose official."""
    return any(w in COUNTRY_OF or fold(w.rstrip("'s’")) in COUNTRIES for w in words)


def _person_start(doc, start: int) -> int:
    """Where a PERSON entity's name starts: before given names NER left out ("Secretary Gilberto Teodoro Jr.",
    "Bilal Mahmood Chaudhry") or an abbreviated one the sentence split after ("Ma. Theresa Lazaro")."""
    if start >= 2 and _abbreviated_given_name(doc, start - 2):
        return start - 2
    while start >= 1 and _untagged_given_name(doc[start - 1]):
        start -= 1
    return start


def _untagged_given_name(tok: Token) -> bool:
    """A capitalised given name (data: given_names.json) NER left out of the name it is a compound of, not a
    title word ("Enver" of "Solomon"; not "Africa" as the object of "Advisor for")."""
    return (
        not tok.ent_type_
        and tok.dep_ == "compound"
        and tok.head.ent_type_ in PERSON_LABELS
        and tok.text[:1].isupper()
        and tok.lower_ not in TITLE_WORDS
        and is_given_name(tok.text)
    )


def _place_of_title(view: DocView, k: int, left: int) -> bool:
    """Whether token ``k``, right after the "of"/"for" of a title, is a place NER tags elsewhere in the text (the
    complement of the title, not the first word of the name that follows it)."""
    return (
        k - 1 > left
        and view.doc[k - 1].lower_ in ("of", "for")
        and (view.usual_label(view.doc[k]) in ("GPE", "LOC", "NORP") or fold(view.doc[k].text) in COUNTRIES)
    )


def _glued_hyphen(tok: Token) -> bool:
    """A hyphen inside a name, with no space on either side, between two proper nouns (or inside one PERSON
    entity: "Yoon Seok-hoon", whose "hoon" the tagger may call a noun)."""
    doc = tok.doc
    if tok.text != "-" or doc[tok.i - 1].whitespace_ or tok.whitespace_ or tok.i + 1 >= len(doc):
        return False
    if tok.ent_iob_ == "I" and tok.ent_type_ in PERSON_LABELS and doc[tok.i + 1].ent_iob_ == "I":
        return True
    return doc[tok.i - 1].pos_ == "PROPN" and doc[tok.i + 1].pos_ == "PROPN"


def appositive_role(view: DocView, subj: Token, lo: int, hi: int) -> str:
    """The role in an appositive after a name, without the clause that follows it: "Ana Ruiz, chief
    executive of Ora Media, which owns two papers, said" -> "chief executive of Ora Media"."""
    appos = next((c for c in view.kids(subj) if c.dep_ == "appos" and not c.like_num and c.i > subj.i), None)
    if appos is None:
        return ""
    a_left, _ = mention_span(view, appos, lo, hi)
    return short_role(strip_determiner(view.span_text(a_left, appos.right_edge.i + 1)))


def _read_body(view: DocView, subj: Token, left: int, right: int, bare: str, head: str) -> Source:
    """An organisation or a place speaking for its government, named as written ("Ukraine's Foreign
    Ministry"); a descriptive prefix becomes the role ("state news agency" + "Xinhua")."""
    doc = view.doc
    org = [t for t in doc[left:right] if t.ent_type_ == "ORG"]
    extra = ()
    if org:
        ent_text = strip_determiner(view.span_text(org[0].i, org[-1].i + 1))
        if ent_text != bare and not _named_after(
            ent_text, strip_possessive(bare)
        ):  # not "Trump" of "Trump administration"
            extra = (ent_text,)
    name, role = strip_possessive(bare), ""
    if subj.pos_ == "PROPN" and org:
        o0 = org[-1].i
        while o0 > left and doc[o0].ent_iob_ != "B" and doc[o0 - 1].ent_type_ == "ORG":
            o0 -= 1
        if any(t.pos_ == "NOUN" and t.is_lower for t in doc[left:o0]):
            name = strip_possessive(view.span_text(o0, right))
            role = strip_determiner(view.text[doc[left].idx : doc[o0].idx]).strip(" ,")
    maybe_person = (
        left == subj.i
        and subj.ent_type_ in ("ORG", "GPE")
        and subj.pos_ == "PROPN"
        and not subj.is_upper
        and head not in ORG_NOUNS
    )
    return Source(left, right, "organisation", name=name, role=role, extra_aliases=extra, maybe_person=maybe_person)


def _document_author(noun: Token, lo: int, hi: int) -> Token | None:
    """'a statement from the ministry', 'the ministry's statement', 'a Reuters tally', 'a statement issued by
    the ministry'."""
    for c in noun.children:
        if c.dep_ == "acl" and c.tag_ == "VBN":  # "issued by", "released by", "published by"
            agent = next((g for g in c.children if g.dep_ == "agent"), None)
            pobj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
            if pobj is not None and lo <= pobj.i < hi and can_speak(pobj):
                return pobj
        if c.dep_ == "prep" and c.lower_ in ("from", "by", "of"):
            pobj = next((g for g in c.children if g.dep_ == "pobj" and lo <= g.i < hi), None)
            if pobj is not None and (pobj.ent_type_ or pobj.lemma_.lower() in _AGENT_NOUNS):
                return pobj
        if c.dep_ in ("poss", "compound") and c.ent_type_ in BODY_LABELS | PERSON_LABELS:
            return c
    return None


def _looks_like_person_name(surface: str) -> bool:
    """'Ursula von der Leyen' (which NER may tag ORG) as opposed to 'European Commission', 'NATO',
    'Kremlin': two to five titlecase words, none of them a body or title word."""
    words = surface.split()
    if not 2 <= len(words) <= 5:
        return False
    caps = 0
    for w in words:
        low = w.casefold().strip(".,")
        if low in ORG_NOUNS or low in TITLE_WORDS or low in ("of", "for", "and", "the"):
            return False
        if w[:1].isupper() and not w.isupper():
            caps += 1
        elif low not in NAME_PARTICLES:
            return False
    return caps >= 2


def _other_office(head: str, titles: list[str]) -> bool:
    """Whether these titles name an office ("Official Spokesperson of the Ministry", "Minister for Europe") whose
    title word the description's head ("minister") does not fit."""
    offices = set()
    for title in titles:
        words = re.split(r"\s(?:of|for|to|at)\s", title.casefold())[0].split()
        offices |= {w for w in words if w in TITLE_WORDS}
    return bool(offices) and not _role_fits([head], _role_words(titles))


def _role_words(roles: list[str]) -> set[str]:
    words = {ROLE_SYNONYM.get(w, w) for role in roles for w in role.casefold().split()}
    return words | {strip_possessive(w) for w in words if w.endswith(("'s", "’s"))}  # "vanuatu" of "Vanuatu's"


def _title_initials(roles: list[str]) -> set[str]:
    """The initials of two to four capitalised words in a row of these titles, folded: "eam" for "External Affairs
    Minister", "cs" for "Cabinet Secretary", so that a description by the title's abbreviation fits."""
    out = set()
    for role in roles:
        words = [w for w in role.split() if w.casefold() not in _TITLE_GLUE]
        for size in (2, 3, 4):
            for k in range(len(words) - size + 1):
                window = words[k : k + size]
                if all(w[:1].isupper() for w in window):
                    initials = "".join(w[0] for w in window).casefold()
                    # in any order: "MEA" (Ministry of External Affairs) for "External Affairs Ministry"
                    out.update("".join(p) for p in itertools.permutations(initials))
    return out


def _bare_body_noun(surface: str) -> str | None:
    """'the ministry', 'The agency': the body noun of a bare definite description of a body, folded; else None."""
    words = surface.casefold().split()
    return words[1] if len(words) == 2 and words[0] == "the" and words[1] in ORG_NOUNS else None


def _acronyms_of_role(modifiers: list[str], acronyms: dict[str, frozenset[str]], role_words: set[str]) -> set[str]:
    """The modifiers that are acronyms the text defines for a body the title names: "the DFA chief" for "Foreign
    Affairs Secretary Ma. Theresa Lazaro" after "the Department of Foreign Affairs (DFA)". The acronym and the
    title must share a word that is not a body noun ("department", "ministry")."""
    return {m for m in modifiers if m in acronyms and not (acronyms[m] - ORG_NOUNS).isdisjoint(role_words)}


def _role_fits(wanted: list[str], role_words: set[str]) -> bool:
    """A description ("the top diplomat", "the spokesman", "the Russian leader") fits a title: its head is
    a word of the title, or of the title family it names (``role_families`` in data/names.json), and its
    modifiers are words of the title."""
    head = wanted[-1]
    if head in TITLE_WORDS and not role_words.isdisjoint(_COUNTERPART_NOUNS) and head not in role_words:
        # "the Polish foreign minister" for "his Polish counterpart Radosław Sikorski": a counterpart holds the
        # title of whoever they meet; the description must name the counterpart's nationality
        mods = wanted[:-1]
        return any(same_nationality(m, role_words) for m in mods) and all(
            m in TITLE_WORDS or same_nationality(m, role_words) or m in role_words for m in mods
        )
    if head in _ORG_HEAD_NOUNS and any(m in role_words for m in wanted[:-1]):
        # "the NATO chief" for "NATO Secretary-General Mark Rutte", "the Department of Foreign Affairs (DFA) chief"
        # for "Foreign Affairs Secretary X": the head of the body the title names (its kind word and acronym aside)
        body = [m for m in wanted[:-1] if m not in ORG_NOUNS and m not in _REMIT_GLUE and not m.startswith("(")]
        return 2 * sum(_modifier_fits(m, role_words, set()) for m in body) >= len(body)
    # "the Russian leader" fits a president or a prime minister (the leader family); "the president" neither a
    # prime minister nor a minister: a title of the family is no stand-in for another
    family = ROLE_FAMILIES.get(head, frozenset())
    shared = families_of(wanted) & families_of(role_words) - {"leader"}
    head_ok = (
        head in role_words
        or not role_words.isdisjoint(family)
        or any(" " in w and role_words.issuperset(w.split()) for w in family)  # "secretary of state"
        or (head == "official" and bool(role_words))
        # "the foreign minister" for "China's top diplomat": a title head, both of the diplomat family; but not
        # "the foreign secretary" for a "Foreign Minister": another office of the same family
        or (
            bool(shared)
            and (head in TITLE_WORDS or bool(families_of([head])))
            and not (head in _OFFICES and not role_words.isdisjoint(_OFFICES - {head}))
        )
    )
    # "the Iranian top diplomat": "top" ranks the title, it names no word of it
    return head_ok and all(_modifier_fits(m, role_words, shared) for m in wanted[:-1] if m != "top")


def _modifier_fits(modifier: str, role_words: set[str], shared: set[str]) -> bool:
    """A modifier of a description agrees with a title: it is a word of the title, a nationality of the
    title's country ("Chinese" ~ "China's"), or a word of a role family the two share ("foreign" ~ "diplomat")."""
    return (
        modifier in role_words
        or same_nationality(modifier, role_words)
        or any(modifier in ROLE_FAMILIES[f] for f in shared)
    )


def _without_honorific(words: list[str]) -> list[str]:
    """The words of a description without an honorific before its article: "HE the Prime Minister" (His
    Excellency the Prime Minister) is "the Prime Minister"."""
    if len(words) > 2 and is_honorific(words[0]) and words[1].casefold() == "the":
        return words[1:]
    return words


def bare_definite(surface: str, src: Source) -> bool:
    """'the spokesperson', 'The official': a bare definite description. Unless it can be linked to an
    earlier source it is not a name worth storing, and the quote keeps speaker None."""
    words = _without_honorific(surface.split())
    if src.name and src.name.casefold() not in surface.casefold():
        return False  # "The Minister of Foreign Affairs, Yusuf Tuggar, told": named by its appositive
    return src.kind == "person" and src.pronoun is None and len(words) == 2 and words[0].casefold() == "the"


_POSSESSED_DELEGATE_RE = re.compile(r"^(?P<owner>[A-Z][\w .-]*?)['’]s representative$")
_SENTENCE_ENDS = frozenset(".!?\"”’'…:)")

# ---- resolving the sources of a text -----------------------------------------------------------------


@dataclass(slots=True)
class Resolution:
    mention_id: int | None  # registry id, None when unknown
    surface: str | None  # as written ("he", "Chinese President Xi Jinping")
    span: tuple[int, int] | None  # characters of the surface
    penalty: float = 0.0  # confidence lost by this resolution


class SpeakerResolver:
    """Resolves the sources of one text's quotes, in text order.

    ``contents`` are the character spans of the accepted quotes: names inside quoted content are never
    antecedents. Antecedents for he/she: a person named earlier in the same sentence when the pronoun's clause
    is subordinate ("for Putin, though he acknowledged"), else the nearest earlier quote source or
    main-clause subject of the right kind.
    """

    def __init__(self, view: DocView, contents: list[tuple[int, int]]) -> None:
        self.view = view
        self.registry = SpeakerRegistry()
        self._contents = sorted(contents)
        self._content_starts = [s for s, _ in self._contents]
        self._person_id, self._nsubj_id = ids("PERSON")[0], ids("nsubj")[0]
        person = view.ent == self._person_id
        # "Takaichi has refused ...": a bare family name NER left untagged is a person when the text names that
        # person in full elsewhere ("Prime Minister Sanae Takaichi")
        # (or a family name the tagger took for an adjective or a noun: "Bessent dismissed ...", title case)
        bare = np.flatnonzero(
            (any_of(view.pos, ids("PROPN")) | (any_of(view.pos, ids("ADJ", "NOUN")) & view.title_case))
            & (view.ent == 0)
        )
        person[bare] = among(
            view.lower[bare], set(view.lower[person].tolist())
        )  # only the few bare names are looked up
        body = any_of(view.ent, ids("ORG", "GPE", "NORP"))
        # main-clause subjects only: "the possibility that China will ..." is not a salient subject
        main = any_of(view.dep[np.arange(view.n) + view.head], ids("ROOT", "conj"))
        named = np.zeros(view.n, dtype=bool)  # "the ambassador, Ana Ruiz, rejected it": named by an appositive
        for i in np.flatnonzero((view.dep == self._nsubj_id) & main & ~(person | body)):
            tok = view.doc[int(i)]
            named[i] = any(c.dep_ == "appos" and c.ent_type_ in PERSON_LABELS for c in view.kids(tok))
            # "Chile's minister of trade, Ana Ruiz, welcomed it" (the title tagged a noun or a proper noun)
            if not named[i] and (tok.pos_ == "NOUN" or tok.lower_ in TITLE_WORDS):
                lo, hi = view.para_bounds(int(i))
                named[i] = _name_inside_description(view, tok, lo, hi) is not None
            # "The EU's executive arm has frozen ... It said": an institution's stock epithet is a salient body
            named[i] |= _epithet_of(view.span_text(tok.left_edge.i, i + 1)) is not None
        self._subj_rows = np.flatnonzero((view.dep == self._nsubj_id) & (person | body | named) & main)
        # bodies that report without being quoted: "the Japanese Foreign Ministry quoted Iwaya as saying"
        subjects = np.flatnonzero(view.dep == self._nsubj_id)  # a few rows: the big id sets are matched there only
        report = among(view.lemma[subjects + view.head[subjects]], _REPORT_IDS)
        org_word = among(view.lower[subjects], _ORG_IDS) | (view.ent[subjects] == ids("ORG")[0])
        self._report_rows = subjects[report & org_word]
        self._subj_pos = [int(view.idx[i]) for i in self._subj_rows]
        self._log: list[tuple[int, int, Source]] = []  # quote sources so far: (char, mention id, reading)
        self._subjects: dict[int, tuple[int | None, Source]] = {}
        self._last_unresolved = -1  # position of the latest source left unresolved (joint, unknown)
        self._gender: dict[str, str] = {}  # family name (folded) -> "male" | "female", once the text tells
        self._person_spans = [(b, e) for b, e, label in view.entities() if label == "PERSON"]
        self._person_ends = [e for _, e in self._person_spans]

    def resolve(self, subj: Token) -> Resolution:
        view = self.view
        lo, hi = view.para_bounds(subj.i)
        src = _one_of_group(view, subj) or describe(view, subj, lo, hi)
        span = (view.doc[src.start].idx, view.tok_end(src.end - 1))
        surface = view.text[span[0] : span[1]]
        mid, penalty = None, 0.0
        partitive = _partitive_source(view, subj)
        if partitive is not None:  # "one of the diplomats said", "one of them said": that one, named as written
            span = (view.doc[partitive.start].idx, view.tok_end(partitive.end - 1))
            mid = self._register(partitive, span[0])
            self._log.append((span[0], mid, partitive))
            return Resolution(mid, view.text[span[0] : span[1]], span, 0.1)
        group = _group_named_by_partitive(subj)
        if group is not None:  # "one of the sources said": the group the text named before
            mid = self._same_group(group, span[0])
            if mid is not None:
                self._log.append((span[0], mid, src))
                return Resolution(mid, surface, span, 0.1)
        if src.joint:
            mid, penalty = self._joint(src, subj, span[0]), 0.1
        elif src.pronoun is not None:
            mid, penalty = self._antecedent(span[0], src.pronoun, src.start), 0.1
        elif src.kind is None and subj.lemma_.lower() in DOCUMENT_NOUNS:
            mid, penalty = self._document_issuer(subj, span[0]), 0.1
            if mid is None and any(c.lower_ == "joint" for c in subj.children):
                mid = self._joint(src, subj, span[0])  # "according to a joint statement": the parties'
            body = next((c for c in subj.children if c.dep_ == "compound" and c.lemma_.lower() in ORG_NOUNS), None)
            if mid is None and body is not None:  # "according to the ministry statement": the ministry's
                mid = self._named_body(f"the {body.lower_}", span[0])
        elif src.style:
            mid = self._styled(src.style, span[0])
            if mid is None:
                mid = self._antecedent(span[0], "person", src.start)
            penalty = 0.1
        elif src.kind is not None:
            if src.kind == "organisation":
                self._name_epithet(src, surface, src.start)
            elif src.name:
                self._name_the_body(src, span[0])
            mid = self._described(src, span[0])
            if mid is not None and src.kind == "person" and src.name.casefold() == strip_determiner(surface).casefold():
                # "The Indonesian President said" resolved to Prabowo: later the same description fits him again
                self.registry.add_role(mid, strip_determiner(surface))
            if mid is None and src.maybe_person and self.registry.match(src.name or surface, "person") is not None:
                # "Voronin said" after "analyst Alexei Voronin", NER taking this "Voronin" for a body: that person
                mid = self._register(Source(src.start, src.end, "person", name=src.name), span[0])
            if mid is None and src.kind == "organisation":
                mid = self._body_by_context(surface, span[0])
            if mid is None and not bare_definite(surface, src):
                mid, penalty = self._register(src, span[0]), src.penalty
        if mid is not None:
            self._log.append((span[0], mid, src))
        else:
            self._last_unresolved = max(self._last_unresolved, span[0])
        return Resolution(mid, surface, span, penalty)

    def _joint(self, src: Source, subj: Token, char: int) -> int | None:
        """A joint source is a local group named by its parties: "China and Pakistan said" by its own words,
        "the two sides said" and "a joint statement" by the latest coordination of names at most
        ``_JOINT_WINDOW`` paragraphs back that fits the description ("the two leaders" are people)."""
        name = src.name or self._joint_parties(subj, char)
        if not name:
            return None
        return self._register(Source(src.start, src.end, "group", name=name, plural=True), char)

    def _joint_parties(self, subj: Token, char: int) -> str | None:
        view = self.view
        labels = _JOINT_LABELS.get(subj.lemma_.lower(), _JOINT_PARTY_LABELS)
        first = view.para_of(char) - _JOINT_WINDOW
        count = next((_PARTY_COUNTS[c.lower_] for c in subj.children if c.lower_ in _PARTY_COUNTS), None)
        for k in range(subj.i - 1, -1, -1):
            tok = view.doc[k]
            if view.tok_para[k] < first:
                return None
            if not _joint_subject(tok):
                continue
            parties = _conjuncts(tok)
            if count is not None and len(parties) != count:
                continue
            if len({t.ent_type_ == "PERSON" for t in parties}) == 1:  # people, or states and bodies: not a mix
                name = joint_name(parties, labels)
                if name:
                    return name
        return None

    def _styled(self, style: str, char: int) -> int | None:
        """'His Majesty said' after 'His Majesty Sultan Haitham bin Tarik received ...': the latest person the text
        introduced with this style, a name after it (titles and honorifics between them go to the role)."""
        view, doc = self.view, self.view.doc
        for k in range(view.char_to_token(char) - 1, -1, -1):
            if doc[k].text != style or self._in_content(int(view.idx[k])):
                continue
            end = k + 1
            while end < view.n and (
                (doc[end].text[:1].isupper() and not doc[end].is_punct) or doc[end].lower_ in NAME_PARTICLES
            ):
                end += 1
            if end == k + 1:
                continue  # "His Majesty said": the style alone again
            surface = view.span_text(k + 1, end)
            name, role = speaker_name_parts(surface)
            if name and name[:1].isupper():
                mention = SpeakerMention(
                    surface=surface, name=name, role=role, kind="person", position=int(view.idx[k])
                )
                return self.registry.add(mention)
        return None

    def _document_issuer(self, noun: Token, char: int) -> int | None:
        """'..., the statement said' after 'Foreign ministers said ..., in a joint statement': a definite document
        with no author named is the one an earlier source of this text issued, in the same sentence as that
        source's attribution, at most ``_DOCUMENT_WINDOW`` paragraphs back."""
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in noun.children):
            return None
        view, lemma = self.view, noun.lemma_.lower()
        for pos, mid, src in reversed(self._log):
            if pos >= char or view.para_of(char) - view.para_of(pos) > _DOCUMENT_WINDOW:
                continue
            sent = view.doc[src.start].sent
            if any(t.lemma_.lower() == lemma and t.i != noun.i for t in sent):
                return mid
        return None

    def name_of(self, mention_id: int) -> str:
        return self.registry.name_of(mention_id)

    def resolve_label(self, start: int, end: int) -> Resolution:
        """A speaker label ("Lin Jian", "MS BRUCE", "Reuters") at characters [start, end): a person when an
        honorific or a PERSON entity says so, a body for an organisation entity or an acronym."""
        view = self.view
        a, b = view.char_to_token(start), view.char_to_token(end)
        surface = view.text[start:end]
        name, role = speaker_name_parts(surface)
        words = surface.split()
        ents = {t.ent_type_ for t in view.doc[a:b]}
        honorific = words[0].casefold().rstrip(".") in {h.rstrip(".") for h in HONORIFICS}
        if honorific or "PERSON" in ents or (role and name):  # "ADM. HASKELL": a titled name is a person
            kind = "person"
        elif ents & BODY_LABELS or (len(words) == 1 and surface.isupper()):
            kind = "organisation"
        else:
            kind = "person"
        if kind == "person" and name.isupper():
            name = name.title()  # "MS BRUCE" -> "Bruce"
        src = Source(a, b, kind, name=name, role=role)
        mid = self._register(src, start)
        self._log.append((start, mid, src))
        return Resolution(mid, surface, (start, end), 0.0)

    def _name_epithet(self, src: Source, surface: str, tok: int) -> None:
        """Stock epithets of institutions (``data/world.json``): "the EU's executive arm" is the European
        Commission, "the UN's nuclear watchdog" the IAEA; "the bloc" is the latest bloc named before it ("EU",
        "ASEAN", "NATO")."""
        low = " ".join(strip_determiner(surface).casefold().split())
        if low in _EPITHETS:
            src.name = _EPITHETS[low]
        elif low in _BLOC_NOUNS:
            view = self.view
            for start, end, label in reversed(view.entities()):
                if start >= tok or label != "ORG":
                    continue
                name = strip_possessive(strip_determiner(view.span_text(start, end)))
                if name.casefold() in _BLOCS:
                    src.name = name
                    return

    def speakers(self, used: list[int]) -> list[SpeakerInfo]:
        """The speakers of the given mentions, once every quote is resolved (fuller names found elsewhere in
        the text may still become canonical here, so call it before ``name_of``)."""
        self._add_entity_aliases()
        self.registry.merge_split_people()
        return self.registry.speakers(used)

    # ---- internals ------------------------------------------------------------------------------

    def _in_content(self, char: int) -> bool:
        k = bisect.bisect_right(self._content_starts, char) - 1
        return k >= 0 and self._contents[k][0] <= char < self._contents[k][1]

    def _register(self, src: Source, position: int) -> int:
        written = self.view.span_text(src.start, src.end)
        surface = strip_determiner(written)
        name = src.name or surface
        delegate = _POSSESSED_DELEGATE_RE.match(name) if src.kind == "person" else None
        if delegate is not None and fold(delegate["owner"]) in COUNTRIES:
            # "Libya's representative said" is the delegate meetings coverage calls "the representative of Libya"
            the = "the " if written[:4].casefold() == "the " and " " in delegate["owner"] else ""
            name = f"representative of {the}{delegate['owner']}"
        kind = src.kind or "person"
        if kind == "person" and " " not in name:
            name = self._whole_entity(name, src) or name  # "Foreign Minister U Than Swe", "Than" parsed as "than"
        if " " not in name and name[:1].isupper() and (kind == "person" or self._family_name_as_body(name, src)):
            fuller = self._named_before(name, src.start)
            if fuller is not None:  # "Lin said" after "Minister Lin Chia-lung met ...": that Lin, not a later one
                name, kind = fuller, "person"
        mention = SpeakerMention(
            surface=surface,
            name=name,
            role=src.role,
            kind=kind,
            position=position,
            extra_aliases=src.extra_aliases,
        )
        mid = self.registry.add(mention)
        gender = next((_GENDER_OF_WORD[w] for w in surface.casefold().split() if w in _GENDER_OF_WORD), None)
        if gender is not None and mention.kind == "person":
            self._gender.setdefault(self._gender_key(mid), gender)
        return mid

    @staticmethod
    def _family_name_as_body(word: str, src: Source) -> bool:
        """A one-word source the tagger took for a body or a nationality that may be a family name ("Albanese said"
        tagged NORP, "Quote from Hnatiuk:" tagged ORG): not an acronym, not a country."""
        return src.kind == "organisation" and not word.isupper() and fold(word) not in COUNTRIES

    def _whole_entity(self, word: str, src: Source) -> str:
        """The PERSON entity of two words or more that a one-word name was cut from, at or right after the
        mention ("U" of "U Than Swe"), as a name; "" when there is none."""
        doc = self.view.doc
        for k in range(src.start, min(src.end + 1, len(doc))):
            tok = doc[k]
            if tok.text != word or tok.ent_type_ != "PERSON":
                continue
            start, stop = entity_start(doc, k), entity_end(doc, k)
            if stop - start >= 2:
                return speaker_name_parts(self.view.span_text(start, stop))[0]
        return ""

    def _named_before(self, word: str, tok: int) -> str | None:
        """The latest person named in full before token ``tok`` whose name holds ``word``."""
        view, key = self.view, name_tokens(word)
        if len(key) != 1:
            return None
        k = bisect.bisect_left(self._person_ends, tok) - 1
        while k >= 0:
            start, end = self._person_spans[k]
            k -= 1
            # a clean name only: not "Welcoming Cho" or "India Lok Raj Baral" (NER's span taking a word too many)
            words = [t for t in view.doc[start:end] if t.is_alpha]
            if any(t.pos_ != "PROPN" or fold(t.text) in COUNTRIES or (t.is_upper and len(t) > 1) for t in words):
                continue  # ("MOTEGI Toshimitsu", family name first in capitals: the entity pass reorders it)
            name = speaker_name_parts(strip_possessive(view.span_text(start, end)))[0]
            if len(name.split()) >= 2 and key[0] in name_tokens(name):
                return name
        return None

    def _gender_key(self, mid: int) -> str:
        name = self.registry.name_of(mid).casefold().split()
        return name[-1] if name else ""

    def _gender_clash(self, mid: int, pronoun_tok: int) -> bool:
        """Gender agreement rule: "she" never goes back to a person the text has shown to be a man ("He
        added ..." resolved to him, "spokesman", "Mr"), nor "he" to a woman: "Ana Ruiz ... Tom Reyes said X.
        He added Y. Ruiz has refused. 'Z,' she said" gives Z to Ruiz, not to Reyes."""
        wanted = _GENDER_OF_PRONOUN.get(self.view.doc[pronoun_tok].lower_)
        if wanted is None:
            return False
        # what the text has shown first; else what the given name says ("Ana Ruiz", "Tom Reyes")
        known = self._gender.get(self._gender_key(mid)) or gender_of_name(self.registry.name_of(mid))
        return known is not None and known != wanted

    def _subject(self, row: int, pos: int) -> tuple[int | None, Source]:
        if row not in self._subjects:
            lo, hi = self.view.para_bounds(row)
            src = describe(self.view, self.view.doc[row], lo, hi)
            ok = src.kind is not None and src.pronoun is None
            epithet = _epithet_of(self.view.span_text(src.start, src.end)) if ok else None
            if epithet is not None:
                src.kind, src.name = "organisation", epithet
            mid = None
            if ok and src.kind == "person" and bare_definite(self.view.span_text(src.start, src.end), src):
                # "the Pope reviewed ..." after "Pope Leo XIV told ...": the person the description stands for
                mid = self._described(src, pos)
            if mid is None and ok:
                mid = self._register(src, pos)
            self._subjects[row] = (mid, src)
        return self._subjects[row]

    def _fits(self, src: Source, mid: int, pronoun: str, pos: int, char: int, quoted: bool) -> bool:
        kind, distance = self.registry.kind_of(mid), self.view.para_of(char) - self.view.para_of(pos)
        if pronoun == "thing":
            return kind == "organisation" and distance <= 3
        if src.plural:
            return False
        if kind == "person":
            return True
        # "Erdogan said X. He added ...": a one-word name NER took for a body, as a quote source a paragraph back or
        # as the subject of a sentence before in the same paragraph ("Jaiswal also rejected ... '...,' he said")
        return src.maybe_person and distance <= (1 if quoted else 0)

    def _same_sentence_person(self, pronoun_tok: int) -> int | None:
        view = self.view
        s_lo, _ = view.segment(pronoun_tok)
        rows = [
            k
            for k in range(s_lo, pronoun_tok)
            if view.ent[k] == self._person_id
            and (k + 1 >= view.n or view.ent_iob[k + 1] != 1)  # last token of the name
            and not self._in_content(int(view.idx[k]))
        ]
        rows.sort(key=lambda k: (view.dep[k] == self._nsubj_id, k))  # subjects first, then the nearest
        for k in reversed(rows):
            mid, src = self._subject(k, int(view.idx[k]))
            if mid is not None and src.kind == "person" and not src.plural:
                return mid
        return None

    def _cataphor(self, pronoun_tok: int) -> int | None:
        """Cataphora rule: a he/she in a clause fronted before the main clause, with no person named before it in
        the sentence, is the named person who is the main clause's subject: "In an interview in which he said
        talks "must go on", Defence Minister Ana Ruiz also said ..." is Ana Ruiz's (both quotes)."""
        doc = self.view.doc
        tok = doc[pronoun_tok]
        root = tok.sent.root
        for subj in root.children:
            if subj.dep_ not in SUBJECT_DEPS or subj.i <= pronoun_tok or subj.ent_type_ not in PERSON_LABELS:
                continue
            fronted = next((c for c in root.children if c.i < subj.left_edge.i and tok in c.subtree), None)
            if fronted is None or fronted.dep_ not in ("prep", "advcl", "npadvmod"):
                return None
            mid, src = self._subject(subj.i, int(self.view.idx[subj.i]))
            return mid if mid is not None and src.kind == "person" and not src.plural else None
        return None

    def _group_antecedent(self, char: int) -> int | None:
        """'The Liberal Democrats said X. They urged ...': "they" is the previous source when that is a body
        or a plural description ("officials") at most a paragraph back, and no other source came between."""
        for pos, mid, src in reversed(self._log):
            if pos >= char:
                continue
            if pos < self._last_unresolved or self.view.para_of(char) - self.view.para_of(pos) > 1:
                return None
            if self.registry.kind_of(mid) == "organisation" and not src.maybe_person:
                return mid
            if src.plural or (self.view.para_of(char) == self.view.para_of(pos) and _anonymous_single(src)):
                return mid  # '"...," they said' after "A Whitehall source said": a singular they
            return None
        return None

    def _antecedent(self, char: int, pronoun: str, pronoun_tok: int) -> int | None:
        if pronoun == "group":
            return self._group_antecedent(char)
        if pronoun == "person" and self.view.doc[pronoun_tok].head.dep_ != "ROOT":  # not "After X, he said"
            mid = self._same_sentence_person(pronoun_tok)
            if mid is None:
                mid = self._cataphor(pronoun_tok)
            if mid is not None:
                return mid
        best_pos, best_id = -1, None
        for pos, mid, src in reversed(self._log):
            if pos < char and self._fits(src, mid, pronoun, pos, char, quoted=True):
                if pronoun == "person" and self._gender_clash(mid, pronoun_tok):
                    continue
                best_pos, best_id = pos, mid
                break
        j = bisect.bisect_left(self._subj_pos, char) - 1
        while j >= 0 and self._subj_pos[j] > best_pos:
            pos = self._subj_pos[j]
            if not self._in_content(pos):
                mid, src = self._subject(int(self._subj_rows[j]), pos)
                if mid is not None and self._fits(src, mid, pronoun, pos, char, quoted=False):
                    if not (pronoun == "person" and self._gender_clash(mid, pronoun_tok)):
                        best_id = mid
                        break
            j -= 1
        if best_id is not None and pronoun == "person" and self.registry.kind_of(best_id) != "person":
            self.registry.set_kind(best_id, "person")
        if best_id is not None and pronoun == "person":
            gender = _GENDER_OF_PRONOUN.get(self.view.doc[pronoun_tok].lower_)
            if gender is not None:
                self._gender.setdefault(self._gender_key(best_id), gender)
        return best_id

    def _reporting_body(self, surface: str, char: int) -> int | None:
        """'the ministry said' after 'the Japanese Foreign Ministry quoted Iwaya as saying': a bare definite
        body goes back to the latest body that was the subject of a reporting verb without being a quote
        source, when no compatible quote source came after it (within five paragraphs)."""
        noun = _bare_body_noun(surface)
        if noun is None:
            return None
        view, registry = self.view, self.registry
        latest = -1  # the latest compatible body among the quote sources
        for pos, mid, _ in reversed(self._log):
            if (
                pos < char
                and registry.kind_of(mid) == "organisation"
                and compatible_names(noun, registry.name_of(mid), "organisation")
            ):
                latest = pos
                break
        for row in reversed(self._report_rows.tolist()):
            pos = int(view.idx[row])
            if pos >= char or pos <= latest:
                continue
            if view.para_of(char) - view.para_of(pos) > 5:
                break
            if self._in_content(pos):
                continue
            mid, src = self._subject(row, pos)
            if mid is None or src.kind != "organisation" or src.plural:
                continue
            if compatible_names(noun, registry.name_of(mid), "organisation"):
                return mid
        return None

    def _body_by_context(self, surface: str, char: int) -> int | None:
        """A body described, not named ("the group", "the ministry"): the body the text means, tried in order."""
        for step in (self._generic_body, self._reporting_body, self._spokespersons_body, self._named_body):
            mid = step(surface, char)
            if mid is not None:
                return mid
        return None

    def _generic_body(self, surface: str, char: int) -> int | None:
        """'the group said' after 'Human Rights Watch said': a generic body noun (``generic_body_nouns`` in
        data/world.json) stands for the latest body quoted at most two paragraphs back that is no country and whose
        name does not end in another body noun ("the group" is not "the Foreign Ministry")."""
        words = surface.casefold().split()
        if len(words) != 2 or words[0] != "the" or words[1] not in _GENERIC_BODY_NOUNS:
            return None
        for pos, mid, _ in reversed(self._log):
            if pos >= char:
                continue
            if self.view.para_of(char) - self.view.para_of(pos) > 2:
                return None
            name = self.registry.name_of(mid)
            if self.registry.kind_of(mid) != "organisation" and not _untagged_body_name(name):
                continue
            head = fold(strip_possessive(name.split()[-1])) if name.split() else ""
            if fold(name) in COUNTRIES or (head in ORG_NOUNS and head != words[1]):
                continue
            return mid
        return None

    def _named_body(self, surface: str, char: int) -> int | None:
        """Named-body rule: 'the ministry said' in a text that has named one ministry before, outside any quote
        ("at the invitation of the Ministry of Foreign Affairs (MOFA)"), within eight paragraphs: that body,
        under its name. Two different ministries named: no guess."""
        noun = _bare_body_noun(surface)
        name = None if noun is None else self._body_named_before(noun, char)
        if name is None:
            return None
        return self.registry.add(
            SpeakerMention(surface=surface, name=name, role="", kind="organisation", position=char)
        )

    def _body_named_before(self, noun: str, char: int) -> str | None:
        """The one body the text named before ``char`` (outside quotes, within eight paragraphs) whose name has
        the body noun ``noun`` ("ministry"): its name; None if none or two different ones."""
        view, found = self.view, {}
        for start, end, label in view.entities():
            pos = view.starts[start]
            if pos >= char:
                break
            if label != "ORG" or view.para_of(char) - view.para_of(pos) > 8 or self._in_content(pos):
                continue
            name = strip_determiner(strip_possessive(view.span_text(start, end)))
            if noun in name.casefold().split() and name[:1].isupper():
                found.setdefault(fold(name), name)
        return next(iter(found.values())) if len(found) == 1 else None

    def _name_the_body(self, src: Source, char: int) -> None:
        """'A department spokesperson said' after 'the State Department announced ...': an unnamed source
        described by a bare body noun takes the name of the one such body the text named before ("State
        Department spokesperson")."""
        first, _, rest = src.name.partition(" ")
        # not "government": sources of a country's own government are rarely another body's the text named
        if not rest or first == "government" or first not in ORG_NOUNS or description_head(rest) not in PERSON_NOUNS:
            return
        body = self._body_named_before(first, char)
        if body is not None:
            src.name = f"{body} {rest}"

    def _spokespersons_body(self, surface: str, char: int) -> int | None:
        """'the ministry said' after 'Foreign Ministry spokesman Ana Ruiz said': the body named in the title of
        an earlier quoted person (within five paragraphs), registered under that name."""
        noun = _bare_body_noun(surface)
        if noun is None:
            return None
        view = self.view
        for pos, mid, _ in reversed(self._log):
            if pos >= char or self.registry.kind_of(mid) != "person":
                continue
            if view.para_of(char) - view.para_of(pos) > 5:
                return None
            for role in reversed(self.registry.roles_of(mid)):
                title = role.split()
                heads = [k for k, w in enumerate(title) if w.casefold().rstrip("'s’") == noun]
                if heads and title[0][:1].isupper():
                    name = " ".join(title[: heads[-1] + 1])
                    mention = SpeakerMention(surface=surface, name=name, role="", kind="organisation", position=char)
                    return self.registry.add(mention)
        return None

    def _described(self, src: Source, char: int) -> int | None:
        """'The spokesman said' after 'State Department spokesman Ned Price said'; 'the Russian leader' after
        'Russian President Vladimir Putin': the latest person source whose titles fit the description."""
        view = self.view
        words = _without_honorific(view.span_text(src.start, src.end).split())
        party_member = src.kind == "organisation" and words[-1].casefold() in _PARTY_MEMBER_NOUNS  # NER: NORP
        # "the foreign minister", or a country's title with no name: "Greenland's prime minister"
        country_title = (
            len(words) >= 2
            and words[0][:1].isupper()
            and words[0].endswith(("'s", "’s"))
            and words[-1].casefold() in TITLE_WORDS
            and src.kind == "person"
            and (
                view.doc[src.start].ent_type_ in ("GPE", "NORP", "LOC")
                or fold(strip_possessive(words[0])) in COUNTRIES  # "Vanuatu's", untagged
            )
        )
        if (
            not (src.kind == "person" or party_member)
            or len(words) < 2
            or not (words[0].casefold() == "the" or country_title)
        ):
            return None
        if src.name and src.name.casefold() not in " ".join(words).casefold():
            return None  # "The foreign secretary, David Lammy, said": named by its appositive
        if len(words) == 2 and words[1] in _FLOOR_NOUNS:
            return self._floor_holder(char)
        words = _description_words(view, src, words)
        if " ".join(words[-3:]).casefold() in COMPOUND_TITLES:  # "the head of state": one title of three words
            words = [*words[:-3], " ".join(words[-3:]).casefold()]
        # a country's title keeps the country ("China's representative" is not the representative of France)
        wanted = [ROLE_SYNONYM.get(w, w) for w in (w.casefold().strip(",") for w in words[0 if country_title else 1 :])]
        wanted = [w for w in wanted[:-1] if w not in _LOOSE_MODIFIERS] + wanted[-1:]
        if wanted[-1] in _ANONYMOUS_NOUNS:
            unnamed = self._same_unnamed(wanted, char)
            if unnamed is not None:
                return unnamed
        if src.plural and (len(wanted) == 1 or wanted[0] == "same"):  # "the sources", "the same sources"
            group = self._same_group(wanted[-1], char)
            if group is not None:
                return group
        if src.plural and len(words) >= 3:  # "the heads of government" after "CARICOM heads of government said"
            group = self._group_ending_in(" ".join(words[1:]).casefold(), char)
            if group is not None:
                return group
        first = True
        recent = self._exact_title_subject(wanted, char)
        for pos, mid, prev in reversed(self._log):
            if pos >= char or self.registry.kind_of(mid) != "person" or prev.plural:
                continue
            if recent is not None and recent[0] > pos:
                return recent[1]
            distance = view.para_of(char) - view.para_of(pos)
            if distance > 5:
                break  # too far back to be meant; a titled person or the subject just before may still be
            name = self.registry.name_of(mid)
            roles = self._roles_of(mid)
            if name.split()[0].casefold() in PERSON_NOUNS or description_head(name) in PERSON_NOUNS:
                # a described speaker: "spokeswoman for the German Economy Ministry", "State Department spokesperson"
                roles.append(name)
            role_words = _role_words(roles)
            role_words |= _acronyms_of_role(wanted[:-1], view.acronyms(), role_words)
            role_words |= _title_initials(roles)  # "The EAM noted" after "External Affairs Minister S Jaishankar"
            if _role_fits(wanted, role_words) and name.casefold() != " ".join(wanted):
                return mid
            if (  # "Keir Starmer has said. ... the prime minister said": the latest source, its title unstated
                # (or only "his British counterpart", which names no office)
                first
                and not _office_words(role_words)
                and distance <= 1
                and wanted[-1] in TITLE_WORDS
                and name.split()[0].casefold() not in PERSON_NOUNS
                and not name[:1].islower()  # a named person, not an unnamed source ("senior official privy to ...")
                and not _holds_title_word(name)  # nor "Chile's foreign minister"
            ):
                return mid
            first = False
            # a bare "the spokesman" goes back past sources whose role does not fit, within the window
        if recent is not None:
            return recent[1]
        return self._described_further(src, wanted, char, capitalised=words[-1][:1].isupper())

    def _described_further(self, src: Source, wanted: list[str], char: int, capitalised: bool) -> int | None:
        """A description no recent source fits: its office's one holder ("The Minister", capitalised), a titled
        person named before, the one source whose title states no nationality, the subject of the sentence
        before, or the person the next paragraph opens with, in that order."""
        steps = (  # in order, each only if the one before found no one (some register what they find)
            lambda: self._office_holder(wanted, char) if capitalised and wanted[-1] in TITLE_WORDS else None,
            lambda: self._described_titled(wanted, char),
            lambda: self._unstated_nationality(wanted, char),
            lambda: self._previous_subject(src, wanted, char),
            lambda: self._named_next(src, wanted, char),
            lambda: self._former_office(wanted, char),
            lambda: self._national_title_further_back(wanted, char),
            lambda: self._latest_of_the_office(wanted, char),
        )
        for step in steps:
            found = step()
            if found is not None:
                return found
        return None

    def _latest_of_the_office(self, wanted: list[str], char: int) -> int | None:
        """'Kos said ... "...," the Slovenian commissioner said' after 'European Commissioner for Enlargement Marta
        Kos': a nationality no title states tells more about the person just quoted (this paragraph or the one
        before) when that person holds the office the description names."""
        # "the Israeli official" is not the Lebanese official just quoted
        if not _national_title(wanted) or wanted[-1] in _ANONYMOUS_NOUNS:
            return None
        mid = self._just_quoted_person(char)
        if mid is None or not _named_person(self.registry.name_of(mid)):
            return None
        nationalities = [w for w in wanted if w in COUNTRY_OF]
        if self._nationality_of_another(nationalities, self.registry.name_of(mid), char):
            return None  # "Spanish Minister ... Albares" named before: "the Spanish minister" is his
        return mid if wanted[-1] in _role_words(self._roles_of(mid)) else None

    def _national_title_further_back(self, wanted: list[str], char: int) -> int | None:
        """'the Chinese foreign minister' when the only person whose title fits, nationality included ("his Chinese
        counterpart Wang Yi"), was quoted more than five paragraphs back: a description that names a nationality
        says who it is however far back, when one person fits."""
        if not _national_title(wanted):
            return None
        found: dict[str, int] = {}
        for pos, mid, prev in reversed(self._log):
            if pos >= char or prev.plural or self.registry.kind_of(mid) != "person":
                continue
            roles = self._roles_of(mid)
            if _role_fits(wanted, _role_words(roles) | _title_initials(roles)):
                found.setdefault(self.registry.name_of(mid), mid)
        return next(iter(found.values())) if len(found) == 1 else None

    def _former_office(self, wanted: list[str], char: int) -> int | None:
        """'Hanna Tetteh told the Council ... The former Ghanaian foreign minister urged': a past office that no one's
        title fits tells more about the person just quoted (the latest person source, in this paragraph or the
        one before), as journalists vary their references."""
        if "former" not in wanted or wanted[-1] not in TITLE_WORDS:
            return None
        return self._just_quoted_person(char)

    def _just_quoted_person(self, char: int) -> int | None:
        """The latest source before ``char`` when it is one person quoted in this paragraph or the one before."""
        for pos, mid, prev in reversed(self._log):
            if pos >= char:
                continue
            if self.view.para_of(char) - self.view.para_of(pos) > 1 or prev.plural:
                return None
            return mid if self.registry.kind_of(mid) == "person" else None
        return None

    def _titles_of(self, name: str) -> list[str]:
        """Every title the text writes before this person's name ("Syrian Foreign Minister" for Asaad al-Shaibani)."""
        return [r for _, n, r, _ in self.view.titled_persons() if same_speaker(n, name)]

    def _roles_of(self, mid: int) -> list[str]:
        """A person source's titles: those it was registered with and those the text gives its name elsewhere."""
        return [*self.registry.roles_of(mid), *self._titles_of(self.registry.name_of(mid))]

    def _unstated_nationality(self, wanted: list[str], char: int) -> int | None:
        """'The Romanian official said' after 'Foreign Minister Oana Toiu said' in a Romanian agency's copy: when no
        source's title fits a description with a nationality, the one recent person source (within five
        paragraphs) whose title fits the rest of it and states no nationality at all is meant."""
        rest = [w for w in wanted if w not in COUNTRY_OF]
        if len(rest) == len(wanted) or not rest:
            return None
        nationalities = [w for w in wanted if w in COUNTRY_OF]
        for pos, _mid, prev in self._log:
            # "The senior U.S. official said" after "A senior U.S. official said": the text's unnamed sources of
            # that nationality are meant, not a named person whose title states none
            name = (prev.name or "").casefold().split()
            if pos < char and (prev.plural or _anonymous_single(prev)) and set(nationalities) <= set(name):
                return None
        fits: dict[str, int] = {}
        for pos, mid, prev in reversed(self._log):
            if pos >= char or prev.plural or self.registry.kind_of(mid) != "person":
                continue
            if self.view.para_of(char) - self.view.para_of(pos) > 5:
                break
            name = self.registry.name_of(mid)
            roles = self._roles_of(mid)
            words = _role_words(roles)
            if _states_nationality(words):
                continue  # a title that names a country or nationality says whose official this is
            words |= _title_initials(roles)  # "the Romanian PM" for "Prime Minister Ilie Bolojan"
            if _role_fits(rest, words):
                fits.setdefault(name, mid)
        # "Chancellor Friedrich Merz repeated his opposition ... , the German chancellor said": a titled person
        # named a few paragraphs before, not yet quoted, counts as such a source too
        titled = None
        for pos, name, role, surface in self._titled_before(char):
            if any(same_speaker(name, n) for n in fits):
                continue
            words = _role_words([role])
            if _states_nationality(words):
                continue
            if _role_fits(rest, words):
                fits.setdefault(name, -1)
                titled = titled or SpeakerMention(surface=surface, name=name, role=role, kind="person", position=pos)
        if len(fits) != 1:
            return None
        ((name, mid),) = fits.items()
        if self._nationality_of_another(nationalities, name, char):
            return None
        return self.registry.add(titled) if mid < 0 else mid

    def _nationality_of_another(self, nationalities: list[str], name: str, char: int) -> bool:
        """Whether the text gives one of these nationalities before ``char`` (outside quotes) other than just
        before this person's name ("Romanian FM Oana Toiu"): "Spanish Minister of Foreign Affairs, European Union
        and Cooperation José Manuel Albares" makes the Spanish minister Albares, even with his title unread."""
        doc = self.view.doc
        countries = set().union(*(COUNTRY_OF[n] for n in nationalities))
        last = set(name.casefold().split())
        for tok in doc:
            if tok.idx >= char:
                break
            if tok.lower_ not in countries or self._in_content(tok.idx):
                continue
            if any(t.lower_ in last for t in doc[tok.i + 1 : tok.i + 5]):
                continue  # this person's own: "Romanian FM Oana Toiu"
            # the nationality of someone else: a word modifying another's title ("Spanish Minister of Foreign
            # Affairs, European Union and Cooperation José Manuel Albares") or another person named after it in its
            # sentence, not a country written on its own ("Germany, in particular, will not hear of it")
            if (tok.dep_ in ("amod", "compound", "poss") and tok.head.lower_ not in ORG_NOUNS) or any(
                t.ent_type_ == "PERSON" and t.lower_ not in last for t in doc[tok.i + 1 : tok.sent.end]
            ):
                return True
        return False

    def _office_holder(self, wanted: list[str], char: int) -> int | None:
        """'The Chairperson said' or 'The Minister replied' in minutes or a committee report, the title written
        with a capital: the office's one holder the text has quoted before, however far back (two people of
        that title quoted: no guess)."""
        holders: dict[str, int] = {}  # name -> latest mention
        for pos, mid, prev in self._log:
            if pos >= char or prev.plural or self.registry.kind_of(mid) != "person":
                continue
            if _role_fits(wanted, _role_words(self._roles_of(mid))):
                holders[self.registry.name_of(mid)] = mid
        return next(iter(holders.values())) if len(holders) == 1 else None

    def _same_unnamed(self, wanted: list[str], char: int) -> int | None:
        """Same-unnamed rule: "The source, who requested anonymity, said" after "A French diplomatic source said"
        is that source: the latest unnamed single source with the same head noun whose description holds every
        word of this one, within two paragraphs."""
        view = self.view
        for pos, mid, prev in reversed(self._log):
            if pos >= char:
                continue
            if view.para_of(char) - view.para_of(pos) > 2:
                break
            name = (prev.name or "").casefold()
            if _anonymous_single(prev) and description_head(name) == wanted[-1] and set(wanted) <= set(name.split()):
                return mid
        return None

    def _same_group(self, head: str, char: int) -> int | None:
        """Same-group rule: "The same sources said" is the latest group of unnamed sources with that head noun
        ("diplomatic sources in Athens"), within three paragraphs."""
        view = self.view
        for pos, mid, prev in reversed(self._log):
            if pos >= char:
                continue
            if view.para_of(char) - view.para_of(pos) > 3:
                break
            if prev.plural and description_head(prev.name or "") == head:
                return mid
        return None

    def _group_ending_in(self, description: str, char: int) -> int | None:
        """The latest source whose name ends in these words ("CARICOM heads of government" for "heads of government",
        read as a body or a group), however far back: a plural description of two words or more names it again."""
        for pos, mid, prev in reversed(self._log):
            if pos < char and (prev.name or "").casefold().endswith(" " + description):
                return mid
        return None

    def _floor_holder(self, char: int) -> int | None:
        """Floor rule: in meetings coverage "The speaker added" (lower case; "the Speaker" of a house is a title)
        is the person who has the floor, the latest single person quoted, in this paragraph or the one before."""
        for pos, mid, prev in reversed(self._log):
            if pos >= char:
                continue
            if self.view.para_of(char) - self.view.para_of(pos) > 1:
                return None
            if self.registry.kind_of(mid) == "person" and not prev.plural:
                return mid
        return None

    def _exact_title_subject(self, wanted: list[str], char: int) -> tuple[int, int] | None:
        """Exact title rule: "The minister said" after "Chile's minister of trade, Ana Ruiz, welcomed the deal" is
        Ana Ruiz, a person who was the subject of a main clause, not yet quoted, whose own title has the
        description's head word, rather than an earlier quoted president of the same broad family (within two
        paragraphs). The description's modifiers must agree with that title too: "the Serbian minister" is not
        the Russian minister who was the last subject. Returns (position, mention id)."""
        head = wanted[-1]
        if head not in TITLE_WORDS and head not in COMPOUND_TITLES:
            return None
        view = self.view
        j = bisect.bisect_left(self._subj_pos, char) - 1
        while j >= 0:
            pos = self._subj_pos[j]
            if view.para_of(char) - view.para_of(pos) > 2:
                return None
            if not self._in_content(pos):
                mid, src = self._subject(int(self._subj_rows[j]), pos)
                if mid is not None and src.kind == "person" and not src.plural and src.name:
                    # the title may be any the text gives this person ("Minister Mirzoyan" after "Minister of
                    # Foreign Affairs of Armenia Ararat Mirzoyan"; "Al-Shaibani thanked" after "Syrian Foreign
                    # Minister Asaad Al-Shaibani")
                    words = {ROLE_SYNONYM.get(w, w) for w in (w.strip(",.").casefold() for w in src.role.split())}
                    words |= _role_words(self._titles_of(src.name))
                    held = head in words or not words.isdisjoint(ROLE_FAMILIES.get(head, ()) if " " in head else ())
                    if held and all(_modifier_fits(m, words, set()) for m in wanted[:-1]):
                        return pos, mid
            j -= 1
        return None

    def _previous_subject(self, src: Source, wanted: list[str], char: int) -> int | None:
        """'Donald Trump is up next. The US president began by ...': a description headed by a title word, with
        no earlier source or titled person to name, is the person named as the subject of the sentence just
        before it (a full name, in the same or the previous paragraph)."""
        view, doc = self.view, self.view.doc
        unnamed = wanted[-1] in _ANONYMOUS_NOUNS  # "A senior source was blunt. ... the source said"
        if wanted[-1] not in TITLE_WORDS | COMPOUND_TITLES and wanted[-1] not in _PARTY_MEMBER_NOUNS and not unnamed:
            return None  # "the Social Democrat" describes the person just named as a title does
        sent = doc[src.start].sent
        if sent.start == 0:
            return None
        prev = doc[sent.start - 1].sent
        while prev.start > 0 and not any(t.is_alpha for t in prev):  # a closing mark split off as a "sentence"
            prev = doc[prev.start - 1].sent
        if view.para_of(char) - view.para_of(int(view.idx[prev.start])) > 1:
            return None
        subjects = [t for t in prev if t.dep_ in SUBJECT_DEPS and t.head.dep_ == "ROOT" and t.i < t.head.i]
        subj = subjects[-1] if subjects else None  # "NIAMEY, Niger—Ana Ruiz has spent ...": the name, not the dateline
        if subj is not None and _dateline_dash(subj, subj.head) is not None:
            # "SEOUL, July 8 (Yonhap) -- Ana Ruiz, ..., rejected": the person hung on the dateline
            dash = _dateline_dash(subj, subj.head)
            subj = next((c for c in subj.children if c.dep_ == "appos" and c.i > dash), None)
        if subj is None or self._in_content(int(view.idx[subj.i])):
            return None  # '"Our position has not changed. ...," the minister said': no one the quote speaks of
        lo, hi = view.para_bounds(subj.i)
        person = describe(view, subj, lo, hi)
        if unnamed and _anonymous_single(person) and set(wanted) <= set(person.name.casefold().split()):
            # the unnamed source the sentence before was about, with the same head noun and every word of this one
            return self._register(person, int(view.idx[subj.i]))
        if person.kind != "person" or person.plural or not person.name[:1].isupper():
            return None  # a name: "A new round of talks ended ..." names no one, nor do "Haitian officials"
        if _holds_title_word(person.name):
            return None  # a description ("Chile's foreign minister"), not a name
        if not (
            _full_name(subj) or len(person.name.split()) >= 2 or self._named_in_full_before(person.name, wanted, char)
        ):
            return None  # "Trump" alone may be anyone of that name; a full name is someone
        titles = [t for t in (person.role, *self._titles_of(person.name)) if t]
        office = wanted[-1] in TITLE_WORDS and doc[src.end - 1].text[:1].isupper()  # "the Prime Minister"
        if office and _other_office(wanted[-1], titles):
            return None  # "Spokesperson X said ... the Prime Minister affirmed": an office of their own that differs
        if titles and wanted[-1] in _SPOKES and not _role_fits(wanted, _role_words(titles)):
            return None  # "Defence Secretary John Healey said ... the Prime Minister's spokesman said": not him
        if not person.role:  # the description is the title this person is known by from here on
            person.role = strip_determiner(view.span_text(src.start, src.end))
        return self._register(person, int(view.idx[subj.i]))

    def _named_next(self, src: Source, wanted: list[str], char: int) -> int | None:
        """Lede rule: "The UK will begin boarding tankers ..., the foreign secretary has said." then, opening the
        next paragraph, "Yvette Cooper told the Commons ...": a title description that ends its
        paragraph, or that is the story's first source, and that no one before it fits is the person named in full as the subject of the next
        paragraph's first sentence."""
        view, doc = self.view, self.view.doc
        remit = next((k for k, w in enumerate(wanted) if w in _REMIT_PREPS), len(wanted))
        if remit == 0 or wanted[remit - 1] not in TITLE_WORDS:  # "the Special Representative ... for Libya" too
            return None
        p = view.para_of(char)
        _, para_hi = view.para_bounds(src.start)
        if p + 1 >= len(view.paras):
            return None
        # only the verb and a full stop follow the description in its paragraph, or no one was quoted before it
        # ("Greenland's prime minister has told a visiting delegation that ...", the story's first source)
        closes = not any(t.is_alpha and t.pos_ not in ("VERB", "AUX") for t in doc[src.end : para_hi])
        if not closes and any(
            pos < char
            and not prev.plural
            and self.registry.kind_of(mid) == "person"
            and not self._headline(view.para_of(pos))  # "Baghaei: Iran will not ...": the headline's source
            for pos, mid, prev in self._log
        ):
            return None
        k = view.char_to_token(view.paras[p + 1][0])
        if k >= view.n:
            return None
        seg_lo, seg_hi = view.segment(k)
        subj = next(
            (
                t
                for t in doc[seg_lo:seg_hi]
                if t.dep_ == "nsubj" and t.head.dep_ == "ROOT" and (t.ent_type_ in PERSON_LABELS or t.pos_ == "PROPN")
            ),
            None,
        )
        if subj is None:
            return None
        lo, hi = view.para_bounds(subj.i)
        person = describe(view, subj, lo, hi)
        if person.kind != "person" or not person.name or len(person.name.split()) < 2:
            return None
        if not person.role:
            person.role = strip_determiner(view.span_text(src.start, src.end))
        return self._register(person, int(view.idx[subj.i]))

    def _named_in_full_before(self, name: str, wanted: list[str], char: int) -> bool:
        """'Zelenskyy, for his part, ...' after 'Ukrainian President Volodymyr Zelenskyy': a one-word name is
        someone when the text has named that person in full before, with a title the description fits."""
        for tok, full, role, _ in self.view.titled_persons():
            if int(self.view.idx[tok]) < char and full.split()[-1] == name and _role_fits(wanted, _role_words([role])):
                return True
        return False

    def _described_titled(self, wanted: list[str], char: int) -> int | None:
        """'The top diplomat said' after 'Foreign Minister Ana Ruiz held talks': a titled person named a few
        paragraphs before, not yet quoted, whose title fits the description."""
        for pos, name, role, surface in self._titled_before(char):
            if _role_fits(wanted, _role_words([role])):
                mention = SpeakerMention(surface=surface, name=name, role=role, kind="person", position=pos)
                return self.registry.add(mention)
        return None

    def _titled_before(self, char: int):
        """``(position, name, role, surface)`` of the titled persons named before ``char`` outside quotations and
        within ``_TITLED_WINDOW`` paragraphs of it, latest first."""
        view = self.view
        for tok, name, role, surface in reversed(view.titled_persons()):
            pos = int(view.idx[tok])
            if pos >= char or self._in_content(pos):
                continue
            if view.para_of(char) - view.para_of(pos) > _TITLED_WINDOW:
                return
            yield pos, name, role, surface

    def _headline(self, p: int) -> bool:
        """Whether paragraph ``p`` reads as a headline: a line of at most 25 words that does not end a sentence."""
        start, end = self.view.paras[p]
        line = self.view.text[start:end].strip()
        return bool(line) and line[-1] not in _SENTENCE_ENDS and len(line.split()) <= 25

    def _title_case_line(self, tok: int) -> bool:
        """Whether token ``tok`` is on a title-case headline: five or more words, every word capitalised but the
        small words of a title ("to", "of", "and", ...)."""
        view = self.view
        p = view.tok_para[tok]
        if p < 0:
            return False
        start, end = view.paras[p]
        words = [w for w in view.text[start:end].split() if w[:1].isalpha()]
        content = [w for w in words if w.casefold() not in _TITLE_GLUE]
        return len(words) >= 5 and all(w[:1].isupper() for w in content)

    def _add_entity_aliases(self) -> None:
        """Other surface forms of the speakers in this text ("Russian President Vladimir Putin" for "Putin");
        a fuller PERSON name becomes the canonical one."""
        view, registry = self.view, self.registry
        headline: dict[int, bool] = {}  # paragraph -> whether it is a title-case headline, computed once each
        for start, end, label in view.entities():
            if label not in ("PERSON", "ORG"):
                continue
            text = view.span_text(start, end)
            if "\n" in text or not text.split()[-1][:1].isupper():
                continue
            if any(w.casefold() in _PRONOUNS for w in text.split()):
                continue  # "Aides Say She Will ...": a title-case headline NER read as a name
            p = view.tok_para[start]
            if p not in headline:
                headline[p] = self._title_case_line(start)
            words = text.split()
            # "Press Conference by Foreign Minister MOTEGI Toshimitsu": a family name in capitals before the given
            # name, as Japan's foreign ministry writes names; the name in the usual order
            family_first = label == "PERSON" and len(words) == 2 and len(words[0]) > 1 and words[0].isalpha()
            family_first = family_first and words[0].isupper()
            family_first = family_first and words[1][:1].isupper() and not words[1].isupper()
            if headline[p] and not (family_first or (label == "PERSON" and is_given_name(words[0]))):
                # "Takaichi, Lee Agree to Expand ...": NER reads a title-case headline's verb as a name (a name that
                # opens with a known given name, "Tommy Pigott, Principal Deputy Spokesperson", is one)
                continue
            if len(text.split()) == 1 and _PAIRING_RE.match(text):
                continue  # "a Putin-Zelensky meeting": two people's names joined, not a fuller name of one
            kind = "person" if label == "PERSON" else "organisation"
            if kind == "organisation" and len(text.split()) >= 3 and is_honorific(text.split()[0]):
                kind = "person"  # "Ms Veronica Nduva", tagged ORG: an honorific opens a person's name
            if kind == "person":
                text = view.span_text(_person_start(view.doc, start), end)
            name = strip_possessive(strip_determiner(text))
            if family_first:
                name = f"{words[1]} {words[0].capitalize()}"
            if kind == "person" and len(words) >= 3 and _title_country(view.doc, start):
                name = " ".join(name.split()[1:])  # "ambassador to India Lok Raj Baral": the country is the title's
            if kind == "person":  # "Prince Faisal bin Farhan" tagged whole: the title is no part of the name
                name = speaker_name_parts(name)[0] or name
            k = registry.match(name, kind)
            if k is not None and kind == "organisation" and _named_after(name, registry.name_of_cluster(k)):
                continue  # "Trump" in "the Trump administration": the person it is named after, not the body
            if k is not None:
                registry.add_surface(k, name, as_name=kind == "person")
        for _, name, role, surface in view.titled_persons():
            k = registry.match(name, "person")
            if k is not None:
                registry.add_surface(k, surface, role=role)
        for k, name in registry.one_word_people():
            fuller = self._untagged_full_name(name)
            if fuller is not None:
                registry.add_surface(k, fuller[0], as_name=True, role=fuller[1])

    def _untagged_full_name(self, family: str) -> tuple[str, str] | None:
        """'Canada's Minister of International Trade Maninder Sidhu', which NER left untagged, for a speaker known
        only as "Sidhu": the full name and its title, read off the capitalised words before that family name in a
        title phrase (the text's first such, outside quotations)."""
        view, doc = self.view, self.view.doc
        for k in np.flatnonzero(view.orth == ids(family)[0]).tolist():  # the family name's tokens, by hash
            if self._in_content(int(view.idx[k])):
                continue
            left = k
            while left > 0 and not doc[left - 1].is_sent_end:
                prev = doc[left - 1]
                if not (prev.text[:1].isupper() or prev.lower_ in _TITLE_GLUE or prev.text in ("'s", "’s")):
                    break
                left -= 1
            while left < k and not doc[left].text[:1].isupper():
                left += 1  # "talks with Canada's Minister ...": the run starts at a capitalised word
            name, role = speaker_name_parts(view.span_text(left, k + 1))
            words = name.split()
            if (
                # after a title; or a known given name right before the family name ("analyst Alexei Voronin")
                (role or (len(words) == 2 and is_given_name(words[0])))
                and len(words) >= 2
                and words[-1] == family
                and all(w[:1].isupper() for w in words)
                # "Defense Council Rustem Umerov": the end of a body's name or a title is no given name
                and not any(w.casefold() in ORG_NOUNS or w.casefold() in TITLE_WORDS for w in words)
            ):
                return name, role
        return None
