"""Cohort plans: every learner's valid unit set and the classes to teach them, at the least hours
taught (or cost), with class lists a timetabler can use.

Prior learning counts as it does in credit transfer: an achieved unit (or the units of a declared
equivalence) may credit one unit of the learner's qualification, which is then not taught; it is
used where it helps, never forced. Learners with the same qualification and the same prior
learning are one *kind*; each kind's candidates are its valid sets, by the units they leave to
teach, the inclusion-minimal ones only: roc never gives a learner a unit they do not need, not even
to fill a class that a minimum class size would otherwise not run (learners are steered between
the sets they might take instead). The engine then chooses how many learners of each kind take each candidate: a model
whose size grows with the kinds, not the learners. A qualification with too many valid sets to
list is planned per learner instead (the same problem, exactly).
"""

from __future__ import annotations

import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from models import AchievedUnit, Equivalence, InputError, Qualification, Status, UnitRef
from models.cohort import Cohort
from models.register import FundingRate
from models.words import plural

from ..engine import SolveOptions, compile_qualification, enumerate_sets
from ..engine.cohort import (
    ChoiceOutcome,
    ClassLimits,
    CreditOption,
    Kind,
    classes_needed,
    compile_cohort,
    solve_cohort,
    solve_set_choice,
)
from .cohort_lists import class_lists, rosters
from .plan import plan
from .results import (
    ClassList,
    CohortClass,
    CohortLearnerPlan,
    CohortResult,
    ConflictRule,
    LimitCost,
    Unserved,
)
from .transfer import credit_options

CANDIDATE_SETS = 200_000  # valid sets listed for one qualification; beyond, the per-learner model


@dataclass(frozen=True)
class Candidate:
    """A valid set for a kind of learner: its units, those credited by prior learning, the rest."""

    units: tuple[str, ...]  # digits, in reference order
    credited: tuple[str, ...]
    taught: tuple[str, ...]
    own_glh: int  # GLH of `taught`, by the learner's own qualification


@dataclass
class LearnerKind:
    qual: Qualification
    options: tuple[CreditOption, ...]
    members: list[int] = field(default_factory=list)  # positions in the cohort's learners
    candidates: list[Candidate] | None = None  # None: too many valid sets to list


def learner_qualifications(cohort: Cohort, resolve: Callable[[str], Qualification]) -> list[Qualification]:
    """Each learner's qualification, in order; one that cannot be read names its learner."""
    quals = []
    for k, learner in enumerate(cohort.learners):
        try:
            quals.append(resolve(learner.qualification))
        except InputError as exc:
            raise InputError(f"learner {learner.id}: {exc}", field=f"learners.{k}.qualification") from None
    return quals


def _options(cohort: Cohort, quals: list[Qualification], records: Callable[[str], list[UnitRef]],
             equivalences: Sequence[Equivalence]) -> list[tuple[CreditOption, ...]]:
    """What each learner's prior learning can credit in their qualification (as transfer has it)."""
    found = []
    for learner, qual in zip(cohort.learners, quals):
        refs = list(learner.achieved) + (records(learner.record) if learner.record else [])
        held = {ref.digits: AchievedUnit(ref=ref) for ref in refs}
        found.append(tuple(sorted({CreditOption(c.target.ref.digits, c.achieved)
                                   for c in credit_options(qual, held, equivalences)},
                                  key=lambda o: (o.target, o.achieved))))
    return found


def _banned(cohort: Cohort, quals: list[Qualification]) -> set[str]:
    banned = {ref.digits for ref in cohort.cannot_deliver.units}
    levels = set(cohort.cannot_deliver.levels)
    return banned | {u.ref.digits for q in quals for u in q.units if u.level in levels}


