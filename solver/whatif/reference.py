"""The reference path for what-if scenarios: a new qualification with the scenario's changes,
compiled from scratch. Slow, and obviously right: the tests compare the template against it."""

from __future__ import annotations

import re

from pydantic import ValidationError

from models import InputError, Qualification, Scenario, UnitRef, UnknownRule, UnknownUnit

from .template import changed_unit

_STEP = re.compile(r"^(?P<name>\w+)(?:\[(?P<index>\d+)\])?$")


def _holder(data: dict, path: str) -> tuple[dict, str]:
    """The dict that holds the last step of a rule's path ("groups[1].count") in raw data."""
    *steps, last = path.split(".")
    node = data
    for step in steps:
        match = _STEP.match(step)
        assert match is not None
        node = node[match["name"]]
        if match["index"] is not None:
            node = node[int(match["index"])]
    return node, last


def apply_scenario(qual: Qualification, scenario: Scenario) -> tuple[Qualification, list, list]:
    """A new qualification with the scenario's changes, and the include and exclude lists to plan
    it with. Achieved units cost no more hours: their GLH and TQT become 0 (their credits count)."""
    data = qual.model_dump(mode="json", exclude={"corrections"})
    by_digits = {UnitRef.parse(u["ref"]).digits: u for u in data["units"]}
    for ref, change in scenario.units.items():
        unit = qual.unit(ref)
        if unit is None:
            raise UnknownUnit(f"unit {ref} is not part of {qual.number}", field=f"units[{ref}]")
        by_digits[unit.ref.digits].update(changed_unit(unit, change).model_dump(mode="json", exclude_none=True))
    for done in scenario.achieved:
        if done.digits in by_digits:
            by_digits[done.digits].update(glh=0, tqt=0)
    linear = {rule.key: rule for rule in qual.rules.linear}
    for rule_change in scenario.rules:
        if rule_change.rule not in linear:
            raise UnknownRule(f"no rule {rule_change.rule!r} in {qual.number}", field="rules")
        holder, name = _holder(data, linear[rule_change.rule].path)
        bounds = dict(holder.get(name) or {})
        bounds.pop("exact", None)
        for side in ("min", "max"):
            if side in rule_change.model_fields_set:
                bounds[side] = getattr(rule_change, side)
        holder[name] = {k: v for k, v in bounds.items() if v is not None}
    try:
        changed = Qualification.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"the scenario's changes contradict the rules: {exc.errors()[0]['msg']}") from None
    return changed, list(scenario.include), list(scenario.withdraw) + list(scenario.exclude)
