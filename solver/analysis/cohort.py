"""Cohort plans: every learner's valid unit set and the classes to teach them, at the least hours
taught (or cost), against every learner on their own minimum-GLH plan."""

from __future__ import annotations

from collections.abc import Callable

from models import InputError, Qualification, UnitRef
from models.cohort import Cohort

from ..engine import SolveOptions
from ..engine.cohort import compile_cohort, solve_cohort
from .plan import plan
from .results import CohortClass, CohortLearnerPlan, CohortResult, ConflictRule


def _digits(ref: str) -> str:
    return UnitRef.parse(ref).digits


def _achieved(cohort: Cohort, quals: list[Qualification], records: Callable[[str], list]) -> list[set[str]]:
    found = []
    for learner, qual in zip(cohort.learners, quals):
        refs = list(learner.achieved) + (records(learner.record) if learner.record else [])
        found.append({ref.digits for ref in refs if qual.unit(ref) is not None})
    return found


def _banned(cohort: Cohort, quals: list[Qualification]) -> set[str]:
    banned = {ref.digits for ref in cohort.cannot_deliver.units}
    levels = set(cohort.cannot_deliver.levels)
    return banned | {u.ref.digits for q in quals for u in q.units if u.level in levels}


def _figures(cohort: Cohort, quals: list[Qualification]) -> tuple[dict[str, int], dict[str, int], list[str]]:
    """Hours and cost of a class of each unit; a note where qualifications give one unit two GLH."""
    glh: dict[str, int] = {}
    notes = []
    for qual in quals:
        for unit in qual.units:
            known = glh.get(unit.ref.digits)
            if known is not None and known != unit.glh:
                notes.append(f"{unit.ref}: {qual.number} gives {unit.glh} GLH where another qualification gives "
                             f"{known}; a class is planned at {max(known, unit.glh)}")
            glh[unit.ref.digits] = max(known or 0, unit.glh)
    costs = {ref.digits: value for ref, value in cohort.unit_costs.items()}
    cost = {d: costs.get(d, h * cohort.cost_per_glh if cohort.cost_per_glh is not None else 0) for d, h in glh.items()}
    return glh, cost, sorted(set(notes))


def _conflict(cohort: Cohort, quals, achieved, banned, options) -> tuple[list[ConflictRule], str] | None:
    """The first learner who cannot be planned at all, with why."""
    for learner, qual, done in zip(cohort.learners, quals, achieved):
        include = [str(u.ref) for u in qual.units if u.ref.digits in done]
        exclude = [str(u.ref) for u in qual.units if u.ref.digits in banned and u.ref.digits not in done]
        alone = plan(qual, "minimise glh", include, exclude, options)
        if not alone.status.found:
            return alone.conflict, learner.id
    return None


def plan_cohort(cohort: Cohort, resolve: Callable[[str], Qualification], records: Callable[[str], list] = lambda p: [],
                options: SolveOptions = SolveOptions(), minimise: str = "hours") -> CohortResult:
    """The cohort's plan; `resolve` turns a learner's qualification into a Qualification and
    `records` a learner record file into achieved references."""
    if minimise not in ("hours", "cost"):
        raise InputError(f"{minimise!r}: a cohort minimises hours or cost", field="--minimise")
    if minimise == "cost" and cohort.cost_per_glh is None and not cohort.unit_costs:
        raise InputError("--minimise cost needs cost_per_glh (or unit_costs) in the cohort, or --cost-per-glh")
    quals = [resolve(learner.qualification) for learner in cohort.learners]
    achieved, banned = _achieved(cohort, quals, records), _banned(cohort, quals)
    glh, cost, notes = _figures(cohort, quals)
    outcome = _solve(cohort, quals, achieved, banned, glh, cost, options, minimise)
    if outcome.chosen is None:
        found = _conflict(cohort, quals, achieved, banned, options)
        conflict, who = found if found else ([], None)
        return CohortResult(status=outcome.status, minimise=minimise, learners=len(quals), notes=notes,
                            conflict=conflict, conflict_learner=who, solve_seconds=round(outcome.seconds, 6))
    return _result(cohort, quals, achieved, banned, outcome, glh, cost, notes, minimise, options)