def _figures(cohort: Cohort, quals: list[Qualification]) -> tuple[dict[str, int], dict[str, int], list[str]]:
    """Hours and cost (pence) of a class of each unit; a note where qualifications give one unit
    two GLH (a shared class is planned at the larger)."""
    glh: dict[str, int] = {}
    notes = []
    for qual in _distinct(quals):
        for unit in qual.units:
            known = glh.get(unit.ref.digits)
            if known is not None and known != unit.glh:
                notes.append(f"{unit.ref}: {qual.number} gives {unit.glh} GLH where another qualification gives "
                             f"{known}; a shared class is planned at {max(known, unit.glh)}")
            glh[unit.ref.digits] = max(known or 0, unit.glh)
    costs = {ref.digits: value for ref, value in cohort.unit_costs.items()}
    per_hour = cohort.cost_per_glh or 0
    pence = {d: round(100 * costs.get(d, h * per_hour)) for d, h in glh.items()}
    return glh, pence, sorted(set(notes))


def _distinct(quals: Sequence[Qualification]) -> list[Qualification]:
    """Each qualification once, in order (learners share the same objects)."""
    return list({id(q): q for q in quals}.values())


# -- candidates --------------------------------------------------------------------------------------
_MASKS: OrderedDict[int, tuple[Qualification, tuple[list[str], np.ndarray] | None]] = OrderedDict()
_MASKS_KEPT = 64
_MASKS_LOCK = threading.Lock()


def _valid_masks(qual: Qualification) -> tuple[list[str], np.ndarray] | None:
    """Every valid set of `qual` as a bit mask over its units in reference order (at most 62
    units, at most CANDIDATE_SETS sets), in tie-break order; None when there are more. The last
    few qualifications' lists are kept (a qualification is immutable)."""
    with _MASKS_LOCK:
        kept = _MASKS.get(id(qual))
        if kept is not None and kept[0] is qual:
            _MASKS.move_to_end(id(qual))
            return kept[1]
    found = _list_masks(qual)
    with _MASKS_LOCK:
        _MASKS[id(qual)] = (qual, found)
        while len(_MASKS) > _MASKS_KEPT:
            _MASKS.popitem(last=False)
    return found


def _list_masks(qual: Qualification) -> tuple[list[str], np.ndarray] | None:
    compiled = compile_qualification(qual)
    if len(compiled.units) > 62:
        return None
    sets, exact, _ = enumerate_sets(compiled, SolveOptions(interruptible=False), limit=CANDIDATE_SETS)
    if not exact:
        return None
    sets.sort(key=lambda s: (len(s), s))
    masks = np.array([sum(1 << i for i in s) for s in sets], dtype=np.int64)
    return [u.ref.digits for u in compiled.units], masks


def _bits(mask: int, digits: list[str]) -> tuple[str, ...]:
    return tuple(d for i, d in enumerate(digits) if mask >> i & 1)


def _packings(options: Sequence[CreditOption], position: dict[str, int]) -> list[int]:
    """Every inclusion-maximal way the options can credit targets (each achieved unit for one
    target, each target once), as masks of credited targets."""
    found: set[int] = set()

    def walk(k: int, used: frozenset[str], credited: int) -> None:
        if k == len(options):
            found.add(credited)
            return
        option = options[k]
        bit = 1 << position[option.target]
        if not credited & bit and not used & set(option.achieved):
            walk(k + 1, used | set(option.achieved), credited | bit)
        walk(k + 1, used, credited)

    walk(0, frozenset(), 0)
    return [m for m in found if not any(o != m and o & m == m for o in found)]


