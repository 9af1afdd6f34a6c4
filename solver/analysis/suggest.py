"""Transfer suggestions: for each achieved unit, Match, Maybe or Miss against a target qualification,
and what each Maybe would save.

A **Match** transfers today (same reference, or a declared equivalence). For an achieved unit
with no match, every unit of the target is scored (see `similarity`) and those at or above the
threshold are **Maybes**, best first; an achieved unit with none is a **Miss**, shown with the
nearest unit and why it falls short. For each Maybe, the GLH it would save is the GLH still to
deliver in the target without it minus the GLH with it declared as an equivalence (two transfer
solves, other suggestions not accepted). Suggestions never count toward a transfer: only declared
equivalences do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from models import AchievedUnit, Equivalence, InputError, Qualification, Source, Status, UnitRef
from models.transfer import SUGGESTED

from ..engine import SolveOptions
from .limits import CANDIDATES
from .results import Suggestion, SuggestionLabel, Suggestions
from .similarity import THRESHOLD, TITLE_FLOOR, Facts, Score, TermWeights, score
from .transfer import _as_achieved, credit_options, transfer


def _facts(item: AchievedUnit, known: Sequence[Qualification]) -> tuple[Facts, Qualification | None]:
    """What the learner record says of a unit, filled in from the first qualification that lists it."""
    home = next((q for q in known if q.unit(item.ref) is not None), None)
    unit = home.unit(item.ref) if home is not None else None
    return Facts(title=item.title or (unit.title if unit else None),
                 level=item.level if item.level is not None else (unit.level if unit else None),
                 credits=item.credits if item.credits is not None else (unit.credits if unit else None),
                 glh=unit.glh if unit else None), home


def equivalence_for(row: Suggestion, target: Qualification) -> Equivalence:
    """A Maybe as an equivalence a planner can review and declare."""
    assert row.target_unit is not None
    return Equivalence(id=f"suggested {row.achieved} as {row.target_unit}", target=UnitRef.parse(row.target_unit),
                       achieved=[UnitRef.parse(row.achieved)], qualification=target.number,
                       source=Source(document=SUGGESTED, note=f"score {row.score}: {row.reason}" + (
                           "" if row.glh_saved is None else f"; saves {row.glh_saved} GLH")))


def _row(achieved: str, title: str | None, label: SuggestionLabel, target_ref: str | None,
         target_title: str | None, reason: str, found: Score | None = None) -> Suggestion:
    parts: dict[str, Any] = {} if found is None else dict(score=found.total, title_score=found.title, level_score=found.level,
                                          size_score=found.size, shared_words=list(found.shared))
    return Suggestion(achieved=achieved, achieved_title=title, label=label, target_unit=target_ref,
                      target_title=target_title, reason=reason, **parts)


def too_small(mine: Facts, theirs: Facts) -> str | None:
    """Why an achieved unit cannot stand for a target unit whatever their titles: credit transfer
    needs it at least the size and level of the unit it replaces. None when it can (or when the
    record does not say)."""
    if mine.credits is not None and theirs.credits is not None and mine.credits < theirs.credits:
        return f"smaller: {mine.credits} credits against {theirs.credits}"
    if mine.level is not None and theirs.level is not None and mine.level < theirs.level:
        return f"lower level: {mine.level.label} against {theirs.level.label}"
    return None


def _miss(achieved: str, facts: Facts, ranked: list[tuple[Score, str, str]], threshold: float,
          sizes: dict[str, Facts] | None = None) -> Suggestion:
    if facts.title is None:
        return _row(achieved, None, SuggestionLabel.miss, None, None, "roc knows no title for this unit: it is in "
                    "no qualification of the catalogue and the learner record gives none")
    if not ranked:
        return _row(achieved, facts.title, SuggestionLabel.miss, None, None, "every unit of the target is "
                    "already held by the learner")
    if not any(other.shared for other, _, _ in ranked):
        return _row(achieved, facts.title, SuggestionLabel.miss, None, None, "no unit of the target shares a word "
                    "of its title (beyond the subject's own)")
    found, ref, title = next(item for item in ranked if item[0].shared)
    small = too_small(facts, sizes[ref]) if sizes and ref in sizes else None
    if small and found.maybe(threshold):
        why = small
    elif found.level == 0:
        why = "levels two or more apart"
    elif found.total < threshold:
        why = f"score {found.total:.2f} below {threshold:.2f}"
    else:
        why = f"titles too unlike (title {found.title:.2f} below {TITLE_FLOOR:.2f})"
    return _row(achieved, facts.title, SuggestionLabel.miss, ref, title, f"nearest, {why}: {found.reason}", found)


def suggest(target: Qualification, achieved: Sequence[AchievedUnit | str | UnitRef],
            equivalences: Sequence[Equivalence] = (), *, known: Iterable[Qualification] = (),
            threshold: float = THRESHOLD, candidates: int = CANDIDATES, source: Qualification | None = None,
            options: SolveOptions = SolveOptions()) -> Suggestions:
    """Match, Maybe or Miss for each of `achieved` against `target`, with the GLH each Maybe would
    save. `known` are the qualifications to look achieved units up in (title, level, credits,
    GLH) when the learner record does not give them; `source`, when every unit of one
    qualification is compared, names it. Raises InputError when `source` is `target`."""
    if source is not None and source.number.digits == target.number.digits:
        raise InputError(f"the source and the target are both {target.number}: give two qualifications")
    records = _as_achieved(achieved)
    by_digits: dict[str, AchievedUnit] = {}
    for item in records:
        by_digits.setdefault(item.ref.digits, item)
    known = ([source] if source else []) + list(known)
    facts = {d: _facts(item, known) for d, item in by_digits.items()}
    credits = credit_options(target, by_digits, equivalences)
    homes = list({id(home): home for _, home in facts.values() if home is not None}.values())
    weights = TermWeights([u.title for q in [target, *homes] for u in q.units]
                          + [f.title for f, home in facts.values() if f.title and home is None],
                          [q.title for q in [target, *homes]])
    candidates_of = [(Facts(u.title, u.level, u.credits, u.glh), str(u.ref), u.title) for u in target.units
                     if u.ref.digits not in by_digits]
    sizes = {ref: facts_of for facts_of, ref, _ in candidates_of}
    rows: list[Suggestion] = []
    for digits, item in by_digits.items():
        mine, _ = facts[digits]
        matched = [c for c in credits if digits in c.achieved]
        if matched:
            rows += [_row(str(item.ref), mine.title, SuggestionLabel.match, str(c.target.ref), c.target.title, c.via)
                     for c in matched]
            continue
        ranked: list[tuple[Score, str, str]] = []
        if mine.title is not None:
            ranked = sorted(((score(mine, facts_of, weights), ref, title) for facts_of, ref, title in candidates_of),
                            key=lambda found: (-found[0].total, found[1]))
        maybes = [found for found in ranked
                  if found[0].maybe(threshold) and too_small(mine, sizes[found[1]]) is None][:candidates]
        rows += [_row(str(item.ref), mine.title, SuggestionLabel.maybe, ref, title, found.reason, found)
                 for found, ref, title in maybes] or [_miss(str(item.ref), mine, ranked, threshold, sizes)]
    return _with_savings(target, records, equivalences, rows, options, threshold,
                         source=None if source is None else str(source.number),
                         learner=f"every unit of {source.number}" if source else "the achieved units given")


def _with_savings(target: Qualification, records: list[AchievedUnit], equivalences: Sequence[Equivalence],
                  rows: list[Suggestion], options: SolveOptions, threshold: float, **head) -> Suggestions:
    """Each Maybe with the GLH it saves: a transfer solve without it and one with it declared."""
    declared = list(equivalences)
    base = transfer(target, records, declared, options=options)
    statuses = [base.status]
    extra = {id(row): equivalence_for(row, target) for row in rows if row.label is SuggestionLabel.maybe}
    found = []
    for row in rows:
        if id(row) in extra and base.glh_to_deliver is not None:
            after = transfer(target, records, declared + [extra[id(row)]], options=options)
            statuses.append(after.status)
            if (base.status is Status.optimal and after.status is Status.optimal
                    and after.glh_to_deliver is not None):
                row = row.model_copy(update={"glh_saved": base.glh_to_deliver - after.glh_to_deliver})
        found.append(row)
    every = None
    if extra and base.glh_to_deliver is not None:
        after = transfer(target, records, declared + list(extra.values()), options=options)
        statuses.append(after.status)
        every = after.glh_to_deliver if after.status is Status.optimal else None
    elif base.status is Status.optimal:
        every = base.glh_to_deliver
    status = Status.of_all(statuses)
    order = {SuggestionLabel.match: 0, SuggestionLabel.maybe: 1, SuggestionLabel.miss: 2}
    found.sort(key=lambda row: (order[row.label], -(row.glh_saved or 0), -(row.score or 0)))
    return Suggestions(target=str(target.number), title=target.title, threshold=threshold, status=status,
                       glh_to_deliver=base.glh_to_deliver if base.status is Status.optimal else None,
                       glh_to_deliver_all_maybes=every, suggestions=found, **head)
