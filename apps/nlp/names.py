"""Speaker names: one matcher for the extractor and the app.

Pure string logic (no spaCy, no Django): splitting titles off a name, folding accents, transliteration
variants, and deciding whether two names are the same speaker. The extractor merges the mentions of one
text with it (``speakers.SpeakerRegistry``) and the quotes app uses the same rules to join a new article's
"Xi" to the stored "Xi Jinping" (``apps.quotes.services.speakers_resolve``).

Names are compared as sets of tokens, never by position: Chinese, Korean, Vietnamese and Hungarian names
put the family name first, and "Xi" must match "Xi Jinping" as "Putin" matches "Vladimir Putin". Tokens
match when their folded spellings agree ("Zelenskiy" / "Zelenskyy", "Sanchez" / "Sánchez"),
when one is the initial of the other ("Joseph R. Biden" / "Joseph Robinette Biden"), or, for long tokens, when
they differ by a letter or two. Middle names and patronymics are extra tokens of the longer name:
"Vladimir Putin" is contained in "Vladimir Vladimirovich Putin". Known spellings live in ``data/names.json``.

The same module decides who may be a corpus-wide speaker at all: a description ("officials", "a source close
to the talks", "Putin's spokesman") or a non-agent ("the reader") stays with its quote (``is_corpus_speaker``),
and only surface forms that name a speaker become its aliases (``names_the_same``).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from rapidfuzz.distance import Levenshtein

_DATA_DIR = Path(__file__).resolve().parent / "data"
# World knowledge (titles, institutions, blocs, epithets) lives in data/world.json, loaded once per process.
WORLD = json.loads((_DATA_DIR / "world.json").read_text(encoding="utf-8"))

# Words that make up a title or a function ("Foreign Minister", "Secretary of State", "military spokesperson").
TITLE_WORDS = frozenset(WORLD["title_words"])
# Honorifics are dropped from the name and not kept as a role.
HONORIFICS = frozenset(WORLD["honorifics"])
# honorifics that are common words in lower case ("HE" for His Excellency): matched as written
CAPITAL_HONORIFICS = frozenset(WORLD["honorifics_in_capitals"])
# the nouns of a form of address: "His Majesty", "Her Royal Highness" (as written)
STYLES = frozenset(WORLD["styles"])


def is_honorific(word: str) -> bool:
    """ "Mr", "Dr.", "H.E.", "HE" (not "he")."""
    return word.casefold() in HONORIFICS or word in CAPITAL_HONORIFICS


# "Ma." (Maria), "Mohd." (Mohammad): given names written abbreviated, without their full stop
GIVEN_NAME_STEMS = frozenset(a.removesuffix(".").casefold() for a in WORLD["given_name_abbreviations"])
DETERMINERS = frozenset("a an the this that these those its their".split())
PERSON_PRONOUNS = frozenset("he she him her".split())
THING_PRONOUNS = frozenset(["it"])
OTHER_PRONOUNS = frozenset("they them we us i me you who which one".split())
PRONOUNS = PERSON_PRONOUNS | THING_PRONOUNS | OTHER_PRONOUNS
# Lower-case particles inside names ("Ursula von der Leyen", "Mohammed bin Salman").
NAME_PARTICLES = frozenset(WORLD["name_particles"])

# Head nouns that describe a person or a body when no name is given.
PERSON_NOUNS = frozenset(WORLD["person_nouns"])
ORG_NOUNS = frozenset(WORLD["body_nouns"])
# Documents that "say" things; their author, when named, is the speaker.
DOCUMENT_NOUNS = frozenset(
    """
    statement statements report reports communique communiqué declaration letter document documents
    readout transcript survey poll data figures estimate estimates study release notice memo briefing
    post tweet message resolution tally analysis assessment
    """.split()
)

_TOKEN_RE = re.compile(r"\S+")
# a quoted nickname between two words of a name: 'Jimmy "Barbecue" Chérizier'
_NICKNAME_RE = re.compile(r"(?<=\w)\s+[\"“‘'][^\"”’']{1,30}[\"”’']\s+(?=\w)")
_POSSESSIVE_RE = re.compile(r"(?:'s|’s|'|’)$")
_STRIP_PUNCT = '.,;:!?"“”‘’«»()[]'


def _clean_token(tok: str) -> str:
    return tok.strip(_STRIP_PUNCT.replace(".", ""))


def _is_title(tok: str) -> bool:
    low = tok.casefold()
    if low in TITLE_WORDS:
        return True
    # "Secretary-General", "Vice-Premier", "Deputy-Director", "Commander-in-Chief"
    parts = [part for part in low.split("-") if part]
    return (
        "-" in low
        and any(part in TITLE_WORDS for part in parts)
        and all(part in TITLE_WORDS or part in _TITLE_GLUE for part in parts)
    )


_TITLE_GLUE = frozenset(("in", "of", "at", "de"))


def _is_capitalised(tok: str) -> bool:
    return bool(tok) and (tok[0].isupper() or (not tok[0].isalpha() and any(c.isupper() for c in tok)))


def _is_name_part(tok: str) -> bool:
    """A word of a name: capitalised, a particle ("bin", "van"), or a particle glued to a capitalised name by a
    hyphen ("al-Shaibani", "el-Sisi")."""
    if _is_capitalised(tok) or tok.casefold() in NAME_PARTICLES:
        return True
    particle, _, rest = tok.partition("-")
    return particle.casefold() in NAME_PARTICLES and _is_capitalised(rest)


def strip_determiner(surface: str) -> str:
    """'The air force' -> 'air force'; keeps the rest of the surface verbatim."""
    parts = surface.split(None, 1)
    if len(parts) == 2 and parts[0].casefold() in DETERMINERS:
        return parts[1]
    return surface


def strip_possessive(name: str) -> str:
    """ "Xi's" -> "Xi"; "Ukraine's Foreign Ministry" is left alone (the possessive is not final)."""
    return _POSSESSIVE_RE.sub("", name) if name else name


_TITLE_COMPLEMENTS = frozenset(WORLD["portfolio_words"])


def _reads_as_name(tokens: list[str]) -> bool:
    """Capitalised words (or name particles) that are not generic and do not end in a body noun ("Tourism
    Agency")."""
    return (
        bool(tokens)
        and all(_is_capitalised(t) or t.casefold() in NAME_PARTICLES for t in tokens)
        and strip_possessive(_clean_token(tokens[-1])).casefold() not in ORG_NOUNS
        and not _is_generic(_clean_token(t).casefold() for t in tokens)
    )


def _given_name_after_complement(rest: list[str]) -> int | None:
    """In a title's complement and the name after it (``rest`` opens with "of", "for" or "to"), where the name
    starts: the first known given name after at least one capitalised complement word that is no country and is
    followed by capitalised name words only ("to the United Nations | Vasily Nebenzia"); None when there is none."""
    k = 1
    while k < len(rest) and rest[k].casefold() in ("the", "and"):
        k += 1
    for g in range(k + 1, len(rest) - 1):
        word = rest[g]
        if not _is_capitalised(rest[g - 1]) and rest[g - 1].casefold() not in NAME_PARTICLES:
            continue  # "for Asia and the Pacific": the complement goes on
        in_country = any(fold(" ".join(rest[a : a + 2])) in COUNTRIES for a in (g - 1, g))  # "Saudi Arabia"
        if _is_capitalised(word) and is_given_name(word) and fold(word) not in COUNTRIES and not in_country:
            if all(_is_name_part(t) for t in rest[g + 1 :]) and _reads_as_name(rest[g:]):
                return g
    return None


_TITLE_NUMBERS = frozenset("II III IV".split())


@functools.lru_cache(maxsize=8192)  # a pure function of the string, asked again for every mention of a name
def speaker_name_parts(surface: str) -> tuple[str, str]:
    """Split a surface form into ``(name, role)``.

    The role is the longest prefix that ends in a title word and leaves a capitalised name behind:
    "Chinese President Xi Jinping" -> ("Xi Jinping", "Chinese President"); "U.S. Secretary of State
    Marco Rubio" -> ("Marco Rubio", "U.S. Secretary of State"). A description with no name left over
    stays whole: "Ukrainian military spokesperson" -> ("Ukrainian military spokesperson", "").
    Honorifics ("Mr.", "Dr") are dropped; a final possessive is removed.
    """
    text = strip_possessive(strip_determiner(" ".join(surface.split())))
    text = _NICKNAME_RE.sub(" ", text)  # 'Jimmy "Barbecue" Chérizier': a nickname is no part of the name
    tokens = [t for t in _TOKEN_RE.findall(text)]
    dashes = [k for k, t in enumerate(tokens) if t in ("-", "–", "—", "--")]
    if dashes and dashes[-1] + 1 < len(tokens):
        tokens = tokens[dashes[-1] + 1 :]  # "VOV.VN - Vietnam": a dateline before a dash is no part of the name
    agency = [k for k, t in enumerate(tokens) if re.fullmatch(r"\([A-Z][A-Za-z]{1,10}\):?", t)]
    if agency and agency[-1] + 1 < len(tokens):
        tokens = tokens[agency[-1] + 1 :]  # "Nov 13 (PTI) India": a dateline's agency in brackets ends it
    while tokens and is_honorific(tokens[0]):
        tokens.pop(0)
    if not tokens:
        return "", ""
    last_title = -1
    for i, tok in enumerate(tokens):
        if _is_title(_clean_token(tok)):
            last_title = i
    if last_title >= 0:
        rest = tokens[last_title + 1 :]
        # honorifics after the title, and its number ("Minister of Finance and Economy II Dato Seri Setia Dr ...")
        while rest and (is_honorific(rest[0]) or rest[0] in _TITLE_NUMBERS):
            rest = rest[1:]
        # "Secretary of State Marco Rubio", "Minister of Foreign Affairs of Moldova Mihai Popsoi": the "of"
        # complements of the title (title words or a country) belong to it
        while len(rest) >= 3 and rest[0].casefold() in ("of", "for", "to") and _is_capitalised(rest[1]):
            j = 1
            while (
                j < len(rest) - 2
                and _is_capitalised(rest[j])
                and (_is_title(rest[j]) or rest[j].casefold() in _TITLE_COMPLEMENTS or fold(rest[j]) in COUNTRIES)
            ):
                j += 1
            if j == 1:
                break
            rest = rest[j:]
            last_title = len(tokens) - len(rest) - 1
        if len(rest) >= 4 and rest[0].casefold() in ("of", "for", "to"):
            # "Permanent Representative to the United Nations Vasily Nebenzia", "Minister for the Environment Ana
            # Ruiz": a complement no word list covers ends where a known given name opens the name
            g = _given_name_after_complement(rest)
            if g is not None:
                rest = rest[g:]
                last_title = len(tokens) - len(rest) - 1
        # "Secretary of the National Security and Defense Council Rustem Umerov": the body's last word is the role's
        if len(rest) >= 3 and rest[0].casefold() in ORG_NOUNS and _reads_as_name(rest[1:]):
            rest = rest[1:]
            last_title = len(tokens) - len(rest) - 1
        if (
            rest
            # "President von der Leyen": a family name may open with its particles
            and (_is_capitalised(rest[0]) or (rest[0].casefold() in NAME_PARTICLES and _is_capitalised(rest[-1])))
            and all(_is_name_part(t) for t in rest)
            and not _is_generic(_clean_token(t).casefold() for t in rest)
            # "Israel's Prime Minister's Office": a body named after a title is not a titled person
            and strip_possessive(_clean_token(rest[-1])).casefold() not in ORG_NOUNS
        ):
            role = " ".join(tokens[: last_title + 1]).strip(",")
            return " ".join(rest).strip(","), role
    # where the person comes from, before their name, is a role: a country that is no given name before a full
    # name ("Armenia Ararat Mirzoyan": NER took in the country of "... of Armenia"), or a possessor before a full
    # name ("Chile's Ines Sandoval"), or a country's before a single name ("Germany's Wadephul")
    origin, rest = tokens[0], tokens[1:]
    if (
        last_title < 0
        and len(rest) >= 2
        and (origin.casefold() in ORG_NOUNS or origin.casefold() in _TITLE_COMPLEMENTS)
        and _reads_as_name(rest)
    ):  # "Council Ali Larijani", "Investment Khalid Al-Falih": the end of a title NER took into the person's name
        return " ".join(rest), origin
    if last_title < 0 and _reads_as_name(rest):
        if len(tokens) >= 3 and fold(origin) in COUNTRIES and not is_given_name(origin):
            return " ".join(rest), origin
        if (
            (len(tokens) >= 3 or (len(tokens) == 2 and fold(strip_possessive(origin)) in COUNTRIES))
            and _POSSESSIVE_RE.search(origin)
            and _is_capitalised(origin)
        ):
            return " ".join(rest), origin
    return " ".join(tokens), ""


# ---- folding, spellings and keys ------------------------------------------------------------------------

_DATA = json.loads((_DATA_DIR / "names.json").read_text(encoding="utf-8"))
# letters NFKD does not decompose
_FOLD_TABLE = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})
_SPELLING_OF = {variant: group[0] for group in _DATA["transliterations"] for variant in group}
_SPELLINGS = {group[0]: frozenset(group) for group in _DATA["transliterations"]}
FAMILY_NAME_FIRST = frozenset(_DATA["family_name_first"])
_DESCRIPTIVE_PEOPLE = frozenset(_DATA["descriptive_people"])
# a Slavic ending written -iy, -yy, -yi, -ii, -ij or -i in one transliteration and -y in another
_Y_ENDING_RE = re.compile(r"(?<=[^aeiouy])(?:iy|yy|yi|ii|ij|i)$")
_Y_ENDINGS = ("y", "iy", "yy", "yi", "ii", "i")


