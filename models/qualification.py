"""A regulated qualification: its units, its rules of combination, and what its specification printed."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .errors import UnknownUnit
from .figures import Bound
from .levels import LevelField
from .refs import QualNumber, UnitRef
from .registry import DuplicateRuleKey, RuleSet, rules_of
from .rules import BarredPair, Bounds, Group, LevelQuota, Source
from .units import Unit


class Published(BaseModel):
    """Figures as the specification prints them (after any recorded correction)."""

    model_config = ConfigDict(extra="forbid")

    glh: Bound | None = Field(default=None, description="a single GLH figure")
    glh_min: Bound | None = None
    glh_max: Bound | None = None
    tqt: Bound | None = None
    credits: Bound | None = None

    @property
    def glh_range(self) -> tuple[int, int] | None:
        if self.glh_min is not None or self.glh_max is not None:
            low = self.glh_min if self.glh_min is not None else self.glh_max
            high = self.glh_max if self.glh_max is not None else self.glh_min
            assert low is not None and high is not None
            return low, high
        if self.glh is not None:
            return self.glh, self.glh
        return None


class Correction(BaseModel):
    """A figure the specification printed wrongly, what roc uses instead, and why.

    `field` is a path into the qualification file: `published.tqt`, `units[Y/501/4375].credits`.
    The file keeps the printed value in place; loading checks it still matches `printed`, then
    uses `value`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str
    printed: Any = None
    value: Any
    reason: str = Field(min_length=1)
    source: Source | None = None


_STEP = re.compile(r"^(?P<name>[A-Za-z_]+)(?:\[(?P<key>[^\]]+)\])?$")


def _locate(data: dict[str, Any], path: str) -> tuple[dict[str, Any], str]:
    """Find the dict holding the last step of `path` inside raw file data."""
    steps = path.split(".")
    node: Any = data
    for step in steps[:-1]:
        match = _STEP.match(step)
        if not match or not isinstance(node, dict) or match["name"] not in node:
            raise ValueError(f"correction field {path!r}: no {step!r} in the file")
        node = node[match["name"]]
        if match["key"] is not None:
            node = _find_item(node, match["key"], path)
    if not isinstance(node, dict):
        raise ValueError(f"correction field {path!r} does not name a value")
    return node, steps[-1]


def _find_item(items: Any, key: str, path: str) -> dict[str, Any]:
    if not isinstance(items, list):
        raise ValueError(f"correction field {path!r}: {key!r} indexes something that is not a list")
    wanted = _ref_digits(key)
    for item in items:
        if isinstance(item, dict) and (item.get("id") == key or _ref_digits(item.get("ref")) == wanted):
            return item
    raise ValueError(f"correction field {path!r}: no item {key!r}")


def _ref_digits(value: Any) -> str | None:
    try:
        return str(UnitRef.parse(value).digits)
    except ValueError:
        return None