def _solve(cohort, quals, achieved, banned, glh, cost, options, minimise):
    """When one class can hold every learner, hours depend only on which units anyone takes, so
    some optimal plan gives identical learners (same qualification, same achieved units) the same
    set: one model copy per kind of learner, weighted by how many there are. Otherwise a copy
    per learner, with the copies of identical learners ordered."""
    if cohort.class_size is not None and cohort.class_size < len(quals):
        cm = compile_cohort(quals, achieved, banned, cohort.class_size, glh, cost)
        return solve_cohort(cm, options, minimise_cost=minimise == "cost")
    kinds: dict[tuple, int] = {}
    for qual, done in zip(quals, achieved):
        kinds.setdefault((id(qual), frozenset(done)), len(kinds))
    first = {k: i for i, (qual, done) in reversed(list(enumerate(zip(quals, achieved))))
             for k in [(id(qual), frozenset(done))]}
    order = sorted(kinds, key=kinds.get)
    weights = [sum(1 for q, d in zip(quals, achieved) if (id(q), frozenset(d)) == k) for k in order]
    cm = compile_cohort([quals[first[k]] for k in order], [achieved[first[k]] for k in order], banned, None,
                        glh, cost, weights)
    outcome = solve_cohort(cm, options, minimise_cost=minimise == "cost")
    if outcome.chosen is not None:
        outcome.chosen = [outcome.chosen[kinds[(id(q), frozenset(d))]] for q, d in zip(quals, achieved)]
        outcome.objectives = outcome.objectives[:1] + [sum(outcome.classes.values())] + outcome.objectives[2:]
    return outcome


def _separately(cohort, quals, achieved, banned, options) -> list[list[str]]:
    """Each learner's own minimum-GLH plan (achieved units included, not taught)."""
    plans = []
    for qual, done in zip(quals, achieved):
        include = [str(u.ref) for u in qual.units if u.ref.digits in done]
        exclude = [str(u.ref) for u in qual.units if u.ref.digits in banned and u.ref.digits not in done]
        alone = plan(qual, "minimise glh", include, exclude, options, explain=False)
        plans.append([ref for ref in alone.units if qual.unit(ref).ref.digits not in done])
    return plans


def _result(cohort, quals, achieved, banned, outcome, glh, cost, notes, minimise, options) -> CohortResult:
    size = cohort.class_size
    classes_of = (lambda n: (1 if n else 0) if size is None else -(-n // size))
    schedule: dict[str, list[str]] = {}
    plans = []
    for learner, qual, positions, done in zip(cohort.learners, quals, outcome.chosen, achieved):
        in_order = sorted(qual.units, key=lambda u: u.ref.digits)  # the engine's order (compile_into)
        units = [in_order[p] for p in positions]
        taught = [u for u in units if u.ref.digits not in done]
        for unit in taught:
            schedule.setdefault(unit.ref.digits, []).append(learner.id)
        plans.append(CohortLearnerPlan(id=learner.id, qualification=str(qual.number), units=[str(u.ref) for u in units],
                                       achieved=[str(u.ref) for u in units if u.ref.digits in done],
                                       glh_taught=sum(u.glh for u in taught), credits=sum(u.credits for u in units)))
    units_by_digits = {u.ref.digits: u for q in quals for u in q.units}
    rows = [CohortClass(ref=str(units_by_digits[d].ref), title=units_by_digits[d].title, glh=glh[d], learners=ids,
                        classes=outcome.classes[d], hours=glh[d] * outcome.classes[d],
                        cost=cost[d] * outcome.classes[d] if cost else None)
            for d, ids in sorted(schedule.items())]
    own = _separately(cohort, quals, achieved, banned, options)
    separate = sum(units_by_digits[_digits(r)].glh for refs in own for r in refs)
    counts: dict[str, int] = {}
    for refs in own:
        for r in refs:
            counts[_digits(r)] = counts.get(_digits(r), 0) + 1
    cotaught = sum(glh[d] * classes_of(n) for d, n in counts.items())
    hours = sum(r.hours for r in rows)
    money = sum(r.cost for r in rows) if cohort.cost_per_glh is not None or cohort.unit_costs else None
    return CohortResult(
        status=outcome.status, minimise=minimise, learners=len(quals), class_size=size, hours_taught=hours,
        classes=sum(r.classes for r in rows), learner_glh=sum(p.glh_taught for p in plans), cost=money,
        separate_hours=separate, cotaught_own_plans_hours=cotaught, saving_hours=separate - hours,
        schedule=rows, plans=plans, notes=notes, solve_seconds=round(outcome.seconds, 6))


__all__ = ["plan_cohort"]