_UNACCENT_TABLE = {
    **_FOLD_TABLE,
    **{ord(chr(k).upper()): v.capitalize() for k, v in _FOLD_TABLE.items() if len(chr(k).upper()) == 1},
}


def unaccented(text: str) -> str:
    """The same text without accents, case kept: "Andrej Babiš" -> "Andrej Babis", "Łukasz" -> "Lukasz"."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).translate(_UNACCENT_TABLE)


def fold(text: str) -> str:
    """Case- and accent-free form: "Sánchez" -> "sanchez", "Løkke" -> "lokke"."""
    return unaccented(text.casefold())


def alias_key(surface: str) -> str:
    """The stored lookup key of a surface form: case-folded, white space collapsed (accents kept, so that
    keys written before stay valid)."""
    return " ".join(surface.casefold().split())


@functools.lru_cache(maxsize=16384)
def spelling(token: str) -> str:
    """One key for the transliterations of a name token: a known spelling (``data/names.json``), else the
    general rule that a long token's -iy/-yy/-ii/-yi/-ij/-i ending is a -y ("Dmitriy" ~ "Dmitry")."""
    token = fold(token)
    if token in _SPELLING_OF:
        return _SPELLING_OF[token]
    if len(token) >= 5:
        return _Y_ENDING_RE.sub("y", token)
    return token


