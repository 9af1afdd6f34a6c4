"""A draft qualification file from a specification: the qualification chosen (a document may
describe several), its title, awarder and level, its units, groups and rules, each value with the
line and words it was read from, and a review list of what roc could not read with confidence.
The draft is in roc's schema, so the loader, lint and the solver check it at once."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models import InputError

from .document import Line, read_document
from .rules import ReadGroup, ReadRules, published_of, read_rules
from .units import ReadUnit, block_units, table_units

NUMBER = re.compile(r"\b(\d{3})\s*/\s*(\d{4})\s*/\s*([0-9Xx])\b")
KIND = r"(?:Extended Certificate|Subsidiary Diploma|Award|Certificate|Diploma)"
TITLE = re.compile(rf"([A-Z][\w’'&.-]*(?:\s[\w’'&.-]+){{0,4}}?\s(?:Entry\s)?Level\s[1-8]\s{KIND}\s(?:in|for|of)\s"
                   r"[A-Za-z’'&,() -]+?)\s*(?:\bQN\b|\(|:|$)")


@dataclass
class Draft:
    data: dict[str, Any]
    review: list[str] = field(default_factory=list)
    provenance: list[str] = field(default_factory=list)  # "credits: line 161: 'Minimum credits: ...'"


def words(line: Line, limit: int = 120) -> str:
    text = " ".join(line.text.replace("\t", " | ").split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def source(document: str, line: Line) -> dict[str, str]:
    return {"document": document, "section": line.where, "note": f"read from: {words(line)}"}


def draft_spec(path: Path, number: str | None = None) -> Draft:
    lines = read_document(path)
    chosen, kind = _chosen(lines, number, path)
    title, title_line = _title(lines, kind, path)
    section = _section(lines, title, kind)
    draft_review = _variants(lines, title)
    draft = Draft({"number": chosen.group(0).replace(" ", "")})
    number_line = _line_of(lines, chosen.group(0))
    draft.provenance.append(f"number: {number_line.where}: {words(number_line)}")
    draft.data |= {"title": title, "awarder": _awarder(lines, title), "level": _level(title)}
    draft.provenance.append(f"title, awarder, level: {title_line.where}: {words(title_line)}")
    rules = read_rules(section, lines)
    _borrow(draft, rules, lines)
    units = _units(lines)
    _published(draft, lines, kind, min((u.line.number for u in units.values()), default=len(lines) + 1))
    draft.data["source"] = {"document": path.name, "section": section[0].where if section else "whole document",
                            "note": "drafted by roc import spec: check every value against the document"}
    _credits(draft, rules)
    _tqt_against_credits(draft)
    draft.data["units"] = _unit_entries(draft, rules, units, path.name)
    draft.data["corrections"] = _credit_corrections(draft, path.name)
    draft.data["groups"] = _group_entries(draft, rules, units, path.name)
    draft.data["level_quotas"] = [{"id": f"{g} at {lv}", "credits": {"min": c}, "levels": {"min": lv, "max": lv},
                                   "groups": [g], "source": source(path.name, line)}
                                  for g, c, lv, line in rules.quotas]
    draft.data["barred"] = [{"units": [a, b], "source": source(path.name, line)} for a, b, line in rules.barred]
    draft.review += _barred_doubts(rules, units)
    draft.review += [f"{line.where}: not read: {words(line)}" for line in rules.unread] + rules.notes + draft_review
    return draft


def _barred_doubts(rules: ReadRules, units: dict[str, ReadUnit]) -> list[str]:
    """Each barred pair's reference printed unlike its unit (check letter, slash), or naming a
    unit the draft does not have."""
    from models import UnitRef

    known = {UnitRef.parse(ref).digits: ref for ref in units}
    doubts = []
    for pair in rules.barred:
        for printed in pair[:2]:
            ref = UnitRef.parse(printed)
            if ref.digits not in known:
                doubts.append(f"barred pair at {pair[2].where}: {printed} is not a unit of this document's tables")
            elif printed != known[ref.digits] or printed != ref.normalised:
                doubts.append(f"barred pair at {pair[2].where}: {printed} is printed unlike the unit "
                              f"{known[ref.digits]}")
    return doubts


def _borrow(draft: Draft, rules: ReadRules, lines: list[Line]) -> None:
    """A group whose heading has no units under it in this qualification's section takes the
    units of the same group printed elsewhere in the document (a table shared by several
    qualifications), saying so for review."""
    empty = [g for g in rules.groups.values() if not g.refs and not g.numbers]
    if not empty:
        return
    whole = read_rules(lines, lines)
    for group in empty:
        other = whole.groups.get(group.id)
        if other is not None and (other.refs or other.numbers):
            group.refs, group.numbers = list(other.refs), list(other.numbers)
            draft.review.append(f"group {group.id}: its units were read from the table under {other.line.where}, "
                                "printed outside this qualification's section; check they belong to it")
        elif not group.credits and not group.count:  # a heading with nothing under it and no rule: not a group
            del rules.groups[group.id]
            draft.review.append(f"{group.line.where}: '{words(group.line, 60)}' reads like a group heading, but no "
                                "unit or rule follows it: left out")


def _variants(lines: list[Line], title: str) -> list[str]:
    """Titles printed with one word changed (a misprint?): each is listed for review."""
    words_of = title.split()
    found = []
    for line in lines:
        for match in TITLE.finditer(line.text.replace("*", "")):
            other = " ".join(match.group(1).split()).split()
            changed = [(a, b) for a, b in zip(other, words_of) if a != b]
            if len(other) == len(words_of) and len(changed) == 1 and not re.fullmatch(KIND, changed[0][0]):
                found.append(f"{line.where}: the title is printed '{' '.join(other)}' here (a misprint?)")
    return found


def _chosen(lines: list[Line], number: str | None, path: Path) -> tuple[re.Match[str], str | None]:
    found: dict[str, re.Match[str]] = {}
    for line in lines:
        for match in NUMBER.finditer(line.text):
            found.setdefault(match.group(0).replace(" ", ""), match)
    if not found:
        raise InputError("no Ofqual qualification number (such as 601/4404/X) in the document", file=str(path))
    if number is None and len(found) > 1:
        raise InputError(f"the document names {len(found)} qualifications ({', '.join(found)}): choose one with "
                         "--qualification", file=str(path), field="qualification")
    key = number.upper() if number else next(iter(found))
    if key not in found:
        raise InputError(f"{number} is not in the document (it names {', '.join(found)})", file=str(path),
                         field="qualification")
    match = found[key]
    kind = None
    if len(found) > 1:
        line = _line_of(lines, match.group(0))
        before = line.text[:line.text.find(match.group(0))]
        named = re.findall(KIND, before.split(",")[-1].split(";")[-1], re.I) or re.findall(KIND, line.text, re.I)
        kind = named[-1].title() if named else None
    return match, kind


def _line_of(lines: list[Line], text: str) -> Line:
    return next(line for line in lines if text in line.text)


def _title(lines: list[Line], kind: str | None, path: Path) -> tuple[str, Line]:
    seen: Counter[str] = Counter()
    first: dict[str, Line] = {}
    alone: set[str] = set()  # printed as a heading of its own
    for line in lines:
        for part in re.split(r"\t|\|", line.text.replace("*", "")):
            match = TITLE.search(part.strip())
            if match and " and " not in match.group(1) and (kind is None or re.search(rf"\b{kind}\b", match.group(1))):
                title = " ".join(match.group(1).split())
                seen[title] += 1
                first.setdefault(title, line)
                if _plain(line) == title:
                    alone.add(title)
    if not seen:
        raise InputError("no qualification title (such as 'NCFE Level 1 Certificate in Customer Service') in the "
                         "document", file=str(path))
    title = max(seen, key=lambda t: (t in alone, seen[t], -first[t].number))
    return title, first[title]


def _plain(line: Line) -> str:
    return " ".join(line.text.replace("\t", " ").replace("*", "").strip(" #").split())


def _section(lines: list[Line], title: str, kind: str | None) -> list[Line]:
    """The lines about this qualification: all of them, or for one of several, from its title's
    last standalone heading to the next qualification's."""
    if kind is None:
        return lines
    heads = [i for i, line in enumerate(lines) if _plain(line) == title]
    if not heads:
        return lines
    start, prefix = heads[-1], title.split()[0]
    others = [i for i, line in enumerate(lines) if i > start and _plain(line).startswith(prefix + " ")
              and TITLE.fullmatch(_plain(line)) and _plain(line) != title]
    return lines[start:others[0] if others else len(lines)]


