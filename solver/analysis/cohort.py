"""Cohort plans: every learner's valid unit set and the classes to teach them, at the least hours
taught (or cost), against every learner on their own minimum-GLH plan."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping

from models import InputError, Qualification, UnitRef
from models.cohort import Cohort
from models.register import FundingRate

from ..engine import SolveOptions
from ..engine.cohort import CohortOutcome, classes_needed, compile_cohort, learner_kind, solve_cohort
from .plan import plan
from .results import CohortClass, CohortLearnerPlan, CohortResult, ConflictRule, Plan


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


def _alone(qual: Qualification, done: set[str], banned: set[str], options: SolveOptions, explain: bool) -> Plan:
    """A learner's own minimum-GLH plan: achieved units included, undeliverable ones excluded."""
    include = [str(u.ref) for u in qual.units if u.ref.digits in done]
    exclude = [str(u.ref) for u in qual.units if u.ref.digits in banned and u.ref.digits not in done]
    return plan(qual, "minimise glh", include, exclude, options, explain=explain)


def _conflict(cohort: Cohort, quals, achieved, banned, options) -> tuple[list[ConflictRule], str] | None:
    """The first learner who cannot be planned at all, with why."""
    for learner, qual, done in zip(cohort.learners, quals, achieved):
        alone = _alone(qual, done, banned, options, explain=True)
        if not alone.status.found:
            return alone.conflict, learner.id
    return None


def learner_qualifications(cohort: Cohort, resolve: Callable[[str], Qualification]) -> list[Qualification]:
    """Each learner's qualification, in order; one that cannot be read names its learner."""
    quals = []
    for learner in cohort.learners:
        try:
            quals.append(resolve(learner.qualification))
        except InputError as exc:
            raise InputError(str(exc), field=f"learner {learner.id}") from None
    return quals


def plan_cohort(cohort: Cohort, resolve: Callable[[str], Qualification], records: Callable[[str], list] = lambda p: [],
                options: SolveOptions = SolveOptions(), minimise: str = "hours",
                funding: Mapping[str, FundingRate] | None = None) -> CohortResult:
    """The cohort's plan; `resolve` turns a learner's qualification into a Qualification and
    `records` a learner record file into achieved references. With `funding` (rates by
    qualification number, from `catalog.register.funding_rates`): each learner's funding, the
    cohort's, and the margin over the cost of the classes."""
    if minimise not in ("hours", "cost"):
        raise InputError(f"{minimise!r}: a cohort minimises hours or cost", field="minimise")
    if minimise == "cost" and cohort.cost_per_glh is None and not cohort.unit_costs:
        raise InputError("minimising cost needs cost_per_glh (or unit_costs) in the cohort, or a cost per GLH given",
                         field="minimise")
    quals = learner_qualifications(cohort, resolve)
    achieved, banned = _achieved(cohort, quals, records), _banned(cohort, quals)
    glh, cost, notes = _figures(cohort, quals)
    outcome = _solve(cohort, quals, achieved, banned, glh, cost, options, minimise)
    if outcome.chosen is None:
        found = _conflict(cohort, quals, achieved, banned, options)
        conflict, who = found if found else ([], None)
        return CohortResult(status=outcome.status, minimise=minimise, learners=len(quals), notes=notes,
                            conflict=conflict, conflict_learner=who, solve_seconds=round(outcome.seconds, 6))
    result = _result(cohort, quals, achieved, banned, outcome, glh, cost, notes, minimise, options)
    return result if funding is None else _with_funding(result, funding)


def _with_funding(result: CohortResult, funding: Mapping[str, FundingRate]) -> CohortResult:
    """Each learner's funding rate; the cohort's total and margin only when every learner has a rate."""
    plans = [p.model_copy(update={"funding_rate": funding[p.qualification].rate if p.qualification in funding
                                  else None}) for p in result.plans]
    unfunded = sorted({p.qualification for p in plans if p.funding_rate is None})
    notes = list(result.notes)
    if unfunded:
        notes.append(f"no funding rate for {', '.join(unfunded)}: the cohort's funding and margin are left out")
        return result.model_copy(update={"plans": plans, "notes": notes})
    total = round(sum(p.funding_rate or 0 for p in plans), 2)
    margin = round(total - result.cost, 2) if result.cost is not None else None
    return result.model_copy(update={
        "plans": plans, "funding": total, "margin": margin,
        "margin_per_learner": round(margin / result.learners, 2) if margin is not None else None})


def _solve(cohort, quals, achieved, banned, glh, cost, options, minimise) -> CohortOutcome:
    """When one class can hold every learner, hours depend only on which units anyone takes, so
    some optimal plan gives identical learners (same qualification, same achieved units) the same
    set: one model copy per kind of learner, weighted by how many there are. Otherwise a copy
    per learner, with the copies of identical learners ordered."""
    if cohort.class_size is not None and cohort.class_size < len(quals):
        cm = compile_cohort(quals, achieved, banned, cohort.class_size, glh, cost)
        return solve_cohort(cm, options, minimise_cost=minimise == "cost")
    members: dict[tuple, list[int]] = {}
    for i, (qual, done) in enumerate(zip(quals, achieved)):
        members.setdefault(learner_kind(qual, done), []).append(i)
    first = [group[0] for group in members.values()]
    cm = compile_cohort([quals[i] for i in first], [achieved[i] for i in first], banned, None, glh, cost,
                        [len(group) for group in members.values()])
    outcome = solve_cohort(cm, options, minimise_cost=minimise == "cost")
    if outcome.chosen is not None:
        copy = {kind: k for k, kind in enumerate(members)}
        outcome.chosen = [outcome.chosen[copy[learner_kind(q, d)]] for q, d in zip(quals, achieved)]
    return outcome


def _separately(quals, achieved, banned, options) -> list[list[str]]:
    """Each learner's own minimum-GLH plan, as the digits of the units taught (one plan per kind)."""
    plans: dict[tuple, list[str]] = {}
    for qual, done in zip(quals, achieved):
        kind = learner_kind(qual, done)
        if kind not in plans:
            alone = _alone(qual, done, banned, options, explain=False)
            plans[kind] = [digits for digits in (UnitRef.parse(ref).digits for ref in alone.units) if digits not in done]
    return [plans[learner_kind(qual, done)] for qual, done in zip(quals, achieved)]


def _result(cohort, quals, achieved, banned, outcome, glh, cost, notes, minimise, options) -> CohortResult:
    size = cohort.class_size
    schedule: dict[str, list[str]] = {}
    plans = []
    for learner, qual, units, done in zip(cohort.learners, quals, outcome.chosen, achieved):
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
    own = _separately(quals, achieved, banned, options)
    separate = sum(units_by_digits[d].glh for taught in own for d in taught)
    counts = Counter(d for taught in own for d in taught)
    cotaught = sum(glh[d] * classes_needed(n, size) for d, n in counts.items())
    hours = sum(r.hours for r in rows)
    money = sum(r.cost or 0 for r in rows) if cohort.cost_per_glh is not None or cohort.unit_costs else None
    return CohortResult(
        status=outcome.status, minimise=minimise, learners=len(quals), class_size=size, hours_taught=hours,
        classes=sum(r.classes for r in rows), learner_glh=sum(p.glh_taught for p in plans), cost=money,
        separate_hours=separate, cotaught_own_plans_hours=cotaught, saving_hours=separate - hours,
        schedule=rows, plans=plans, notes=notes, solve_seconds=round(outcome.seconds, 6))


__all__ = ["learner_qualifications", "plan_cohort"]