def spellings(token: str) -> frozenset[str]:
    """The spellings under which a token may be stored: itself, its folded form, the known spellings of its
    name and the -y ending variants (for looking up stored aliases)."""
    key = spelling(token)
    out = {token.casefold(), fold(token), key, *_SPELLINGS.get(key, ())}
    if len(key) >= 5 and key.endswith("y") and key == _Y_ENDING_RE.sub("y", key):
        out |= {key[:-1] + ending for ending in _Y_ENDINGS}
    return frozenset(t for t in out if t)


def family_name(name: str) -> str:
    """The family name of a person's name: the first token in Chinese, Korean or Vietnamese order ("Xi
    Jinping", "Lee Jae-myung"), otherwise the last ("Vladimir Putin", "Ursula von der Leyen")."""
    tokens = [t for t in name.split() if t]
    if not tokens:
        return ""
    if 2 <= len(tokens) <= 3 and fold(tokens[0]) in FAMILY_NAME_FIRST:
        return tokens[0]
    return tokens[-1]


@functools.cache
def _given_name_genders() -> dict[str, str]:
    """``data/given_names.json`` as one lookup, loaded the first time a gender is asked for (about 25,000 names)."""
    data = json.loads((_DATA_DIR / "given_names.json").read_text(encoding="utf-8"))
    return {**dict.fromkeys(data["female"], "female"), **dict.fromkeys(data["male"], "male")}


