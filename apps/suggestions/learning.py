"""The theme suggester itself: plain Python and scikit-learn, no Django models, so the evaluation command, the
training task and the benchmark share one implementation.

* Features: TF-IDF of words (1-2 grams) and of character n-grams (3-5, inside word boundaries), sublinear tf.
* One logistic regression per theme (one-vs-rest, balanced class weights) on human-coded passages; the other
  themes' passages and theme-less sentences of coded articles are its negatives. The theme's definition and
  keywords join the training set as one more positive passage, so a few examples are enough to start.
* Cold start: a theme with fewer than ``min_examples`` coded passages is scored from its keywords alone
  (``1 - 0.5 ** distinct keywords found``: one keyword 0.5, two 0.75 ...); the same keyword scores are features
  of the regression for the learned themes and its suggestions say so.
* Nearest passages: cosine similarity on the word TF-IDF between a sentence and the accepted passages of a theme.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

# scikit-learn (and joblib) are imported where a model is fitted or (un)pickled, not with this module: every web
# process imports it through the suggestions URLs, and half a second and ~50 MB of scikit-learn at start-up is
# paid only by the processes that train or load a model.

MIN_EXAMPLES = 5  # below this many coded passages a theme is suggested from its keywords (cold start)
THRESHOLD = 0.4  # a theme is suggested for a sentence when its score reaches this (chosen on the dev set)


@dataclass(frozen=True)
class CodebookEntry:
    theme_id: int
    name: str
    definition: str = ""
    keywords: tuple[str, ...] = ()

    @property
    def document(self) -> str:
        return " ".join([self.name, self.definition, *self.keywords])


@dataclass(frozen=True)
class Example:
    """A coded passage: its text and themes (empty: coded as carrying none). ``accepted`` passages (reviewed and
    accepted) may be shown as nearest examples; ``ref`` is the span id they came from."""

    text: str
    theme_ids: frozenset = frozenset()
    accepted: bool = True
    ref: int | None = None


@dataclass(frozen=True)
class ThemeScore:
    theme_id: int
    score: float
    cold_start: bool


@dataclass(frozen=True)
class Neighbour:
    ref: int | None
    text: str
    similarity: float


# --- sentences ----------------------------------------------------------------------------------------------------

_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"(?:\b(?:[A-Za-z]\.)+|\b(?:Mr|Mrs|Ms|Dr|St|No|Gen|Lt|Col|Sgt|Prof|Jr|Sr|vs|approx)\.)$")


def sentence_spans(text: str, *, min_chars: int = 12) -> list[tuple[int, int]]:
    """[start, end) code-point offsets of the sentences of ``text``: a newline always ends one; ., ! or ? followed
    by space and a capital ends one unless it closes an abbreviation (U.S., Mr.). Surrounding spaces are trimmed."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        cut = 0
        for match in _BOUNDARY.finditer(line):
            stop = match.start() + 1
            if _ABBREVIATION.search(line[:stop]):
                continue
            stop = match.end() - len(match.group(0)) + len(match.group(0).rstrip())
            spans.append((line_start + cut, line_start + stop))
            cut = match.end()
        spans.append((line_start + cut, line_start + len(line)))
    result = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start >= min_chars:
            result.append((start, end))
    return result


# --- keywords -----------------------------------------------------------------------------------------------------


class KeywordScorer:
    """Scores each theme by the number of distinct keywords found (prefix match at a word start)."""

    def __init__(self, codebook: Sequence[CodebookEntry]):
        self.theme_ids = [entry.theme_id for entry in codebook]
        self.patterns = []
        for entry in codebook:
            words = sorted({k.lower() for k in entry.keywords if k.strip()}, key=len, reverse=True)
            self.patterns.append(
                re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + ")", re.IGNORECASE)
                if words
                else None
            )

    def hits(self, text: str) -> list[int]:
        return [len({m.lower() for m in p.findall(text)}) if p is not None else 0 for p in self.patterns]

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        hits = np.array([self.hits(t) for t in texts], dtype=float).reshape(len(texts), len(self.theme_ids))
        return 1.0 - 0.5**hits


# --- the suggester ------------------------------------------------------------------------------------------------


