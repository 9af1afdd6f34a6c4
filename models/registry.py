"""The rules of combination of a qualification as one ordered registry.

`rules_of(qual)` walks the specification once, in the order it is written (total credits; each
group's mandatory units, credits and unit count; level quotas; barred pairs) and gives each rule a
key that is unique by construction. Every reader of rules uses it: the compiler posts it, `check`
evaluates it, what-if edits a linear rule's bounds by key, `show` prints it, conflicts name it.

Linear rules are `sum(weigh(unit) for chosen units in scope) within bounds`: total credits, group
credits, group unit count, level quota credits. A rule with open bounds is kept (a what-if
scenario may give it a bound) but can never be broken.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from .rules import BarredPair, Bounds, Group, LevelQuota
from .units import Unit

if TYPE_CHECKING:  # pragma: no cover
    from .qualification import Qualification
    from .refs import UnitRef


class RuleKind(str, Enum):
    """What kind of rule (or choice) a key names; also the kind of a broken rule in `roc check`."""

    credits = "credits"
    group_credits = "group-credits"
    group_count = "group-count"
    mandatory = "mandatory"
    level_quota = "level-quota"
    barred = "barred"
    include = "include"
    exclude = "exclude"
    target = "target"
    not_in_qualification = "not-in-qualification"


def _credits(unit: Unit) -> int:
    return unit.credits


def _one(unit: Unit) -> int:
    return 1


def _always(unit: Unit) -> bool:
    return True


@dataclass(frozen=True)
class LinearRule:
    """sum(weigh(u) for the chosen units u in scope) within bounds.

    `scope` holds the digits of the units the rule has a term for, in the qualification's unit
    order; `counts(u)` says whether a unit in scope counts toward it (a level quota's units at the
    right level: the rest keep a term of weight 0, so a scenario may change a unit's level)."""

    key: str
    kind: RuleKind
    label: str  # "total", "group B", "level quota 1": how `roc check` starts its sentence
    noun: str  # "credits", "units", "credits at Level 1 from group B"
    text: str  # the rule in words
    scope: tuple[str, ...]
    bounds: Bounds | None
    path: str  # where its bounds sit in a qualification file: "credits", "groups[1].count", ...
    counts: Callable[[Unit], bool] = _always
    unit_weight: Callable[[Unit], int] = _credits

    def weigh(self, unit: Unit) -> int:
        """The unit's coefficient in this rule (0 when it does not count)."""
        return self.unit_weight(unit) if self.counts(unit) else 0

    @property
    def is_open(self) -> bool:
        return self.bounds is None or self.bounds.is_open

    def counted(self, chosen: Iterable[Unit]) -> list[Unit]:
        """The chosen units that count toward this rule."""
        scope = set(self.scope)
        return [u for u in chosen if u.ref.digits in scope and self.counts(u)]

    def total(self, chosen: Iterable[Unit]) -> int:
        return sum(self.unit_weight(u) for u in self.counted(chosen))


@dataclass(frozen=True)
class MandatoryRule:
    """A unit every valid set must contain."""

    key: str
    group: str
    unit: Unit
    text: str
    kind: RuleKind = RuleKind.mandatory


@dataclass(frozen=True)
class BarredRule:
    """Two units that may not be taken together (both units of the qualification)."""

    key: str
    units: tuple[Unit, Unit]
    text: str
    kind: RuleKind = RuleKind.barred


Rule = LinearRule | MandatoryRule | BarredRule


@dataclass(frozen=True)
class RuleSet:
    """Every rule of a qualification, in the order the specification writes them."""

    rules: tuple[Rule, ...]
    by_key: dict[str, Rule] = field(repr=False)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    @property
    def linear(self) -> list[LinearRule]:
        return [r for r in self.rules if isinstance(r, LinearRule)]


class DuplicateRuleKey(ValueError):
    """Two rules of one qualification would share a key."""


# -- keys: the names `roc check`, conflicts, what-if scenarios and `show` use for a rule -------------
def mandatory_key(group_id: str, ref: "UnitRef") -> str:
    return f"group {group_id} mandatory {ref}"


def group_key(group_id: str, kind: str) -> str:
    """kind: "credits" or "count"."""
    return f"group {group_id} {kind}"


def quota_key(quota: LevelQuota, position: int) -> str:
    return f"level quota {quota.id or position + 1}"


def barred_key(a: "UnitRef", b: "UnitRef") -> str:
    return f"barred {a} {b}"


def include_key(ref: "UnitRef") -> str:
    return f"include {ref}"


def exclude_key(ref: "UnitRef") -> str:
    return f"exclude {ref}"


# -- the walk over the specification -----------------------------------------------------------------
def _credit_total(qual: "Qualification") -> Iterable[Rule]:
    # "Minimum credits: 13" / "learners must complete 23 credits in total"
    yield LinearRule("credits", RuleKind.credits, "total", "credits",
                     f"total credits: {qual.credits.describe('credits')}",
                     tuple(u.ref.digits for u in qual.units), qual.credits, "credits")


def _group(qual: "Qualification", group: "Group", position: int) -> Iterable[Rule]:
    members = [qual.unit(ref) for ref in group.units]
    scope = tuple(u.ref.digits for u in members if u is not None)
    if group.mandatory:
        # "learners must take the following mandatory units"
        for unit in members:
            assert unit is not None  # the Qualification validator checks group members
            yield MandatoryRule(mandatory_key(group.id, unit.ref), group.id, unit,
                                f"group {group.id}: mandatory unit {unit.ref}")
    # "a minimum of 6 credits must be taken from Optional Group B"
    credits = group.credits or Bounds()
    yield LinearRule(group_key(group.id, "credits"), RuleKind.group_credits, f"group {group.id}", "credits",
                     f"group {group.id}: {credits.describe('credits')}", scope, group.credits,
                     f"groups[{position}].credits")
    count = group.count or Bounds()
    yield LinearRule(group_key(group.id, "count"), RuleKind.group_count, f"group {group.id}", "units",
                     f"group {group.id}: {count.describe('units')}", scope, group.count,
                     f"groups[{position}].count", unit_weight=_one)


def quota_scope(qual: "Qualification", quota: LevelQuota) -> list[Unit]:
    """The units a level quota looks at: the named groups' units, or every unit."""
    if quota.groups is None:
        return list(qual.units)
    digits = {ref.digits for name in quota.groups for ref in qual.group_by_id[name].units}
    return [u for u in qual.units if u.ref.digits in digits]


def _level_quota(qual: "Qualification", quota: LevelQuota, position: int) -> Iterable[Rule]:
    # "2 credits required which must be at Level 1"
    key = quota_key(quota, position)
    scope = f" from group {', '.join(quota.groups)}" if quota.groups else ""
    levels = quota.levels
    yield LinearRule(key, RuleKind.level_quota, key, f"credits {levels.describe()}{scope}",
                     f"{key}: {quota.credits.describe('credits')}{scope} {levels.describe()}",
                     tuple(u.ref.digits for u in quota_scope(qual, quota)), quota.credits,
                     f"level_quotas[{position}].credits", counts=lambda unit: levels.contains(unit.level))


def _barred(qual: "Qualification", pair: "BarredPair") -> Iterable[Rule]:
    # "May not be taken with". A pair naming a unit outside the qualification cannot bind (`roc lint`
    # reports it), nor can a pair naming one unit twice.
    a, b = (qual.unit(ref) for ref in pair.units)
    if a is None or b is None or a.ref == b.ref:
        return
    yield BarredRule(barred_key(a.ref, b.ref), (a, b), f"barred: {a.ref} may not be taken with {b.ref}")


def rules_of(qual: "Qualification") -> RuleSet:
    """The registry of `qual`'s rules. Raises DuplicateRuleKey when two rules would share a key
    (the Qualification validator turns that into an error naming the place); a barred pair
    printed twice is one rule."""
    rules: list[Rule] = []
    by_key: dict[str, Rule] = {}

    def add(found: Iterable[Rule], where: str) -> None:
        for rule in found:
            if rule.key in by_key:
                raise DuplicateRuleKey(f"{where}: its rule key {rule.key!r} is also the key of an earlier "
                                       f"rule; give it an id of its own")
            by_key[rule.key] = rule
            rules.append(rule)

    add(_credit_total(qual), "credits")
    for i, group in enumerate(qual.groups):
        add(_group(qual, group, i), f"groups[{i}]")
    for i, quota in enumerate(qual.level_quotas):
        add(_level_quota(qual, quota, i), f"level_quotas[{i}]")
    for i, pair in enumerate(qual.barred):
        # the same pair printed twice is one rule (printed both ways round, it is two)
        add([rule for rule in _barred(qual, pair) if rule.key not in by_key], f"barred[{i}]")
    return RuleSet(tuple(rules), by_key)