def is_given_name(word: str) -> bool:
    """Whether a word is a known given name (data/given_names.json)."""
    return fold(word) in _given_name_genders()


def gender_of_name(name: str) -> str | None:
    """What a person's given name says of their gender ("female", "male"), or None when the name has no given
    name, the given name is an initial, or women and men both bear it ("Jean", "Kim", "Andrea"). A prior only:
    what the text itself says (a resolved "she", "spokesman") comes first."""
    tokens = [t.strip(_STRIP_PUNCT) for t in name.split()]
    tokens = [t for t in tokens if t and fold(t) not in NAME_PARTICLES]
    if len(tokens) < 2:
        return None
    family = family_name(" ".join(tokens))
    given = tokens[1] if family == tokens[0] else tokens[0]
    genders = _given_name_genders()  # "Jean-Pierre": the first part that tells
    return next((genders[part] for part in fold(given).split("-") if len(part) > 1 and part in genders), None)


@functools.lru_cache(maxsize=8192)
def name_tokens(name: str) -> tuple[str, ...]:
    """Folded tokens of a name, titles, possessives, determiners and name particles ("al-", "von") removed;
    hyphenated parts are tokens of their own ("Jae-myung", "al-Sisi")."""
    bare, _ = speaker_name_parts(name)
    out = []
    for tok in re.split(r"[\s\-‐]+", fold(bare)):
        tok = strip_possessive(tok.strip(_STRIP_PUNCT))
        if tok and tok not in DETERMINERS:
            out.append(tok)
    core = [t for t in out if t not in NAME_PARTICLES]
    return tuple(core or out)


