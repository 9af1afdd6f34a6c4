"""Restrictions in a planner's terms as the units they rule out: no unit above a level, none at
some levels, none from a group, none whose title mentions a word. No solver here."""

from __future__ import annotations

from collections.abc import Sequence

from models import InputError, Level, Qualification, UnitRef, did_you_mean


def _levels(texts: Sequence[str], option: str) -> list[Level]:
    try:
        return [Level.parse(text) for text in texts]
    except ValueError as exc:
        raise InputError(str(exc), field=option) from None


def _group(qual: Qualification, name: str) -> str:
    """The id of the group `name` means: as written, or in any case when one group's id matches."""
    if name in qual.group_by_id:
        return name
    folded = [g for g in qual.group_by_id if g.casefold() == name.casefold()]
    if len(folded) == 1:
        return folded[0]
    raise InputError(f"no group {name!r} in {qual.number}{did_you_mean(name, qual.group_by_id)} (groups: "
                     f"{', '.join(qual.group_by_id)})", field="exclude_group")


def restricted_units(qual: Qualification, exclude_levels: Sequence[str] = (), max_level: str | None = None,
                     exclude_groups: Sequence[str] = (), exclude_titles: Sequence[str] = ()
                     ) -> tuple[list[str], list[UnitRef]]:
    """The restrictions in words, and the units they rule out."""
    levels, top = _levels(exclude_levels, "exclude_level"), _levels([max_level], "max_level") if max_level else []
    for text in exclude_titles:
        if not text.strip():
            raise InputError("an empty title word is in every title: it would rule out every unit; give a word",
                             field="exclude_title")
    exclude_groups = [_group(qual, name) for name in exclude_groups]
    words = ([f"no unit above {top[0].label}"] if top else []) + [f"no unit at {lv.label}" for lv in levels]
    words += [f"nothing from group {g}" for g in exclude_groups]
    for text in exclude_titles:  # a word no title has rules out nothing: said, as a typo would be
        found = any(text.lower() in unit.title.lower() for unit in qual.units)
        words.append(f"no title containing {text!r}" + ("" if found else " (no unit's title has it: nothing ruled out)"))
    ruled_out = []
    for unit in qual.units:
        if ((top and unit.level > top[0]) or unit.level in levels
                or any(unit.ref in qual.group_by_id[g].units for g in exclude_groups)
                or any(t.lower() in unit.title.lower() for t in exclude_titles)):
            ruled_out.append(unit.ref)
    return words, ruled_out