def _awarder(lines: list[Line], title: str) -> str:
    text = "\n".join(line.text for line in lines[:400])
    named = re.search(r"awarding (?:body|organisation) for this qualification is ([A-Z]\w+)", text) or \
        re.search(r"^([A-Z][\w]+(?: [A-Z][\w]+)?) is an? [^.\n]{0,80}awarding (?:organisation|body)", text, re.M)
    return named.group(1) if named else title.split(" Level ")[0].split(" Entry ")[0].strip()


def _level(title: str) -> str:
    entry = re.search(r"Entry Level ([1-3])", title)
    return f"E{entry.group(1)}" if entry else "L" + re.search(r"Level ([1-8])", title).group(1)  # type: ignore[union-attr]


def _published(draft: Draft, lines: list[Line], kind: str | None, units_from: int) -> None:
    found = published_of(lines, kind, units_from)
    published: dict[str, int] = {}
    if "glh_max" in found:
        published |= {"glh_min": found["glh"][0], "glh_max": found["glh_max"][0]}
    elif "glh" in found:
        published["glh"] = found["glh"][0]
    for name in ("tqt", "credits"):
        if name in found:
            published[name] = found[name][0]
    draft.data["published"] = published
    draft.provenance += [f"published.{name}: {line.where}: {words(line)}" for name, (_, line) in found.items()]
    if "glh" not in found:
        draft.review.append("published GLH: not found in the document")


