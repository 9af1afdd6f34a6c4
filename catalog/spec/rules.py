"""Rules of combination as specifications word them: group headings ("Group B – Optional Units",
"Mandatory Group A", "Mandatory Units"), credit bounds ("a minimum of 6 credits from Group B", "A
maximum of 3 credits may be taken from Optional Group C"), level quotas ("2 credits required which
must be at Level 1, a further 2 credits ..."), barred pairs ("may not be taken with") and the
published figures. A sentence about credits that none of these reads is kept for review."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import REF_CELL, Line
from .units import REF_IN_TEXT, level_of

GROUP_HEAD = re.compile(r"^[\W_]*(?:(mandatory|optional)\s+)?group\s+([A-Z0-9]{1,3})\b\s*[-–—:]?\s*"
                        r"(mandatory|optional)?", re.I)
PLAIN_HEAD = re.compile(r"^[\W_]*(mandatory|optional)\s+units?\b", re.I)
BOUND = re.compile(r"(a minimum of|minimum of|at least|a maximum of|maximum of|up to|no more than|a total of|"
                   r"exactly)?\s*\**(\d+)\**\s+(credits?|units?)\s+(?:\w+\s+){0,3}?from\s+(?:the\s+)?"
                   r"(?:(?:mandatory|optional)\s+)?group\s+([A-Z0-9]{1,3})\b", re.I)
QUOTA = re.compile(r"(\d+)\s+credits?\s+required\s+which\s+must\s+be\s+at\s+((?:level|entry)\s*\d)"
                   r"(?:\s+or\s+above)?\W+a\s+further\s+(\d+)\s+credits?", re.I)
TOTAL_MIN = re.compile(r"(?:minimum credits\b.*?(?=\d+\W*$)|(?:a minimum of|minimum of|at least)\s+\**)(\d+)\**"
                       r"(?:\s+credits)?", re.I)
TOTAL_EXACT = re.compile(r"\**(\d+)\**\s+credits\s+in\s+total", re.I)
BARRED = re.compile(r"(?:may|must|can)\s*not\s+be\s+taken\s+with|barred", re.I)


@dataclass
class ReadGroup:
    id: str
    title: str
    line: Line
    mandatory: bool
    refs: list[str] = field(default_factory=list)  # as printed, in order
    numbers: list[str] = field(default_factory=list)  # "Unit 01" items of a list, for block units
    credits: dict[str, int] = field(default_factory=dict)
    count: dict[str, int] = field(default_factory=dict)
    bound_lines: list[Line] = field(default_factory=list)


@dataclass
class ReadRules:
    groups: dict[str, ReadGroup] = field(default_factory=dict)
    credits: dict[str, int] = field(default_factory=dict)
    credit_lines: list[Line] = field(default_factory=list)
    quotas: list[tuple[str, int, str, Line]] = field(default_factory=list)  # group, credits, level, line
    barred: list[tuple[str, str, Line]] = field(default_factory=list)
    unread: list[Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # read, with a doubt worth a reviewer's look


def heading_of(line: Line) -> tuple[str, str, bool] | None:
    """(id, title, mandatory) of a group heading line, or None."""
    cells = line.cells()
    text = next((c for c in cells if c), "") if cells else line.text
    text = text.replace("*", "").strip(" #")
    found = GROUP_HEAD.match(text)
    if found:
        kind = (found.group(1) or found.group(3) or "").lower()
        title = re.split(r"\s+(?:for|learners|credits)\b", text, maxsplit=1, flags=re.I)[0].strip(" -–—:")
        title = re.sub(r"^group\s+\w+\s*[-–—:]\s*", "", title, flags=re.I) or title
        return found.group(2).upper(), title, kind == "mandatory" or "mandatory" in text.lower()[:40]
    found = PLAIN_HEAD.match(text)
    if found and len(text) < 60:
        return found.group(1).capitalize(), text.strip(" -–—:"), found.group(1).lower() == "mandatory"
    return None


def read_rules(section: list[Line], everywhere: list[Line]) -> ReadRules:
    """Groups and bounds from the qualification's own section; barred pairs from the whole document
    (a table of them is often printed once for several qualifications)."""
    rules = ReadRules()
    for line in section:  # the groups first: a sentence may bound a group printed below it
        head = heading_of(line)
        if head is not None and head[0] not in rules.groups:
            rules.groups[head[0]] = ReadGroup(head[0], head[1], line, head[2])
    current: ReadGroup | None = None
    for line in section:
        head = heading_of(line)
        if head is not None:
            current = rules.groups[head[0]]
        if BARRED.search(line.text) or re.match(r"\W*credits from (equivalent|exemption)", line.text, re.I):
            current = None
        elif current is not None:
            _member(current, line)
        _rule(rules, current, line, head is not None)
    rules.barred = [pair for line in everywhere for pair in _barred(line)]
    return rules


def _member(group: ReadGroup, line: Line) -> None:
    cells = line.cells() or []
    refs = [c.strip("* ") for c in cells if REF_CELL.match(c)]
    if len(refs) == 1 and refs[0] not in group.refs:
        group.refs.append(refs[0])
    listed = re.match(r"^\s*[-*•]\s*Unit\s+(\d{1,3})\b", line.text)
    if listed:
        group.numbers.append(listed.group(1).lstrip("0") or "0")


def _rule(rules: ReadRules, current: ReadGroup | None, line: Line, heading: bool) -> None:
    text = line.text.replace("*", "")
    bounds = list(BOUND.finditer(text))
    for found in bounds:
        group = rules.groups.get(found.group(4).upper())
        if group is None:
            rules.unread.append(line)
            continue
        word = (found.group(1) or "").lower()
        kind = "max" if word in ("a maximum of", "maximum of", "up to", "no more than") else \
            "min" if word in ("a minimum of", "minimum of", "at least") else "exact"
        (group.credits if found.group(3).lower().startswith("credit") else group.count)[kind] = int(found.group(2))
        group.bound_lines.append(line)
    quota = QUOTA.search(text)
    if quota and current is not None:
        first, further = int(quota.group(1)), int(quota.group(3))
        named = re.search(r"\bgroup\s+([A-Z0-9]{1,3})\b", text, re.I)
        if named and named.group(1).upper() != current.id:
            rules.notes.append(f"{line.where}: the sentence names Group {named.group(1)}; read as the group it is "
                               f"printed under, {current.id}")
        current.credits["min"] = first + further
        current.bound_lines.append(line)
        rules.quotas.append((current.id, first, level_of(quota.group(2)) or quota.group(2), line))
    elif not bounds and "group" not in text.lower():
        _total(rules, line, text)
    elif not bounds and not heading and re.search(r"\d+\s+credits?", text, re.I) and not quota:
        rules.unread.append(line)


def _total(rules: ReadRules, line: Line, text: str) -> None:
    exact, least = TOTAL_EXACT.search(text), TOTAL_MIN.search(text)
    if exact and "exact" not in rules.credits:
        rules.credits = {"exact": int(exact.group(1))}
        rules.credit_lines.append(line)
    elif least and "credit" in text.lower() and not rules.credits:
        rules.credits = {"min": int(least.group(1))}
        rules.credit_lines.append(line)


def _barred(line: Line) -> list[tuple[str, str, Line]]:
    if not BARRED.search(line.text):
        return []
    refs = [m.group(0) for m in REF_IN_TEXT.finditer(line.text)]
    return [(refs[0], refs[-1], line)] if len(refs) >= 2 else []


def published_of(lines: list[Line], kind: str | None, units_from: int) -> dict[str, tuple[int, Line]]:
    """The published GLH (or its range), TQT and credit value: the first figure of each the
    document prints before its first unit (`units_from`, a line number: after it, "Credit value:
    3" is a unit's), or, for one of several qualifications, the one printed beside its kind."""
    found: dict[str, tuple[int, Line]] = {}
    patterns = {"glh": r"(?:guided learning hours|\bGLH\b)", "tqt": r"(?:total qualification time|\bTQT\b)",
                "credits": r"(?:qualification credit value|^\W*credit value\b)"}
    for name, words in patterns.items():
        for line in lines:
            if name == "credits" and line.number >= units_from and "qualification" not in line.text.lower():
                continue
            value = _figure(line.text.replace("*", ""), words, kind)
            if value is not None and name not in found:
                found[name] = (value[0], line)
                if value[1] is not None:
                    found["glh_max"] = (value[1], line)
    return found


def _figure(text: str, words: str, kind: str | None) -> tuple[int, int | None] | None:
    if not re.search(words, text, re.I) or REF_IN_TEXT.search(text):
        return None
    if kind is not None:  # "... Level 1 Award: 57 & Level 1 Certificate: 109", or a line about the kind alone
        beside = re.search(rf"\b{kind}\b[^:\d&]{{0,80}}?:\s*(\d+)", text, re.I)
        if beside:
            return int(beside.group(1)), None
        if re.search(rf"\b{kind}\b", text, re.I):
            last = re.findall(r"(\d+)\s*\.?\s*$", text)
            return (int(last[0]), None) if last else None
        return None
    after = re.search(words + r"[^\d]{0,40}?(\d+)(?:\s*[-–]\s*(\d+))?", text, re.I)
    if after is None:
        return None
    return int(after.group(1)), int(after.group(2)) if after.group(2) else None