def candidates(qual: Qualification, options: Sequence[CreditOption], banned: set[str]) -> list[Candidate] | None:
    """A kind's candidate sets, by the units left to teach: none teaching a unit the centre cannot
    deliver; only the inclusion-minimal ones; cheapest own GLH first, then fewer units, then
    reference order. None when the valid sets are too many to list."""
    listed = _valid_masks(qual)
    if listed is None:
        return None
    digits, masks = listed
    position = {d: i for i, d in enumerate(digits)}
    usable = [o for o in options if o.target in position]
    banned_mask = np.int64(sum(1 << position[d] for d in banned if d in position))
    wholes: list[np.ndarray] = []
    taughts: list[np.ndarray] = []
    credits: list[np.ndarray] = []
    for credited in (_packings(usable, position) if usable else [0]):
        taught = masks & ~np.int64(credited)
        ok = (taught & banned_mask) == 0
        wholes.append(masks[ok])
        taughts.append(taught[ok])
        credits.append(np.full(int(ok.sum()), credited, dtype=np.int64))
    whole, taught, credit = np.concatenate(wholes), np.concatenate(taughts), np.concatenate(credits)
    unique, first = np.unique(taught, return_index=True)  # the first set (in tie order) to leave each
    kept = set(_minimal(unique))
    glh = [qual.unit_by_digits[d].glh for d in digits]
    found = []
    for mask, k in zip(unique.tolist(), first.tolist()):
        if mask in kept:
            w = int(whole[k])
            found.append(Candidate(_bits(w, digits), _bits(w & int(credit[k]), digits), _bits(mask, digits),
                                   sum(g for i, g in enumerate(glh) if mask >> i & 1)))
    found.sort(key=lambda c: (c.own_glh, len(c.taught), c.taught))
    return found


def _minimal(masks: np.ndarray) -> list[int]:
    """The masks no other mask is a strict subset of."""
    counts = np.array([bin(m).count("1") for m in masks.tolist()], dtype=np.int64)
    order = masks[np.argsort(counts, kind="stable")]
    kept = np.zeros(len(order), dtype=np.int64)
    size = 0
    for mask in order.tolist():
        if size == 0 or not np.any((kept[:size] & mask) == kept[:size]):
            kept[size] = mask
            size += 1
    return kept[:size].tolist()


def _kinds(quals: list[Qualification], options: list[tuple[CreditOption, ...]], banned: set[str]
           ) -> list[LearnerKind]:
    kinds: dict[tuple[int, tuple[CreditOption, ...]], LearnerKind] = {}
    for k, (qual, mine) in enumerate(zip(quals, options)):
        kind = kinds.setdefault((id(qual), mine), LearnerKind(qual, mine))
        kind.members.append(k)
    for kind in kinds.values():
        kind.candidates = candidates(kind.qual, kind.options, banned)
    return list(kinds.values())


# -- the plan ----------------------------------------------------------------------------------------
@dataclass
class Assignment:
    """Who takes what: per learner, a candidate (None: left without a plan)."""

    chosen: list[Candidate | None]
    classes: dict[str, int]
    status: Status
    seconds: float
    formulation: str
    bound: int | None = None  # proven lower bound on the primary objective, when not proven optimal


def _limits(cohort: Cohort) -> ClassLimits:
    return ClassLimits(cohort.class_size, cohort.min_class_size, cohort.max_classes)


def _assign(kinds: list[LearnerKind], outcome: ChoiceOutcome, learners: int) -> list[Candidate | None]:
    """Learners of each kind, in the file's order, onto the candidates the counts say."""
    chosen: list[Candidate | None] = [None] * learners
    for kind, counts in zip(kinds, outcome.counts or []):
        queue = list(kind.members)
        for candidate, count in zip(kind.candidates or [], counts):
            for _ in range(count):
                chosen[queue.pop(0)] = candidate
    return chosen


