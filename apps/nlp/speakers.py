"""Merging the mentions of one text into speakers, with the name rules of ``names`` (pure Python, no spaCy).

Names are compared as sets of tokens, never by position: "Xi" joins "Xi Jinping" as "Putin" joins
"Vladimir Putin", whichever comes first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .names import (
    NAME_PARTICLES,
    PERSON_PRONOUNS,
    compatible_names,
    given_name_cut_off,
    name_tokens,
    same_speaker,
    short_role,
    speaker_name_parts,
)
from .types import SpeakerInfo


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
        # the fullest name: most tokens, then first seen (a cluster merged into another has none left)
        return max(self.names, key=lambda n: (len(name_tokens(n)), -self.names.index(n)), default="")


def _proper_name(name: str) -> bool:
    """A person's name ("Tahir Hussain Andrabi"), not a description ("senior EU diplomat")."""
    words = name.split()
    return bool(words) and all(w[:1].isupper() or w.casefold() in NAME_PARTICLES for w in words)


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
        if name.count("(") > name.count(")"):  # "Department of ... Cooperation (Dirco": NER cut the bracket open
            name = name[: name.rindex("(")].rstrip() or name
        cl = self._clusters[cluster]
        if name not in cl.names:
            cl.names.append(name)
            for key in self._keys(name):
                self._by_key.setdefault(key, set()).add(cluster)

    def add(self, mention: SpeakerMention) -> int:
        """Register a mention; returns its id (use :meth:`name_of` after all mentions are added)."""
        fits = [
            k
            for k in self._candidates(mention.name, mention.kind)
            # compatible with the fullest name, not just any alias: "Li Qiang" must not join "Li Haidong" through "Li"
            if compatible_names(mention.name, self._clusters[k].canonical, mention.kind)
        ]
        best = self._latest_fit(mention.name, fits)
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

    def name_of_cluster(self, cluster: int) -> str:
        return self._clusters[cluster].canonical

    def name_of(self, mention_id: int) -> str:
        return self._clusters[self._mention_cluster[mention_id]].canonical

    def set_kind(self, mention_id: int, kind: str) -> None:
        self._clusters[self._mention_cluster[mention_id]].kind = kind

    def add_role(self, mention_id: int, role: str) -> None:
        """A description the text gave this speaker ("the Indonesian President"), as one more of its titles."""
        roles = self._clusters[self._mention_cluster[mention_id]].roles
        if role and role not in roles:
            roles.append(role)

    def roles_of(self, mention_id: int) -> list[str]:
        return self._clusters[self._mention_cluster[mention_id]].roles

    def kind_of(self, mention_id: int) -> str:
        return self._clusters[self._mention_cluster[mention_id]].kind

    def match(self, name: str, kind: str) -> int | None:
        """Index of the most recent cluster of ``kind`` whose names contain ``name`` (for aliases)."""
        fits = [
            k
            for k in self._candidates(name, kind)
            if (
                same_speaker(name, self._clusters[k].canonical)
                if kind == "person"
                else compatible_names(name, self._clusters[k].canonical, kind)
            )
        ]
        return self._latest_fit(name, fits)

    def _latest_fit(self, name: str, clusters: list[int]) -> int | None:
        """The most recently seen of the clusters a name fits, among those whose names hold each of its words spelt
        exactly when there are any: "Brown" is Mark Brown, not Tina Browne, though the two spellings are close enough
        to be variants."""
        words = set(name_tokens(name))
        exact = [k for k in clusters if words <= {t for n in self._clusters[k].names for t in name_tokens(n)}]
        return max(exact or clusters, key=lambda k: self._clusters[k].last_position, default=None)

    def add_surface(self, cluster: int, surface: str, *, as_name: bool = False, role: str = "") -> None:
        """Record another surface form; with ``as_name``, a fuller name may become the canonical one."""
        cl = self._clusters[cluster]
        if surface and surface not in cl.surfaces:
            cl.surfaces.append(surface)
        if role and not cl.roles:
            cl.roles.append(role)
        if as_name:
            self._add_name(cluster, surface)

    def one_word_people(self) -> list[tuple[int, str]]:
        """(cluster, name) of the people known so far by one word only ("Sidhu")."""
        return [
            (k, cl.canonical)
            for k, cl in enumerate(self._clusters)
            if cl.kind == "person" and len(cl.canonical.split()) == 1 and cl.canonical[:1].isupper()
        ]

    def merge_split_people(self) -> None:
        """Clusters of one person that grew apart: "Hussain Andrabi" registered while the fuller "Tahir Hussain
        Andrabi" was still known only as "Tahir". A person cluster joins the one other person cluster whose full
        name is the same person and longer. Call once every mention is in (mention ids then name the survivor)."""
        people = [k for k, cl in enumerate(self._clusters) if cl.kind == "person" and _proper_name(cl.canonical)]
        into: dict[int, int] = {}
        for k in people:
            name = self._clusters[k].canonical
            words = name_tokens(name)
            if not words:  # an honorific alone ("U", Burmese): no name to join by
                continue
            longer = [
                j
                for j in people
                if j != k
                and len(name_tokens(self._clusters[j].canonical)) > len(words)
                # a family name alone ("Baghaei", first read as a body) joins the one person named in full with it
                and (len(words) >= 2 or words[0] in name_tokens(self._clusters[j].canonical))
                and compatible_names(name, self._clusters[j].canonical, "person")
            ]
            if len(longer) == 1:
                into[k] = longer[0]
        for k, j in into.items():
            while j in into:  # a chain ends at the fullest name
                j = into[j]
            src, dst = self._clusters[k], self._clusters[j]
            for name in src.names:
                self._add_name(j, name)
            dst.roles += [r for r in src.roles if r not in dst.roles]
            dst.surfaces += [s for s in src.surfaces if s not in dst.surfaces]
            dst.last_position = max(dst.last_position, src.last_position)
            src.names, src.surfaces, src.roles = [], [], []
            self._mention_cluster = [j if c == k else c for c in self._mention_cluster]

    def speakers(self, used: Iterable[int] | None = None) -> list[SpeakerInfo]:
        """SpeakerInfo for the clusters of the given mention ids (all when None), in first-seen order."""
        wanted = sorted({self._mention_cluster[m] for m in used}) if used is not None else range(len(self._clusters))
        out = []
        for k in wanted:
            cl = self._clusters[k]
            if not cl.names:
                continue  # merged into another
            name = cl.canonical
            role = short_role(max(cl.roles, key=len)) if cl.roles else ""
            aliases = tuple(
                s
                for s in cl.surfaces
                if s != name
                and s.casefold() not in PERSON_PRONOUNS
                # "Deputy Foreign Minister Nguyễn Minh": a family-first name without its given name names no one
                and not (cl.kind == "person" and given_name_cut_off(speaker_name_parts(s)[0] or s, name))
            )
            out.append(SpeakerInfo(name=name, kind=cl.kind, role=role, aliases=aliases))
        return out