def token_match(a: str, b: str) -> bool:
    """Two folded name tokens name the same: equal spellings, an initial ("r." of "robinette"), or long tokens
    with the same first three letters a letter or two apart. Short tokens must otherwise match exactly."""
    if a == b or spelling(a) == spelling(b):
        return True
    a0, b0 = a.rstrip("."), b.rstrip(".")
    if (len(a0) == 1 and b0[:1] == a0 and len(b0) > 1) or (len(b0) == 1 and a0[:1] == b0 and len(a0) > 1):
        return True
    if min(len(a), len(b)) >= 5 and a[:3] == b[:3]:
        if a + "e" == b or b + "e" == a:
            return False  # Brown and Browne, Clark and Clarke: two family names, not two spellings of one
        return Levenshtein.normalized_similarity(a, b) >= 0.75
    return False


def _is_generic(tokens: Iterable[str]) -> bool:
    return all(t in TITLE_WORDS or t in ORG_NOUNS or t in PERSON_NOUNS or len(t) < 2 for t in tokens)


@functools.lru_cache(maxsize=16384)  # pure; the registry compares the same pairs of names again and again
def same_speaker(name_a: str, name_b: str, *, allow_generic: bool = False) -> bool:
    """True when every token of the shorter name matches a distinct token of the longer one.

    Order-free ("Xi" ~ "Xi Jinping", "Putin" ~ "Vladimir Vladimirovich Putin"), case- and accent-insensitive,
    tolerant of transliteration variants. An initial matches only inside a name of two tokens or more. A
    shorter name made only of generic words ("Foreign Ministry", "spokesperson") matches only itself unless
    ``allow_generic`` (inside one text, where the context makes "the Foreign Ministry" unambiguous).
    """
    a, b = name_tokens(name_a), name_tokens(name_b)
    if not a or not b:
        return False
    if _tokens_match(a, b, name_a, name_b, allow_generic):
        return True
    # "Ma. Theresa Lazaro" and "Theresa P. Lazaro": middle initials and abbreviated given names are optional
    core_a, core_b = _core(a), _core(b)
    return (
        len(core_a) >= 2
        and len(core_b) >= 2
        and (core_a, core_b) != (a, b)
        and _tokens_match(core_a, core_b, name_a, name_b, allow_generic)
    )