def components(kinds: list[LearnerKind]) -> list[list[int]]:
    """Kinds that could share a class, grouped (positions in `kinds`): no unit is taught in two
    groups, so each group is planned on its own, exactly (every figure is a sum over groups)."""
    parent = list(range(len(kinds)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    owner: dict[str, int] = {}
    for k, kind in enumerate(kinds):
        for candidate in kind.candidates or []:
            for digits in candidate.taught:
                parent[root(k)] = root(owner.setdefault(digits, k))
    groups: dict[int, list[int]] = {}
    for k in range(len(kinds)):
        groups.setdefault(root(k), []).append(k)
    return list(groups.values())


def _choose(kinds: list[LearnerKind], glh: dict[str, int], pence: dict[str, int], limits: ClassLimits,
            options: SolveOptions, minimise: str, learners: int) -> Assignment:
    """The set-choice model, one independent group of kinds at a time (the time limit shared)."""
    started = time.perf_counter()
    chosen: list[Candidate | None] = [None] * learners
    classes: dict[str, int] = {}
    statuses = []
    bound: int | None = 0
    groups = components(kinds)
    size = [sum(len(kinds[k].candidates or []) for k in group) for group in groups]
    order = sorted(zip(size, groups), key=lambda pair: pair[0])  # the quick ones first
    waiting = sum(size)
    for columns, group in order:
        left = None  # a time limit is shared in proportion to the groups' sizes; what one leaves, the next takes
        if options.time_limit is not None:
            rest = options.time_limit - (time.perf_counter() - started)
            # a share in proportion, but never less than a second or two: a small group finishes
            # well inside it, and a tiny share could end before presolve does
            left = max(0.001, min(rest, max(rest * columns / max(1, waiting), 2.0)))
        waiting -= columns
        mine = [kinds[k] for k in group]
        outcome = solve_set_choice([Kind(len(k.members), [c.taught for c in k.candidates or []],
                                         [c.own_glh for c in k.candidates or []]) for k in mine],
                                   glh, pence, limits, replace(options, time_limit=left), minimise == "cost")
        statuses.append(outcome.status)
        bound = None if bound is None or outcome.bound is None else bound + outcome.bound
        if outcome.counts is None:
            return Assignment([None] * learners, {}, outcome.status, time.perf_counter() - started, "set choice")
        for k, candidate in enumerate(_assign(mine, outcome, learners)):
            if candidate is not None:
                chosen[k] = candidate
        classes.update(outcome.classes)
    return Assignment(chosen, classes, Status.of_all(statuses), time.perf_counter() - started, "set choice", bound)


def _per_learner(quals: list[Qualification], options: list[tuple[CreditOption, ...]], banned: set[str],
                 glh: dict[str, int], pence: dict[str, int], limits: ClassLimits, solve: SolveOptions,
                 minimise: str) -> Assignment:
    """The per-learner model, for qualifications with too many valid sets to list."""
    cm = compile_cohort(quals, [list(o) for o in options], banned, limits, glh, pence)
    outcome = solve_cohort(cm, solve, minimise_cost=minimise == "cost")
    chosen: list[Candidate | None] = [None] * len(quals)
    if outcome.chosen is not None and outcome.taught is not None:
        for k, (qual, units, taught) in enumerate(zip(quals, outcome.chosen, outcome.taught)):
            mine = {u.ref.digits for u in taught}
            whole = tuple(u.ref.digits for u in units)
            chosen[k] = Candidate(whole, tuple(d for d in whole if d not in mine), tuple(d for d in whole if d in mine),
                                  sum(qual.unit_by_digits[d].glh for d in mine))
    return Assignment(chosen, outcome.classes, outcome.status, outcome.seconds, "per learner")


def _solve(kinds: list[LearnerKind], quals, options, banned, glh, pence, limits, solve, minimise) -> Assignment:
    """The set-choice model when every kind's candidates could be listed, else the per-learner one."""
    if all(kind.candidates is not None for kind in kinds):
        return _choose(kinds, glh, pence, limits, solve, minimise, len(quals))
    return _per_learner(quals, options, banned, glh, pence, limits, solve, minimise)


def plan_cohort(cohort: Cohort, resolve: Callable[[str], Qualification],
                records: Callable[[str], list[UnitRef]] = lambda path: [], options: SolveOptions = SolveOptions(),
                minimise: str = "hours", funding: Mapping[str, FundingRate] | None = None,
                equivalences: Sequence[Equivalence] = ()) -> CohortResult:
    """The cohort's plan; `resolve` turns a learner's qualification into a Qualification and
    `records` a learner record file into achieved references; `equivalences` are those transfer
    uses. With `funding` (rates by qualification number): each learner's funding, the cohort's,
    and the margin over the cost of the classes."""
    if minimise not in ("hours", "cost"):
        raise InputError(f"{minimise!r}: a cohort minimises hours or cost", field="minimise")
    if minimise == "cost" and cohort.cost_per_glh is None and not cohort.unit_costs:
        raise InputError("minimising cost needs cost_per_glh (or unit_costs) in the cohort, or a cost per GLH given",
                         field="minimise")
    quals = learner_qualifications(cohort, resolve)
    credit, banned = _options(cohort, quals, records, equivalences), _banned(cohort, quals)
    glh, pence, notes = _figures(cohort, quals)
    limits = _limits(cohort)
    kinds = _kinds(quals, credit, banned)  # once: the candidates do not depend on the class limits
    found = _solve(kinds, quals, credit, banned, glh, pence, limits, options, minimise)
    if found.status.found and not any(found.chosen) and not limits.binding:
        found.status = Status.infeasible
    if not found.status.found:
        return _no_plan(cohort, quals, credit, banned, found, notes, minimise, options)
    result = _result(cohort, quals, found, glh, pence, notes, minimise, kinds)
    if limits.binding:
        result = result.model_copy(update={"limit_costs": _limit_costs(
            cohort, kinds, quals, credit, banned, glh, pence, options, minimise, result)})
    return result if funding is None else _with_funding(result, funding)


def _no_plan(cohort, quals, credit, banned, found: Assignment, notes, minimise, options) -> CohortResult:
    """No learner can be planned: the first who cannot be planned at all, with why."""
    conflict: list[ConflictRule] = []
    who = None
    for learner, qual, mine in zip(cohort.learners, quals, credit):
        creditable = {o.target for o in mine}
        exclude = [str(u.ref) for u in qual.units if u.ref.digits in banned and u.ref.digits not in creditable]
        alone = plan(qual, "minimise glh", exclude=exclude, options=options)
        if not alone.status.found:
            conflict, who = alone.conflict, learner.id
            break
    return CohortResult(status=found.status, minimise=minimise, learners=len(quals), notes=notes,
                        class_size=cohort.class_size, min_class_size=cohort.min_class_size,
                        max_classes=cohort.max_classes, conflict=conflict, conflict_learner=who,
                        formulation=found.formulation, solve_seconds=round(found.seconds, 6))


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
    served = len(plans) or 1
    return result.model_copy(update={
        "plans": plans, "funding": total, "margin": margin,
        "margin_per_learner": round(margin / served, 2) if margin is not None else None})


def _baseline(kinds: list[LearnerKind], quals: list[Qualification], glh: dict[str, int],
              size: int | None) -> tuple[int, int]:
    """(each learner on their own minimum-GLH plan, those plans sharing classes; the same plans,
    every learner taught alone), by each learner's own qualification's figures."""
    shared: Counter[str] = Counter()
    alone = 0
    for kind in kinds:
        if not kind.candidates:
            continue
        own = kind.candidates[0]  # cheapest own GLH, then fewer units, then reference order
        alone += own.own_glh * len(kind.members)
        for digits in own.taught:
            shared[digits] += len(kind.members)
    return sum(glh[d] * classes_needed(n, size) for d, n in shared.items()), alone


def _result(cohort: Cohort, quals: list[Qualification], found: Assignment, glh: dict[str, int],
            pence: dict[str, int], notes: list[str], minimise: str, kinds: list[LearnerKind]) -> CohortResult:
    learners = cohort.learners
    takers: dict[str, list[int]] = {}
    plans, unserved = [], []
    for k, (learner, qual, chosen) in enumerate(zip(learners, quals, found.chosen)):
        if chosen is None:
            unserved.append(Unserved(id=learner.id, qualification=str(qual.number), reason=_why_unserved(cohort)))
            continue
        for digits in chosen.taught:
            takers.setdefault(digits, []).append(k)
        ref = {d: str(qual.unit_by_digits[d].ref) for d in chosen.units}
        plans.append(CohortLearnerPlan(id=learner.id, qualification=str(qual.number), units=[ref[d] for d in chosen.units],
                                       achieved=[ref[d] for d in chosen.credited], taught=[ref[d] for d in chosen.taught],
                                       glh_taught=chosen.own_glh,
                                       credits=sum(qual.unit_by_digits[d].credits for d in chosen.units)))
    lists = class_lists(takers, found.classes, [c.taught if c else () for c in found.chosen])
    names = {u.ref.digits: u for q in _distinct(quals) for u in q.units}
    rows = [CohortClass(ref=str(names[d].ref), title=names[d].title, glh=glh[d],
                        learners=[learners[k].id for k in who], class_count=found.classes[d],
                        classes=[ClassList(number=n, learners=[learners[k].id for k in group])
                                 for n, group in enumerate(lists[d], 1)],
                        hours=glh[d] * found.classes[d],
                        cost=pence[d] * found.classes[d] / 100 if _costed(cohort) else None)
            for d, who in sorted(takers.items())]
    baseline, alone = _baseline(kinds, quals, glh, cohort.class_size)
    hours = sum(r.hours for r in rows)
    return CohortResult(
        status=found.status, minimise=minimise, learners=len(quals), class_size=cohort.class_size,
        min_class_size=cohort.min_class_size, max_classes=cohort.max_classes, hours_taught=hours,
        classes=sum(r.class_count for r in rows), rosters=rosters(lists), learner_glh=sum(p.glh_taught for p in plans),
        cost=round(sum(r.cost or 0 for r in rows), 2) if _costed(cohort) else None,
        hours_bound=found.bound if found.status is Status.feasible and minimise == "hours" else None,
        baseline_hours=baseline if not unserved else None, saving_hours=baseline - hours if not unserved else None,
        taught_alone_hours=alone if not unserved else None, schedule=rows, plans=plans, unserved=unserved,
        notes=notes + (["the baseline and saving are left out: some learners have no plan"] if unserved else []),
        formulation=found.formulation, solve_seconds=round(found.seconds, 6))


def _why_unserved(cohort: Cohort) -> str:
    limits = ([f"a class of fewer than {cohort.min_class_size} learners is not run"] if cohort.min_class_size else []) \
        + ([f"a unit has at most {plural(cohort.max_classes, 'class')}"] if cohort.max_classes else [])
    return "the class limits leave no place for this learner beside the others (" + "; ".join(limits) + ")"


def _costed(cohort: Cohort) -> bool:
    return cohort.cost_per_glh is not None or bool(cohort.unit_costs)


def _limit_costs(cohort, kinds, quals, credit, banned, glh, pence, options, minimise,
                 result: CohortResult) -> list[LimitCost]:
    """What each class limit costs: the plan again without it."""
    found = []
    for name, lifted, words in (("min_class_size", {"min_class_size": None},
                                 f"classes of at least {cohort.min_class_size}"),
                                ("max_classes", {"max_classes": None},
                                 f"at most {plural(cohort.max_classes or 0, 'class')} of a unit")):
        if getattr(cohort, name) is None:
            continue
        freer = cohort.model_copy(update=lifted)
        again = _solve(kinds, quals, credit, banned, glh, pence, _limits(freer), options, minimise)
        served = sum(c is not None for c in again.chosen)
        hours = sum(glh[d] * n for d, n in again.classes.items()) if served else None
        proven = again.status is Status.optimal
        same = served == len(result.plans)  # a cost in hours compares plans for the same learners
        found.append(LimitCost(limit=words, hours_without=hours if proven else None,
                               cost_hours=(result.hours_taught or 0) - hours if proven and same and hours is not None
                               else None,
                               learners_served_without=None if same else served))
    return found


__all__ = ["Candidate", "candidates", "learner_qualifications", "plan_cohort"]