def _credits(draft: Draft, rules: ReadRules) -> None:
    if rules.credits:
        draft.data["credits"] = rules.credits
        draft.provenance += [f"credits: {line.where}: {words(line)}" for line in rules.credit_lines]
    else:
        draft.review.append("the qualification's total credits: no sentence read (such as 'a minimum of 23 "
                            "credits'); add credits: {min: N} if the document gives one")


def _tqt_against_credits(draft: Draft) -> None:
    """A credit is ten hours of TQT: a published TQT that is not ten times the credits is flagged
    (the seeds swap two qualifications' TQT figures)."""
    tqt, credits = draft.data["published"].get("tqt"), draft.data.get("credits", {})
    value = credits.get("exact") or credits.get("min") or draft.data["published"].get("credits")
    if tqt is not None and value and tqt != value * 10:
        draft.review.append(f"published TQT {tqt} is not ten times the {value} credits ({value * 10}): a misprint, "
                            "or another qualification's figure?")


def _units(lines: list[Line]) -> dict[str, ReadUnit]:
    found: dict[str, ReadUnit] = {}
    for unit in table_units(lines) + block_units(lines):
        found.setdefault(unit.ref, unit)
    return found


def _unit_entries(draft: Draft, rules: ReadRules, units: dict[str, ReadUnit], document: str) -> list[dict[str, Any]]:
    wanted = [ref for group in rules.groups.values() for ref in _refs_of(group, units)]
    if not wanted:
        wanted = list(units)
        draft.review.append("no group heading was read: every unit in the document is in the draft")
    entries = []
    for ref in dict.fromkeys(wanted):
        unit = units.get(ref)
        if unit is None:
            draft.review.append(f"unit {ref}: named in a group but no row or block of it was read")
            continue
        entries.append(_unit_entry(draft, unit, document))
    return entries


