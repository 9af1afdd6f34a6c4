"""How alike two units are: the score behind transfer suggestions (Match / Maybe / Miss).

A person deciding whether an achieved unit covers a target unit reads the titles, then checks
the level and the size. The score does the same, in three parts, each from 0 to 1:

- **title** (weight 0.6): the words the two titles share, after normalising them. Titles are
  lower-cased and split into words (`customer-friendly` is two words, `customers'` is
  `customers`). Dropped: small words (`and`, `with` ...), words that name the kind of unit
  rather than its subject (`understand`, `principles`, `how`, `unit` ...) and words that say that
  or where work happens (`working`, `environment`, `workplace`). A few synonyms are made one
  (`phone` -> `telephone`, `handle` -> `deal`, `enquiry` -> `query`, `answer` -> `incoming`).
  Each word is reduced to its stem (Snowball English: `communicate`, `communication` ->
  `communic`). Each stem weighs by its rarity among the unit titles of the qualifications
  compared (the target, and those the achieved units come from): ln((N + 1) / n) for a stem in
  n of the N titles, so the words that say what a unit is about (`telephone`, `record`,
  `queries`) count for much. A stem of a qualification's own title, its subject (`customer` and
  `service` in customer service), weighs nothing. The title score is the weighted Dice
  coefficient: twice the weight of the shared stems over the weight of both titles. Two titles
  left with no words but their subject's are both general units of that subject ("Working in
  customer service", "Understand working in a customer service environment"): when they name
  the same subject their title score is 1.
- **level** (weight 0.2): 1 at the same level, 0.5 one level apart (Entry 3 and Level 1 are one
  apart), 0 two or more apart.
- **size** (weight 0.2): the mean of min/max of the two credit values and of the two GLH.

A pair is a **Maybe** when its score is at least the threshold (0.62), its title score at least
0.45 and its levels at most one apart: size and level, however close, never make a Maybe of
titles that share little, and no title makes one of units two levels apart.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from models import Level

from .limits import THRESHOLD

TITLE_WEIGHT, LEVEL_WEIGHT, SIZE_WEIGHT = 0.6, 0.2, 0.2
TITLE_FLOOR = 0.45  # ... provided the titles alone score at least this

# Words that say nothing about a unit's subject: function words, the words that name the kind of
# unit (knowledge or competence) rather than what it is about, and those that name where the work
# happens ("in a business environment", "in the workplace").
STOP_WORDS = frozenset("""
    a an and or the of in on at to for from with by into about as be is are their your own its it
    how what when why who which this that these those
    unit units understand understanding know knowing knowledge principles principle introduction
    introductory level entry award certificate diploma basic skills able
    work works working environment environments workplace workplaces setting settings
    other others people person everyday way ways effective effectively good positive