@dataclass
class ThemeSuggester:
    codebook: list[CodebookEntry]
    min_examples: int = MIN_EXAMPLES
    threshold: float = THRESHOLD
    C: float = 4.0
    solver: str = "liblinear"
    dual: bool = True  # liblinear's dual form: the same model, faster when features outnumber passages
    keyword_weight: float = 3.0  # the codebook's keyword scores enter the regression as features of this scale
    max_char_features: int = 60_000
    char_ngrams: tuple = (3, 5)  # (2, 5) scored the same on the dev set and trained a third slower
    # fitted state
    n_examples: dict = field(default_factory=dict)
    learned: list = field(default_factory=list)  # per codebook position: True when a regression was fitted
    word_vectorizer: TfidfVectorizer | None = None
    char_vectorizer: TfidfVectorizer | None = None
    weights: np.ndarray | None = None  # (n_features, n_themes) float32; zero columns for cold themes
    intercepts: np.ndarray | None = None
    passages: list = field(default_factory=list)  # accepted positive examples: (ref, text, theme_ids)
    passage_vectors: sparse.csr_matrix | None = None

    @property
    def theme_ids(self) -> list[int]:
        return [entry.theme_id for entry in self.codebook]

    @property
    def cold_start_theme_ids(self) -> list[int]:
        return [tid for tid, learned in zip(self.theme_ids, self.learned, strict=True) if not learned]

    def fit(self, examples: Sequence[Example]) -> ThemeSuggester:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        ids = self.theme_ids
        self.keyword_scorer = KeywordScorer(self.codebook)
        self.n_examples = {tid: sum(1 for e in examples if tid in e.theme_ids) for tid in ids}
        self.learned = [self.n_examples[tid] >= self.min_examples for tid in ids]
        texts = [e.text for e in examples]
        labels = [e.theme_ids for e in examples]
        # the codebook entry of each learned theme is one more positive passage
        for entry, learned in zip(self.codebook, self.learned, strict=True):
            if learned:
                texts.append(entry.document)
                labels.append(frozenset({entry.theme_id}))
        self.word_vectorizer = TfidfVectorizer(
            ngram_range=(1, 2), sublinear_tf=True, min_df=1, lowercase=True, dtype=np.float32
        )
        self.char_vectorizer = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=self.char_ngrams,
            sublinear_tf=True,
            min_df=2,
            max_features=self.max_char_features,
            dtype=np.float32,
        )
        self.weights = None
        self.intercepts = None
        if not any(self.learned):
            if any(e.accepted and e.theme_ids for e in examples):  # cold themes still show their nearest passages
                self.word_vectorizer.fit(texts)
        else:
            X = self._features(texts, fit=True)
            self.weights = np.zeros((X.shape[1], len(ids)), dtype=np.float32)
            self.intercepts = np.zeros(len(ids), dtype=np.float32)
            for j, tid in enumerate(ids):
                if not self.learned[j]:
                    continue
                y = np.array([tid in theme_set for theme_set in labels], dtype=int)
                if y.min() == y.max():  # no negatives: nothing to learn from, stay on keywords
                    self.learned[j] = False
                    continue
                model = LogisticRegression(
                    C=self.C,
                    class_weight="balanced",
                    solver=self.solver,
                    dual=self.dual and self.solver == "liblinear",
                    max_iter=300,
                )
                with warnings.catch_warnings():  # a few hundred steps are plenty for suggestions
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    model.fit(X, y)
                self.weights[:, j] = model.coef_[0]
                self.intercepts[j] = model.intercept_[0]
        self.passages = [(e.ref, e.text, frozenset(e.theme_ids)) for e in examples if e.accepted and e.theme_ids]
        self.passage_vectors = self.word_vectorizer.transform([p[1] for p in self.passages]) if self.passages else None
        return self

    def _features(self, texts: Sequence[str], *, fit: bool = False) -> sparse.csr_matrix:
        if fit:
            words = self.word_vectorizer.fit_transform(texts)
            chars = self.char_vectorizer.fit_transform(texts)
        else:
            words = self.word_vectorizer.transform(texts)
            chars = self.char_vectorizer.transform(texts)
        keywords = sparse.csr_matrix(self.keyword_scorer.scores(texts).astype(np.float32) * self.keyword_weight)
        return sparse.hstack([words, chars, keywords], format="csr")

    def score_matrix(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), n_themes) scores in [0, 1]: the regression's probability, or the keyword score when cold."""
        if not hasattr(self, "keyword_scorer"):
            self.keyword_scorer = KeywordScorer(self.codebook)
        scores = self.keyword_scorer.scores(texts)
        if self.weights is not None and len(texts):
            X = self._features(texts)
            logits = np.asarray(X @ self.weights) + self.intercepts
            learned = np.array(self.learned, dtype=bool)
            scores[:, learned] = 1.0 / (1.0 + np.exp(-logits[:, learned]))
        return scores

    def suggest(self, texts: Sequence[str]) -> list[list[ThemeScore]]:
        """Per text, the themes scoring at least the threshold, best first."""
        scores = self.score_matrix(texts)
        ids = self.theme_ids
        result = []
        for row in scores:
            order = np.argsort(-row)
            result.append(
                [ThemeScore(ids[j], float(row[j]), not self.learned[j]) for j in order if row[j] >= self.threshold]
            )
        return result

    def top(self, texts: Sequence[str]) -> list[int | None]:
        """The top suggestion per text (None when no theme reaches the threshold)."""
        scores = self.score_matrix(texts)
        ids = self.theme_ids
        return [ids[int(np.argmax(row))] if len(row) and row.max() >= self.threshold else None for row in scores]

    def neighbours(self, texts: Sequence[str], theme_ids: Sequence[int], k: int = 3) -> list[list[Neighbour]]:
        """For each (text, theme) pair, up to ``k`` accepted passages of that theme most similar to the text."""
        if self.passage_vectors is None or not len(texts):
            return [[] for _ in texts]
        sims = (self.word_vectorizer.transform(texts) @ self.passage_vectors.T).toarray()
        result = []
        for row, tid in zip(sims, theme_ids, strict=True):
            candidates = [i for i in np.argsort(-row) if tid in self.passages[i][2] and row[i] > 0][:k]
            result.append([Neighbour(self.passages[i][0], self.passages[i][1], float(row[i])) for i in candidates])
        return result

    # storage: the fitted suggester goes to SuggesterModel.blob
    def dumps(self) -> bytes:
        import joblib

        buffer = io.BytesIO()
        joblib.dump(self, buffer, compress=3)
        return buffer.getvalue()

    @staticmethod
    def loads(blob: bytes) -> ThemeSuggester:
        import joblib

        return joblib.load(io.BytesIO(bytes(blob)))


def keyword_only(codebook: Sequence[CodebookEntry], *, threshold: float = THRESHOLD) -> ThemeSuggester:
    """The codebook suggester (every theme cold): the cold start, and the baseline the evaluation compares with."""
    return ThemeSuggester(list(codebook), threshold=threshold).fit([])