class Qualification(BaseModel):
    """A regulated qualification: its units, its rules of combination (total credits, groups,
    level quotas, barred pairs), the figures its specification published, where each came from,
    and the corrections roc applies to misprinted figures (the file keeps what was printed).

    Units are matched by the seven digits of their reference, so a reference printed with another
    check letter still names the same unit. `rules` is the registry every reader of rules uses."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: QualNumber
    title: str = Field(min_length=1)
    awarder: str = Field(min_length=1)
    level: LevelField
    published: Published = Published()
    source: Source
    credits: Bounds = Bounds()
    units: list[Unit] = Field(min_length=1)
    groups: list[Group] = []
    level_quotas: list[LevelQuota] = []
    barred: list[BarredPair] = []
    corrections: list[Correction] = []

    @model_validator(mode="before")
    @classmethod
    def _apply_corrections(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not data.get("corrections"):
            return data
        data = copy.deepcopy(data)
        for i, correction in enumerate(data["corrections"]):
            if not isinstance(correction, dict) or "field" not in correction:
                continue  # field validation reports it
            holder, name = _locate(data, str(correction["field"]))
            printed, current = correction.get("printed"), holder.get(name)
            if current != printed:
                raise ValueError(
                    f"corrections[{i}]: the file has {name} = {current!r} but the correction says "
                    f"{printed!r} was printed; keep the printed value in place"
                )
            holder[name] = correction.get("value")
        return data

    @model_validator(mode="after")
    def _check_references(self) -> "Qualification":
        seen: dict[str, int] = {}
        for i, unit in enumerate(self.units):
            if unit.ref.digits in seen:
                first = self.units[seen[unit.ref.digits]].ref.printed
                raise ValueError(f"units[{unit.ref}]: listed twice in units, as units[{seen[unit.ref.digits]}] "
                                 f"({first}) and units[{i}] ({unit.ref.printed})")
            seen[unit.ref.digits] = i
        group_ids = set()
        for i, group in enumerate(self.groups):
            if group.id in group_ids:
                raise ValueError(f"groups[{group.id}]: group id {group.id!r} is used twice (groups[{i}])")
            group_ids.add(group.id)
            in_group: dict[str, int] = {}
            for j, ref in enumerate(group.units):
                if ref.digits in in_group:
                    raise ValueError(f"groups[{group.id}].units: {ref.printed} is listed twice in group "
                                     f"{group.id} (units[{in_group[ref.digits]}] and units[{j}])")
                in_group[ref.digits] = j
                if ref.digits not in seen:
                    raise ValueError(
                        f"groups[{group.id}].units: {ref.printed} is not in this file's units list"
                    )
        for i, quota in enumerate(self.level_quotas):
            for name in quota.groups or ():
                if name not in group_ids:
                    raise ValueError(f"level_quotas[{i}].groups: no group {name!r}")
        try:
            self.rules  # noqa: B018 -- builds the registry, which checks that rule keys are unique
        except DuplicateRuleKey as exc:
            raise ValueError(str(exc)) from None
        return self

    @cached_property
    def rules(self) -> RuleSet:
        """Every rule of combination, in the order the specification writes them, by unique key."""
        return rules_of(self)

    # -- indexes --------------------------------------------------------------------------------
    @cached_property
    def unit_by_digits(self) -> dict[str, Unit]:
        return {unit.ref.digits: unit for unit in self.units}

    def unit(self, ref: UnitRef | str) -> Unit | None:
        """The unit with this reference, matched by its digits (check letter may differ)."""
        parsed = UnitRef.parse(ref) if isinstance(ref, str) else ref
        return self.unit_by_digits.get(parsed.digits)

    def resolve(self, refs: Iterable[UnitRef | str], field: str) -> list[Unit]:
        """The units of this qualification that `refs` name (by digits). A reference that is not
        one, or names no unit of this qualification, is an error naming `field`."""
        found = []
        for ref in UnitRef.parse_all(refs, field):
            unit = self.unit_by_digits.get(ref.digits)
            if unit is None:
                raise UnknownUnit(f"unit {ref} is not part of {self.number}", field=field)
            found.append(unit)
        return found

    @cached_property
    def group_by_id(self) -> dict[str, Group]:
        return {group.id: group for group in self.groups}

    @cached_property
    def _groups_by_digits(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {unit.ref.digits: [] for unit in self.units}
        for group in self.groups:
            for ref in group.units:
                ids = found.setdefault(ref.digits, [])
                if group.id not in ids:  # a unit listed twice in one group is in it once
                    ids.append(group.id)
        return found

    def groups_of(self, ref: UnitRef) -> list[str]:
        """The ids of the groups that list this unit, in the order the groups are written."""
        return self._groups_by_digits.get(ref.digits, [])

    def all_refs(self) -> list[tuple[str, UnitRef]]:
        """Every unit reference in the file with the field it sits in."""
        found: list[tuple[str, UnitRef]] = [(f"units[{i}].ref", u.ref) for i, u in enumerate(self.units)]
        for i, group in enumerate(self.groups):
            found += [(f"groups[{i}].units[{j}]", ref) for j, ref in enumerate(group.units)]
        for i, pair in enumerate(self.barred):
            found += [(f"barred[{i}][{j}]", ref) for j, ref in enumerate(pair.units)]
        return found

    def printed(self, field: str) -> Any:
        """The value printed for a corrected field, else None."""
        for correction in self.corrections:
            if correction.field == field:
                return correction.printed
        return None

    def is_corrected(self, field: str) -> bool:
        return any(c.field == field for c in self.corrections)

    def file_data(self) -> dict[str, Any]:
        """This qualification as a qualification file holds it: the schema's keys, and each
        corrected figure as printed (the load applies the corrections again). It loads back."""
        data = self.model_dump(mode="json", exclude_none=True, by_alias=True)
        for unit, entry in zip(self.units, data["units"]):
            if not unit.tqt_printed:  # credits x 10: written as a figure it would read as printed
                entry.pop("tqt", None)
        for correction in self.corrections:
            holder, name = _locate(data, correction.field)
            if correction.printed is None:
                holder.pop(name, None)
            else:
                holder[name] = correction.printed
        return data

    def as_printed(self, field: str, value: Any) -> Any:
        """`value` (a figure roc uses) as the specification printed it, before any correction."""
        return self.printed(field) if self.is_corrected(field) else value

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