""".split())  # the last line: everyday words, which two titles share without sharing a subject

SYNONYMS = {
    "phone": "telephone", "phones": "telephone", "handle": "deal", "handling": "deal", "handles": "deal",
    "enquiry": "query", "enquiries": "query", "queries": "query", "complaint": "problem",
    "complaints": "problem", "colleagues": "colleague",
    "answer": "incoming", "answering": "incoming",  # a call answered is an incoming one
}

_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=4096)
def title_terms(title: str) -> dict[str, str]:
    """The stems of a title that carry meaning, each with the first word it came from:
    'Record details of customer service problems' -> {'record': 'record', 'detail': 'details', ...}."""
    words = [w for w in _WORD.findall(title.lower().replace("'", "")) if w not in STOP_WORDS and not w.isdigit()]
    terms: dict[str, str] = {}
    for word in words:
        stem = _stemmer().stemWord(SYNONYMS.get(word, word))
        terms.setdefault(stem, word)
    return terms


class TermWeights:
    """How much each stem counts: ln((N + 1) / n) for a stem in n of the N unit titles compared,
    and nothing for a word of the subject (a stem of a qualification's own title)."""

    def __init__(self, titles: Iterable[str], subjects: Iterable[str] = ()) -> None:
        titles = list(dict.fromkeys(titles))
        self.count = len(titles)
        self.documents = Counter(stem for title in titles for stem in title_terms(title))
        self.subject = frozenset(stem for title in subjects for stem in title_terms(title))
        self._weighed: dict[str, Weighed] = {}

    def __call__(self, stem: str) -> float:
        if stem in self.subject:
            return 0.0
        return math.log((self.count + 1) / max(1, self.documents.get(stem, 0)))

    def weigh(self, title: str) -> "Weighed":
        """A title's stems with their weights, worked out once per title."""
        found = self._weighed.get(title)
        if found is None:
            every = title_terms(title)
            content = {stem: weight for stem in every if (weight := self(stem)) > 0}
            found = self._weighed[title] = Weighed(every, content, sum(content.values()))
        return found


@dataclass(frozen=True)
class Weighed:
    every: dict[str, str]  # stem -> the word it came from
    content: dict[str, float]  # the stems that carry weight -> their weight
    total: float


@dataclass(frozen=True)
class Facts:
    """What is known of a unit for scoring (a learner record may give only some of it)."""

    title: str | None
    level: Level | None
    credits: int | None
    glh: int | None


@dataclass(frozen=True)
class Score:
    total: float
    title: float
    level: float | None
    size: float | None
    shared: tuple[str, ...]  # the shared words, as the target's title prints them
    general: bool  # both titles hold nothing but their (shared) subject
    achieved: Facts
    target: Facts
    said: tuple[str, ...] = ()  # the shared words as both titles print them ("answer ~ incoming")

    def maybe(self, threshold: float = THRESHOLD) -> bool:
        return self.total >= threshold and self.title >= TITLE_FLOOR and self.level != 0

    @property
    def reason(self) -> str:
        """The score in words: 'title 0.65 (shares record, problems); level 1.00 (both Level 1); ...'."""
        words = ", ".join(self.said or self.shared)
        if self.general:
            parts = [f"title 1.00 (both are general units of {' '.join(self.shared)})"]
        else:
            parts = [f"title {self.title:.2f} ({'shares ' + words if words else 'no shared words'})"]
        mine, theirs = self.achieved, self.target
        if self.level is None or mine.level is None or theirs.level is None:
            parts.append("level unknown")
        else:
            same = mine.level == theirs.level
            parts.append(f"level {self.level:.2f} ("
                         f"{'both ' + theirs.level.label if same else mine.level.label + ' vs ' + theirs.level.label})")
        if self.size is None:
            parts.append("size unknown")
        else:
            parts.append(f"size {self.size:.2f} ({_pair(mine.credits, theirs.credits, 'credits')}, "
                         f"{_pair(mine.glh, theirs.glh, 'GLH')})")
        return "; ".join(parts)


def _closeness(a: int | None, b: int | None) -> float | None:
    if a is None or b is None:
        return None
    return 1.0 if a == b else min(a, b) / max(a, b)


def level_score(a: Level | None, b: Level | None) -> float | None:
    if a is None or b is None:
        return None
    return max(0.0, 1.0 - 0.5 * abs(int(a) - int(b)))


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def score(achieved: Facts, target: Facts, weights: TermWeights) -> Score:
    """How alike `achieved` is to `target` (`reason` says why in words). A part whose facts are
    missing (a learner record without a level, say) is left out and the others re-weighted."""
    mine, theirs = weights.weigh(achieved.title or ""), weights.weigh(target.title or "")
    shared = [stem for stem in theirs.content if stem in mine.content]
    both = mine.total + theirs.total
    title = 2 * sum(theirs.content[stem] for stem in shared) / both if both else 0.0
    general = not mine.content and not theirs.content
    if general:  # "Working in customer service", "Understand working in a customer service environment"
        shared = [stem for stem in theirs.every if stem in mine.every]
        general = bool(shared)
        title = 1.0 if general else 0.0
    level = level_score(achieved.level, target.level)
    size = _mean([_closeness(achieved.credits, target.credits), _closeness(achieved.glh, target.glh)])
    parts = [(TITLE_WEIGHT, title), (LEVEL_WEIGHT, level), (SIZE_WEIGHT, size)]
    known = [(w, v) for w, v in parts if v is not None]
    total = sum(w * v for w, v in known) / sum(w for w, _ in known)
    said = tuple(theirs.every[stem] if mine.every[stem] == theirs.every[stem]
                 else f"{mine.every[stem]} ~ {theirs.every[stem]}" for stem in shared)
    return Score(round(total, 3), round(title, 3), level, None if size is None else round(size, 3),
                 tuple(theirs.every[stem] for stem in shared), general, achieved, target, said)


def _pair(a: int | None, b: int | None, what: str) -> str:
    if a is None or b is None:
        return f"{what} unknown"
    return f"{a} {what} each" if a == b else f"{a} vs {b} {what}"