def _core(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(t for t in tokens if len(t.rstrip(".")) > 1 and t.rstrip(".") not in GIVEN_NAME_STEMS)


_PATRONYMIC = frozenset(("bin", "ibn", "bint", "binti", "ben"))  # "son of" / "daughter of" inside a name


def _fathers_name(given: str, longer: str) -> bool:
    """Whether ``given`` (a name token) occurs in ``longer`` only right after a patronymic particle: "Mohamed bin
    Zayed Al Nahyan" is the father named inside "Khaled bin Mohamed bin Zayed Al Nahyan", not that person."""
    words = [w.casefold().strip(_STRIP_PUNCT) for w in longer.split()]
    found = [k for k, w in enumerate(words) if token_match(given, fold(w))]
    return bool(found) and all(k > 0 and words[k - 1] in _PATRONYMIC for k in found)


def _tokens_match(a: tuple[str, ...], b: tuple[str, ...], name_a: str, name_b: str, allow_generic: bool) -> bool:
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if short != long and not allow_generic and _is_generic(short):
        return False
    if len(short) == 1 and len(short[0].rstrip(".")) == 1:
        return False  # a lone initial names no one
    if short != long:
        long = _possessed(name_a if long is a else name_b, long)
        if _group_head(long) and long[-1] not in short:
            return False  # "Clinton" is not "Clinton aides", nor "Lammy" "Lammy allies"
    if len(short) >= 2 and short != long and _fathers_name(short[0], name_a if long is a else name_b):
        return False
    remaining = list(enumerate(long))
    at = []
    for tok in short:
        for k, (pos, cand) in enumerate(remaining):
            if token_match(tok, cand):
                at.append(pos)
                del remaining[k]
                break
        else:
            return False
    # the words of a shorter name of two or more keep their order in a longer one: "Mohamad Hasan" is not
    # "Abdullahi Hassan Mohamed" (a given name and a father's name the other way round); two names of two words
    # may swap ("MOTEGI Toshimitsu", family name first), and initials go either side ("Ralhan SC", "S C Ralhan")
    words = [pos for tok, pos in zip(short, at, strict=True) if len(tok.rstrip(".")) > 2]  # initials may move
    return len(long) == len(short) or words == sorted(words)


def given_name_cut_off(name: str, full: str) -> bool:
    """A family-name-first name ("Nguyễn Minh Vũ") without its last word, the given name: "Nguyễn Minh" is the
    family and middle name that thousands share, no alias of this person."""
    words, whole = name_tokens(name), name_tokens(full)
    return (
        len(whole) >= 3 and whole[0] in FAMILY_NAME_FIRST and len(words) < len(whole) and words == whole[: len(words)]
    )


@functools.lru_cache(maxsize=16384)  # pure; the registry asks it for every mention against every candidate
def compatible_names(name: str, canonical: str, kind: str) -> bool:
    """Same speaker inside one text. Bodies are named head-last, so a shorter name must be the end of the
    longer one ("Foreign Ministry" of "Ukraine's Foreign Ministry", never "China" of "China's news agency")."""
    if kind == "group":  # "China and Pakistan" is "Pakistan and China", and neither of the two alone
        return sorted(name_tokens(name)) == sorted(name_tokens(canonical))
    if kind != "organisation":
        if name_tokens(name) != name_tokens(canonical) and _plural_group(name) and _plural_group(canonical):
            return False  # "diplomats" and "two EU diplomats" may be different people
        if _plural_group(name) != _plural_group(canonical):
            return False  # "officials" and "an official at the foreign ministry": a group is not one of it
        return same_speaker(name, canonical, allow_generic=True)
    a, b = name_tokens(name), name_tokens(canonical)
    if not a or not b:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if long[len(long) - len(short) :] == short:
        return True
    if (  # "the Russian ministry" of "Russia's Foreign Ministry": the same country, the same head
        2 <= len(short) < len(long)
        and long[len(long) - len(short) + 1 :] == short[1:]
        and (short[0] == long[0] or same_nationality(short[0], {long[0]}) or same_nationality(long[0], {short[0]}))
    ):
        return True
    # "the ministry" of "Ministry of Commerce and Industry": the head comes before "of"
    if "of" in long:
        head = long[: long.index("of")]
        return len(short) <= len(head) and head[len(head) - len(short) :] == short
    return False


# ---- who is a corpus-wide speaker ---------------------------------------------------------------------------

NON_AGENTS = frozenset(_DATA["non_agents"])
_DESCRIPTIVE = {
    "person": frozenset(_DATA["descriptive_people"]),
    "organisation": frozenset(_DATA["descriptive_bodies"]),
}
# where a description's head ends: a relative or a complement, or a phrase that says which one ("a source close
# to the talks", "officials in Kyiv", "analysts at X", "an official privy to ...")
_POSTMODIFIERS = frozenset("of who which that for to".split()) | frozenset(WORLD["anonymous_source_postmodifiers"])
_QUANTIFIERS = frozenset(
    "a an the some several many most few two three four five six seven eight nine ten other others both all "
    "one unnamed anonymous senior junior top".split()
)


def _description_head(name: str) -> tuple[str, str]:
    """The head word of a description, folded, and as written: "a source close to the talks" -> "source"."""
    words = [w.strip(_STRIP_PUNCT) for w in name.split()]
    words = [w for w in words if w]
    head = ""
    for w in words:
        if w.casefold() in _POSTMODIFIERS and head:
            break
        head = w
    return fold(strip_possessive(head)), head


def description_head(name: str) -> str:
    """The head word of a description, folded: "a diplomat from an Asean member state" -> "diplomat"."""
    return _description_head(name)[0]


def is_agent(name: str) -> bool:
    """False for what cannot speak: "the reader", "this interpretation", "the network of ..."."""
    folded, _ = _description_head(name)
    return bool(folded) and folded not in NON_AGENTS


def _group_head(tokens: tuple[str, ...]) -> bool:
    """A name that ends in a plural description of people ("... aides", "... officials") names a group."""
    return len(tokens) > 1 and tokens[-1].endswith("s") and tokens[-1] in _DESCRIPTIVE_PEOPLE


def _possessed(name: str, tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The tokens after the last possessive of a name: "Clinton" is not "Mrs. Clinton's aides", nor "Putin"
    "Putin's spokesman"; "Foreign Ministry" is part of "Ukraine's Foreign Ministry"."""
    words = name.split()
    last = max((k for k, w in enumerate(words[:-1]) if _POSSESSIVE_RE.search(w)), default=None)
    return name_tokens(" ".join(words[last + 1 :])) if last is not None else tokens


def has_possessor(name: str) -> bool:
    """A group or a person around a name: "Mrs. Clinton's aides", "Putin's spokesman" name neither Clinton nor
    Putin. True when a possessive precedes the last word."""
    words = name.split()
    return any(_POSSESSIVE_RE.search(w) for w in words[:-1])


def is_descriptive(name: str, kind: str) -> bool:
    """A description, not a name: "officials", "Military analysts", "a source close to the talks", "the
    newspaper", "two agencies", "Ukrainian military spokesperson", "Putin's spokesman". It names no one in
    particular, so it never becomes a corpus-wide speaker. A capitalised head is a name ("Martin Luther King")
    unless the description has a single word ("People")."""
    if fold(name).startswith("one of "):
        return True  # "one of the diplomats", "One of them": one unnamed member of a group
    folded, written = _description_head(name)
    if not folded:
        return True
    heads = _DESCRIPTIVE.get(kind, _DESCRIPTIVE["person"])
    if folded not in heads and not (kind == "person" and folded in TITLE_WORDS):
        return False
    if has_possessor(name):
        return True
    words = [w for w in name.split() if w.strip(_STRIP_PUNCT)]
    content = [w for w in words if w.casefold() not in DETERMINERS]
    if kind == "organisation" and len(content) == 1 and folded in ORG_NOUNS:
        return True  # "the ministry", "Government": a body named by its kind alone
    if kind == "organisation":  # "the newspaper", "two agencies", "state media"; not "Xinhua news agency"
        before = words[: words.index(written)] if written in words else words[:-1]
        return not any(_is_capitalised(w) and w.casefold() not in _QUANTIFIERS | DETERMINERS for w in before)
    # "officials", "Ukrainian military spokesperson", "Clinton Aides"; but "Martin Luther King": a capitalised
    # head after other words is a name
    return len(words) == 1 or not _is_capitalised(written) or (folded.endswith("s") and folded in heads)


def is_corpus_speaker(name: str, kind: str) -> bool:
    """A source that may get a corpus-wide speaker: an agent with a name, not a description."""
    if kind == "group" or not any(len(t.rstrip(".")) > 1 for t in name_tokens(name)):
        return False  # a joint source; or a lone initial or honorific ("U"): no one by name
    return is_agent(name) and not is_descriptive(name, kind)


_ROLE_CUT_RE = re.compile(
    r",|;|\s[-–—]\s|\((?:.*)$|\s(?:who|which|whose|whom|that|where|when|while|and\s+(?:has|have|had|is|was|will|said))\s",
    re.IGNORECASE,
)
_ROLE_MAX_WORDS = 24


def short_role(role: str) -> str:
    """A role without the clause that follows it: "chief executive of Ora Media, which owns two papers" ->
    "chief executive of Ora Media"; at most 24 words."""
    role = " ".join((role or "").split())
    m = _ROLE_CUT_RE.search(role)
    if m:
        role = role[: m.start()]
    words = role.split()
    if len(words) > _ROLE_MAX_WORDS:
        words = words[:_ROLE_MAX_WORDS]
        while words and words[-1].casefold() in _POSTMODIFIERS | DETERMINERS | {"and", "or"}:
            words.pop()
    return " ".join(words).strip(" ,;:")


# ---- descriptions of a person's function ------------------------------------------------------------------

ROLE_SYNONYM = {variant: key for key, variants in _DATA["role_synonyms"].items() for variant in variants}
ROLE_FAMILIES = {head: frozenset(words) for head, words in _DATA["role_families"].items()}
# titles of several words that a description may end in: "the head of state" (role families named so)
COMPOUND_TITLES = frozenset(head for head in ROLE_FAMILIES if " " in head)
COUNTRIES = frozenset(_DATA["demonyms"])  # folded, one word or more ("saudi arabia")
# "chinese" -> {"china", "china's"}: the words of a title that name the country of a demonym
COUNTRY_OF = {}
for _country, _adjectives in _DATA["demonyms"].items():
    for _adj in _adjectives:
        COUNTRY_OF.setdefault(_adj, set()).update({_country, _country + "'s", _country + "’s", _adj})


def same_nationality(modifier: str, role_words: set[str]) -> bool:
    """A description's nationality word fits a title that names the country or uses the same adjective:
    "chinese" fits "China's top diplomat" and "Chinese Foreign Minister" (data/names.json: demonyms)."""
    return bool(COUNTRY_OF.get(modifier, set()) & role_words)


def families_of(words: Iterable[str]) -> set[str]:
    """The role families (data/names.json) some of these title words belong to: "foreign" -> {"diplomat"}."""
    words = set(words)
    joined = " ".join(sorted(words))
    return {
        family
        for family, members in ROLE_FAMILIES.items()
        if any((m in words) if " " not in m else (m in joined) for m in members)
    }


def _plural_group(name: str) -> bool:
    """A description of several people: "diplomats", "two EU officials", "Western analysts"."""
    folded, _ = _description_head(name)
    return folded.endswith("s") and folded in _DESCRIPTIVE["person"] and is_descriptive(name, "person")


def names_the_same(form: str, name: str, kind: str) -> bool:
    """A surface form that names this speaker, not a description of it: "Mr. Putin", "President Xi Jinping",
    "Ukraine's President Volodymyr Zelensky" name their speakers; "spokesman", "the French foreign minister",
    "Kim's sister" or a dateline do not (for a body, anything but a bare kind word names it)."""
    if kind != "person":
        return not is_descriptive(form, kind) or alias_key(form) == alias_key(name)
    bare, _ = speaker_name_parts(form)
    return same_speaker(bare or form, name, allow_generic=True)


def describes_people(word: str) -> bool:
    """A common noun for people who may speak: "critics", "protesters", "officials" (person nouns and the heads
    of descriptions in data/names.json)."""
    low = word.casefold()
    return low in PERSON_NOUNS or low in _DESCRIPTIVE_PEOPLE or low.rstrip("s") in _DESCRIPTIVE_PEOPLE


# ---- likely duplicates in the registry --------------------------------------------------------------------


def _role_marks(role: str) -> set[str]:
    """What a title says about a function: its title words (synonyms folded to one) and the families they
    belong to ("Foreign Minister" -> {"foreign", "minister", "diplomat", "leader"})."""
    folded = fold(role)
    words = {ROLE_SYNONYM.get(w, w) for w in re.findall(r"[a-z]+", folded)}
    marks = {w for w in words if w in TITLE_WORDS or w in ROLE_SYNONYM.values()}
    for family, members in ROLE_FAMILIES.items():
        if any((m in words) if " " not in m else (m in folded) for m in members):
            marks.add(family)
    return marks


def roles_compatible(roles_a: Iterable[str], roles_b: Iterable[str]) -> bool:
    """Two speakers' titles may belong to one person: either has none, or some title of one shares a title
    word or a role family (data/names.json) with some title of the other ("President" ~ "Chinese leader";
    not "Senator" ~ "General")."""
    marks_a = [_role_marks(r) for r in roles_a if r and r.strip()]
    marks_b = [_role_marks(r) for r in roles_b if r and r.strip()]
    if not marks_a or not marks_b:
        return True
    return any(a & b for a in marks_a for b in marks_b)


def duplicate_key(name: str, kind: str) -> str:
    """The bucket in which likely duplicates of a speaker are looked for: the spelling key of the family name
    of a person ("Zelenskyy" and "Volodymyr Zelensky" share it), the whole folded name of anything else."""
    tokens = name_tokens(name)
    if not tokens:
        return ""
    if kind != "person":
        return " ".join(spelling(t) for t in tokens)
    bare, _ = speaker_name_parts(name)
    family = family_name(bare or name)
    family_tokens = name_tokens(family) or tokens[-1:]
    return spelling(family_tokens[-1])


def likely_same_speaker(a: tuple[str, str, Iterable[str]], b: tuple[str, str, Iterable[str]]) -> bool:
    """Two registry entries ``(name, kind, roles)`` that probably name one speaker: same kind, the same family
    name with every name token of the shorter matching the longer (the one name matcher, ``same_speaker``), and
    compatible titles. A description ("officials") is never anyone's duplicate."""
    (name_a, kind_a, roles_a), (name_b, kind_b, roles_b) = a, b
    if kind_a != kind_b or not is_corpus_speaker(name_a, kind_a) or not is_corpus_speaker(name_b, kind_b):
        return False
    if duplicate_key(name_a, kind_a) != duplicate_key(name_b, kind_b):
        return False
    return same_speaker(name_a, name_b) and roles_compatible(list(roles_a), list(roles_b))