def _unit_entry(draft: Draft, unit: ReadUnit, document: str) -> dict[str, Any]:
    from models import UnitRef

    entry: dict[str, Any] = {"ref": unit.ref, "title": unit.title or "(title not read)",
                             "level": unit.level or draft.data["level"], "credits": unit.credits,
                             "glh": unit.glh if unit.glh is not None else 0}
    if unit.tqt is not None:
        entry["tqt"] = unit.tqt
    if unit.code:
        entry["code"] = unit.code
    entry["source"] = source(document, unit.line)
    missing = [name for name in ("title", "level", "credits", "glh") if getattr(unit, name) is None]
    if missing:
        draft.review.append(f"unit {unit.ref}: {', '.join(missing)} not read ({unit.line.where})")
    draft.review += [f"unit {unit.ref}: {doubt} ({unit.line.where})" for doubt in unit.doubts]
    ref = UnitRef.parse(unit.ref)
    if ref.check != ref.expected_check or ref.printed.strip() != ref.normalised:
        draft.review.append(f"unit {unit.ref}: printed so; its digits call for {ref.corrected} ({unit.line.where})")
    return entry


def _credit_corrections(draft: Draft, document: str) -> list[dict[str, Any]]:
    """A unit printed without a credit value gets one only through a recorded correction, never
    silently: TQT / 10 (Ofqual's General Conditions E8.2) from the unit's own TQT, or from the
    qualification's when it is the only unit."""
    units, tqt = draft.data["units"], draft.data.get("published", {}).get("tqt")
    found = []
    for unit in units:
        if unit["credits"] is not None:
            continue
        hours = unit.get("tqt") or (tqt if len(units) == 1 else None)
        if hours is None or hours % 10:
            continue
        found.append({"field": f"units[{unit['ref']}].credits", "printed": None, "value": hours // 10,
                      "reason": f"drafted: no credit value is printed; a credit value is TQT / 10 and "
                                f"{'its' if unit.get('tqt') else 'the qualification'}'s TQT is {hours}",
                      "source": {"document": document, "section": unit["source"]["section"]}})
        draft.review.append(f"unit {unit['ref']}: credits {hours // 10} are TQT / 10, recorded as a correction")
    return found


def _refs_of(group: ReadGroup, units: dict[str, ReadUnit]) -> list[str]:
    """A group's units: the references under its heading, and those of the units its list names
    by number ("Unit 01"), once each in order."""
    by_number = {u.number: ref for ref, u in units.items() if u.number}
    return list(dict.fromkeys(group.refs + [by_number[n] for n in group.numbers if n in by_number]))


def _group_entries(draft: Draft, rules: ReadRules, units: dict[str, ReadUnit], document: str
                   ) -> list[dict[str, Any]]:
    entries = []
    for group in rules.groups.values():
        refs = _refs_of(group, units)
        entry: dict[str, Any] = {"id": group.id, "title": group.title}
        if group.mandatory:
            entry["mandatory"] = True
            total = sum(units[r].credits or 0 for r in refs if r in units)
            stated = group.credits.get("exact") or group.credits.get("min")
            if stated is not None and stated != total:
                draft.review.append(f"group {group.id}: the document says {stated} credits; its mandatory units "
                                    f"carry {total}")
        else:
            entry |= {k: v for k, v in (("credits", group.credits), ("count", group.count)) if v}
        if not refs:
            draft.review.append(f"group {group.id}: no units read under its heading ({group.line.where})")
        entry["units"] = refs
        entry["source"] = source(document, group.bound_lines[0] if group.bound_lines else group.line)
        entries.append(entry)
    return entries


def draft_text(draft: Draft) -> str:
    """The draft as a qualification file: a header saying where each top-level value was read and
    what to review, then the file (every unit, group, quota and barred pair with its own source)."""
    import yaml

    head = ["# DRAFT by `roc import spec`: every value says where in the document it was read.",
            "# Check them against the document, mend what the review list names, then use the file.", "#",
            "# Read from:"] + [f"#   {p}" for p in draft.provenance]
    head += ["#", "# REVIEW:" if draft.review else "# Nothing flagged for review."]
    head += [f"#   - {item}" for item in draft.review]
    body = yaml.safe_dump(draft.data, sort_keys=False, allow_unicode=True, width=110)
    return "\n".join(head) + "\n" + body
