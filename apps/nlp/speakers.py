"""Speaker names: splitting titles off, matching aliases, and merging the mentions of one text.

Pure string logic (no spaCy, no Django), so the quotes app can use the same rules to match a new
article's "Xi" to the stored "Xi Jinping". Names are compared as sets of tokens, never by position:
Chinese, Korean, Hungarian... names put the family name first, and "Xi" must match "Xi Jinping" as
"Putin" matches "Vladimir Putin".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from .types import SpeakerInfo

# Words that make up a title or a function ("Foreign Minister", "Secretary of State", "military spokesperson").
TITLE_WORDS = frozenset(
    """
    president vice-president vice prime minister ministers premier vice-premier chancellor secretary
    secretary-general undersecretary under-secretary state foreign defence defense interior finance trade
    economy commerce economic affairs home justice health energy security national deputy first chief
    head leader spokesperson spokesman spokeswoman spokespeople spokesmen ambassador envoy special
    representative commissioner chairman chairwoman chairperson chair director director-general governor
    mayor senator sen. rep. congressman congresswoman lawmaker mp speaker king queen prince princess emir
    sheikh crown sultan pope cardinal ayatollah supreme general gen. lt. col. colonel admiral adm. major
    maj. captain capt. commander marshal sergeant officer official aide adviser advisor counsellor
    counselor councillor councilor member minister-counselor attorney attorney-general prosecutor judge
    justice president-elect ceo chief-executive founder executive chairman-elect consul consul-general
    military army naval navy air force press assistant acting former incumbent then top senior
    high-ranking veteran opposition party communist parliamentary parliament cabinet federal regional
    provincial state-run government presidential royal counterpart
    """.split()
)
# Honorifics are dropped from the name and not kept as a role.
HONORIFICS = frozenset("mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame madam mme lord lady".split())
DETERMINERS = frozenset("a an the this that these those its their".split())
PERSON_PRONOUNS = frozenset("he she him her".split())
THING_PRONOUNS = frozenset(["it"])
OTHER_PRONOUNS = frozenset("they them we us i me you who which one".split())
# Lower-case particles inside names ("Ursula von der Leyen", "Mohammed bin Salman").
NAME_PARTICLES = frozenset("von van der den de del della da di du la le al el bin ibn bint ben abu".split())

# Head nouns that describe a person or a body when no name is given.
PERSON_NOUNS = frozenset(
    """
    spokesperson spokesman spokeswoman spokespeople official officials minister president premier leader
    diplomat diplomats envoy ambassador source sources analyst analysts expert experts observer observers
    aide aides adviser advisers advisor advisors commander commanders officer officers general governor
    mayor lawmaker lawmakers senator senators representative representatives negotiator negotiators
    secretary chancellor chairman chairwoman chief director prosecutor judge witness witnesses resident
    residents scholar scholars professor researcher researchers economist economists insider insiders
    person people man woman king queen prince monarch pope
    """.split()
)
ORG_NOUNS = frozenset(
    """
    ministry ministries government administration office force forces military army navy agency council
    committee commission department embassy consulate mission party parliament congress senate assembly
    court cabinet presidency kremlin palace white house company firm bank fund union alliance bloc
    organization organisation association federation group coalition service services command staff
    secretariat legislature regime authorities authority police guard guards corps campaign team board
    newspaper broadcaster outlet media network body
    """.split()
)
# Documents that "say" things; their author, when named, is the speaker.
DOCUMENT_NOUNS = frozenset(
    """
    statement statements report reports communique communiqué declaration letter document documents
    readout transcript survey poll data figures estimate estimates study release notice memo briefing
    post tweet message resolution tally analysis assessment
    """.split()
)

_TOKEN_RE = re.compile(r"\S+")
_POSSESSIVE_RE = re.compile(r"(?:'s|’s|'|’)$")
_STRIP_PUNCT = ".,;:!?\"“”‘’«»()[]"


def _clean_token(tok: str) -> str:
    return tok.strip(_STRIP_PUNCT.replace(".", ""))


def _is_title(tok: str) -> bool:
    low = tok.casefold()
    if low in TITLE_WORDS:
        return True
    # "Secretary-General", "Vice-Premier", "Deputy-Director"
    return "-" in low and all(part in TITLE_WORDS for part in low.split("-") if part)


def _is_capitalised(tok: str) -> bool:
    return bool(tok) and (tok[0].isupper() or (not tok[0].isalpha() and any(c.isupper() for c in tok)))


def strip_determiner(surface: str) -> str:
    """'The air force' -> 'air force'; keeps the rest of the surface verbatim."""
    parts = surface.split(None, 1)
    if len(parts) == 2 and parts[0].casefold() in DETERMINERS:
        return parts[1]
    return surface


def strip_possessive(name: str) -> str:
    """"Xi's" -> "Xi"; "Ukraine's Foreign Ministry" is left alone (the possessive is not final)."""
    return _POSSESSIVE_RE.sub("", name) if name else name


def speaker_name_parts(surface: str) -> tuple[str, str]:
    """Split a surface form into ``(name, role)``.

    The role is the longest prefix that ends in a title word and leaves a capitalised name behind:
    "Chinese President Xi Jinping" -> ("Xi Jinping", "Chinese President"); "U.S. Secretary of State
    Marco Rubio" -> ("Marco Rubio", "U.S. Secretary of State"). A description with no name left over
    stays whole: "Ukrainian military spokesperson" -> ("Ukrainian military spokesperson", "").
    Honorifics ("Mr.", "Dr") are dropped; a final possessive is removed.
    """
    text = strip_possessive(strip_determiner(" ".join(surface.split())))
    tokens = [t for t in _TOKEN_RE.findall(text)]
    while tokens and tokens[0].casefold() in HONORIFICS:
        tokens.pop(0)
    if not tokens:
        return "", ""
    last_title = -1
    for i, tok in enumerate(tokens):
        if _is_title(_clean_token(tok)):
            last_title = i
    if last_title >= 0:
        rest = tokens[last_title + 1 :]
        while rest and rest[0].casefold() in HONORIFICS:
            rest = rest[1:]
        # "Secretary of State Marco Rubio": "of State" belongs to the title
        if len(rest) >= 2 and rest[0].casefold() in ("of", "for") and _is_capitalised(rest[1]):
            j = 1
            while j < len(rest) - 1 and _is_capitalised(rest[j]) and (
                _is_title(rest[j]) or rest[j].casefold() in ("affairs", "state", "defense", "defence")
            ):
                j += 1
            if j > 1:
                last_title += j + 1
                rest = tokens[last_title + 1 :]
        if (
            rest
            and _is_capitalised(rest[0])
            and all(_is_capitalised(t) or t.casefold() in NAME_PARTICLES for t in rest)
            and not _is_generic(_clean_token(t).casefold() for t in rest)
            # "Israel's Prime Minister's Office": a body named after a title is not a titled person
            and strip_possessive(_clean_token(rest[-1])).casefold() not in ORG_NOUNS
        ):
            role = " ".join(tokens[: last_title + 1]).strip(",")
            return " ".join(rest).strip(","), role
    return " ".join(tokens), ""


@functools.lru_cache(maxsize=8192)
def name_tokens(name: str) -> tuple[str, ...]:
    """Case- and accent-insensitive tokens of a name, titles and possessives removed."""
    bare, _ = speaker_name_parts(name)
    bare = unicodedata.normalize("NFKD", bare)
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    out = []
    for tok in re.split(r"[\s\-‐]+", bare.casefold()):
        tok = strip_possessive(tok.strip(_STRIP_PUNCT))
        if tok and tok not in DETERMINERS:
            out.append(tok)
    return tuple(out)


def _token_match(a: str, b: str) -> bool:
    if a == b:
        return True
    # transliteration variants: Zelenskiy / Zelensky / Zelenskyy; short tokens must match exactly
    if min(len(a), len(b)) >= 5 and a[:3] == b[:3]:
        return Levenshtein.normalized_similarity(a, b) >= 0.75
    return False


def _is_generic(tokens: Iterable[str]) -> bool:
    return all(t in TITLE_WORDS or t in ORG_NOUNS or t in PERSON_NOUNS or len(t) < 2 for t in tokens)


def same_speaker(name_a: str, name_b: str, *, allow_generic: bool = False) -> bool:
    """True when every token of the shorter name matches a distinct token of the longer one.

    Order-free ("Xi" ~ "Xi Jinping", "Putin" ~ "Vladimir Putin"), case- and accent-insensitive, tolerant of
    transliteration variants of long tokens. A shorter name made only of generic words ("Foreign
    Ministry", "spokesperson") matches only itself unless ``allow_generic`` (inside one text, where the
    context makes "the Foreign Ministry" unambiguous).
    """
    a, b = name_tokens(name_a), name_tokens(name_b)
    if not a or not b:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if short != long and not allow_generic and _is_generic(short):
        return False
    remaining = list(long)
    for tok in short:
        for k, cand in enumerate(remaining):
            if _token_match(tok, cand):
                del remaining[k]
                break
        else:
            return False
    return True


def _compatible(name: str, canonical: str, kind: str) -> bool:
    """Same speaker inside one text. Bodies are named head-last, so a shorter name must be the end of the
    longer one ("Foreign Ministry" of "Ukraine's Foreign Ministry", never "China" of "China's news agency")."""
    if kind != "organisation":
        return same_speaker(name, canonical, allow_generic=True)
    a, b = name_tokens(name), name_tokens(canonical)
    if not a or not b:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if long[len(long) - len(short) :] == short:
        return True
    # "the ministry" of "Ministry of Commerce and Industry": the head comes before "of"
    if "of" in long:
        head = long[: long.index("of")]
        return len(short) <= len(head) and head[len(head) - len(short) :] == short
    return False


def compatible_names(name: str, canonical: str, kind: str) -> bool:
    """Public form of the in-text compatibility test (see ``_compatible``)."""
    return _compatible(name, canonical, kind)


@dataclass(slots=True)
class SpeakerMention:
    """One naming of a source in a text (never a pronoun: those are resolved before registering)."""

    surface: str  # as written, determiner stripped ("Chinese President Xi Jinping", "air force")
    name: str  # without titles ("Xi Jinping")
    role: str
    kind: str  # person | organisation | place
    position: int  # character offset, for recency
    extra_aliases: tuple[str, ...] = ()


@dataclass(slots=True)
class _Cluster:
    kind: str
    names: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    surfaces: list[str] = field(default_factory=list)
    last_position: int = -1

    @property
    def canonical(self) -> str:
        # the fullest name: most tokens, then first seen
        return max(self.names, key=lambda n: (len(name_tokens(n)), -self.names.index(n)))


class SpeakerRegistry:
    """Merges the mentions of one text into speakers by name-token containment.

    Mentions are added in text order; each is attached to the cluster of the most recently seen name
    that contains it or that it contains (so "Xi" joins "Xi Jinping" whichever comes first). Mentions of
    different kinds never merge.
    """

    def __init__(self) -> None:
        self._clusters: list[_Cluster] = []
        self._mention_cluster: list[int] = []
        self._by_key: dict[str, set[int]] = {}  # token key -> clusters, so matching stays cheap

    @staticmethod
    def _keys(name: str) -> set[str]:
        # long tokens by prefix, so that transliteration variants still meet
        return {t[:3] if len(t) >= 5 else t for t in name_tokens(name)}

    def _candidates(self, name: str, kind: str) -> list[int]:
        found: set[int] = set()
        for key in self._keys(name):
            found |= self._by_key.get(key, set())
        return sorted(k for k in found if self._clusters[k].kind == kind)

    def _add_name(self, cluster: int, name: str) -> None:
        cl = self._clusters[cluster]
        if name not in cl.names:
            cl.names.append(name)
            for key in self._keys(name):
                self._by_key.setdefault(key, set()).add(cluster)

    def add(self, mention: SpeakerMention) -> int:
        """Register a mention; returns its id (use :meth:`name_of` after all mentions are added)."""
        best = None
        for k in self._candidates(mention.name, mention.kind):
            cl = self._clusters[k]
            # compatible with the fullest name, not just any alias: "Li Qiang" must not join "Li Haidong"
            # through "Li"
            if _compatible(mention.name, cl.canonical, mention.kind):
                if best is None or cl.last_position > self._clusters[best].last_position:
                    best = k
        if best is None:
            self._clusters.append(_Cluster(kind=mention.kind))
            best = len(self._clusters) - 1
        cl = self._clusters[best]
        self._add_name(best, mention.name)
        if mention.role:
            cl.roles.append(mention.role)
        for surface in (mention.surface, *mention.extra_aliases):
            if surface and surface not in cl.surfaces:
                cl.surfaces.append(surface)
        cl.last_position = max(cl.last_position, mention.position)
        self._mention_cluster.append(best)
        return len(self._mention_cluster) - 1

    def add_alias(self, mention_id: int, surface: str) -> None:
        cl = self._clusters[self._mention_cluster[mention_id]]
        if surface and surface not in cl.surfaces:
            cl.surfaces.append(surface)

    def name_of(self, mention_id: int) -> str:
        return self._clusters[self._mention_cluster[mention_id]].canonical

    def set_kind(self, mention_id: int, kind: str) -> None:
        self._clusters[self._mention_cluster[mention_id]].kind = kind

    def roles_of(self, mention_id: int) -> list[str]:
        return self._clusters[self._mention_cluster[mention_id]].roles

    def kind_of(self, mention_id: int) -> str:
        return self._clusters[self._mention_cluster[mention_id]].kind

    def match(self, name: str, kind: str) -> int | None:
        """Index of the most recent cluster of ``kind`` whose names contain ``name`` (for aliases)."""
        best = None
        for k in self._candidates(name, kind):
            cl = self._clusters[k]
            if same_speaker(name, cl.canonical) if kind == "person" else _compatible(name, cl.canonical, kind):
                if best is None or cl.last_position > self._clusters[best].last_position:
                    best = k
        return best

    def add_surface(self, cluster: int, surface: str, *, as_name: bool = False, role: str = "") -> None:
        """Record another surface form; with ``as_name``, a fuller name may become the canonical one."""
        cl = self._clusters[cluster]
        if surface and surface not in cl.surfaces:
            cl.surfaces.append(surface)
        if role and not cl.roles:
            cl.roles.append(role)
        if as_name:
            self._add_name(cluster, surface)

    def speakers(self, used: Iterable[int] | None = None) -> list[SpeakerInfo]:
        """SpeakerInfo for the clusters of the given mention ids (all when None), in first-seen order."""
        wanted = (
            sorted({self._mention_cluster[m] for m in used})
            if used is not None
            else range(len(self._clusters))
        )
        out = []
        for k in wanted:
            cl = self._clusters[k]
            name = cl.canonical
            role = max(cl.roles, key=len) if cl.roles else ""
            aliases = tuple(s for s in cl.surfaces if s != name and s.casefold() not in PERSON_PRONOUNS)
            out.append(SpeakerInfo(name=name, kind=cl.kind, role=role, aliases=aliases))
        return out
