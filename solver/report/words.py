"""What the terminal and the web pages both say about a result, written once: which rules a
qualification lists, a published figure beside the one roc uses, and what restrictions cost."""

from __future__ import annotations

from typing import NamedTuple

from models import BarredRule, LinearRule, Qualification, RuleKind
from models.words import plural

from ..service import CohortResult, Plan, RestrictionCost, Status, pounds


class RuleLine(NamedTuple):
    text: str
    key: str | None  # the key check, conflicts and what-if use; None for a barred pair that does not bind
    barred: bool = False


def rule_lines(q: Qualification) -> list[RuleLine]:
    """The rules of combination as a planner reads them: each rule with a bound (open bounds say
    nothing), then each barred pair as printed, with the key it binds by."""
    lines = [RuleLine(rule.text, rule.key) for rule in q.rules
             if not (isinstance(rule, BarredRule)
                     or (isinstance(rule, LinearRule) and rule.is_open and rule.kind is not RuleKind.credits))]
    binding = {frozenset(u.ref.digits for u in rule.units): rule.key for rule in q.rules
               if isinstance(rule, BarredRule)}
    for pair in q.barred:
        lines.append(RuleLine(f"{pair.units[0].printed} may not be taken with {pair.units[1].printed}",
                              binding.get(frozenset(ref.digits for ref in pair.units)), barred=True))
    return lines


def published_tqt(printed: int | None, used: int | None) -> str:
    """'230', or '70 (roc uses 130)' where the catalogue corrects the printed figure; '-' for none."""
    shown = "-" if printed is None else str(printed)
    return shown if used == printed else f"{shown} (roc uses {used})"


def published_figures(q: Qualification) -> list[str]:
    """The published figures in words: 'GLH 143-178', 'TQT 230', 'credits 23'."""
    glh = q.published.glh_range
    words = [f"GLH {glh[0]}" + (f"-{glh[1]}" if glh[1] != glh[0] else "")] if glh else []
    p = q.published
    return words + [f"{name} {value}" for name, value in (("TQT", p.tqt), ("credits", p.credits)) if value is not None]


def measure_word(measure: str) -> str:
    return {"glh": "GLH", "tqt": "TQT"}.get(measure, measure)


def _stage_figure(settles: str, value: int | None) -> str:
    shown = "" if value is None else f"{value:,}"
    if settles == "fewest units":
        return f"fewest units among those: {shown}"
    return f"{measure_word(settles)} {shown}".strip()


def stage_sentence(plan: Plan) -> str | None:
    """How each solve behind a plan ended, when one after the objective was not proven, e.g.
    'GLH 15,075 proven minimal; fewest units among those: 1,171 found, not proven in 2.4 s'.
    None when there is nothing to add to the plan's status."""
    if not plan.stages or plan.settled:
        return None
    goal = plan.goal.split()[0] if plan.goal else ""
    said = []
    for k, stage in enumerate(plan.stages):
        figure = _stage_figure(stage.settles[-1] if stage.settles else "", stage.value)
        if stage.status is Status.optimal:
            proven = ("proven " + ("minimal" if goal.startswith("min") else "maximal")) if k == 0 else "proven"
            said.append(f"{figure} {proven}")
        elif stage.status is Status.feasible:
            said.append(f"{figure} found, not proven in {stage.seconds:.1f} s")
        elif stage.seconds:
            said.append(f"{', '.join(stage.settles)}: stopped after {stage.seconds:.1f} s, the set above kept")
        else:
            said.append(f"{', '.join(stage.settles)}: not tried (no time left)")
    return "; ".join(said)


def restriction_sentences(r: RestrictionCost) -> list[str]:
    """What the restrictions are, and what they cost against the unrestricted optimum."""
    unit = measure_word(r.measure)
    said = ["restrictions: " + "; ".join(r.restrictions)
            + (f" ({plural(len(r.ruled_out), 'unit')} ruled out)" if r.ruled_out else "")]
    left = (f"{'' if r.valid_sets_left_exact else 'at least '}{plural(r.valid_sets_left, 'valid set')} "
            f"remain{'s' if r.valid_sets_left == 1 and r.valid_sets_left_exact else ''}")
    if r.cost is None:
        said.append(f"no valid set meets them (the unrestricted optimum is {r.unrestricted_objective} {unit})")
    elif r.cost == 0:
        said.append(f"your restrictions cost nothing: the unrestricted optimum is also {r.unrestricted_objective} "
                    f"{unit}; {left}")
    else:
        said.append(f"your restrictions cost {r.cost} {unit} against the unrestricted optimum of "
                    f"{r.unrestricted_objective} {unit}; {left}")
    return said


def cohort_summary(result: CohortResult) -> list[str]:
    """The figures under the tables, in words."""
    size = f"classes of up to {result.class_size}" if result.class_size else "one class a unit"
    lines = [f"{plural(result.learners, 'learner')}, {size}: {result.hours_taught} hours taught in "
             f"{plural(result.classes or 0, 'class')} ({plural(result.rosters or 0, 'distinct class list')})"
             + (f", cost {pounds(result.cost)}" if result.cost is not None else "")]
    if result.hours_bound is not None and result.hours_taught is not None:
        lines.append(f"not proven optimal: a time limit stopped the proof; no plan can take fewer than "
                     f"{result.hours_bound} hours, so this one is within {result.hours_taught - result.hours_bound}")
    if result.saving_hours is not None:
        lines.append(f"saving {result.saving_hours} hours against each learner's own minimum-GLH plan, those plans "
                     f"sharing classes ({result.baseline_hours} hours); every learner taught alone would take "
                     f"{result.taught_alone_hours}")
    for limit in result.limit_costs:
        if limit.learners_served_without is not None:
            left = result.learners - len(result.plans)
            lines.append(f"{limit.limit}: leaves {plural(left, 'learner')} without a plan (without it "
                         f"{limit.learners_served_without} of {result.learners} have one"
                         + (f", in {limit.hours_without} hours)" if limit.hours_without is not None else ")"))
        elif limit.cost_hours is None:
            lines.append(f"{limit.limit}: its cost is not proven (a time limit stopped the solve without it)")
        else:
            lines.append(f"{limit.limit}: costs {limit.cost_hours} hours (without it: {limit.hours_without})")
    for learner in result.unserved:
        lines.append(f"no plan for {learner.id} ({learner.qualification}): {learner.reason}")
    if result.funding is not None:
        margin = (f"; margin {pounds(result.margin)} ({pounds(result.margin_per_learner)} a learner)"
                  if result.margin is not None else "; give a cost per GLH for the margin")
        lines.append(f"funding {pounds(result.funding)} ({pounds(result.funding / max(1, len(result.plans)))} a "
                     f"learner, {pounds(result.funding / result.hours_taught) if result.hours_taught else '-'} an "
                     "hour taught)" + margin)
    return lines + [f"  note: {note}" for note in result.notes]
