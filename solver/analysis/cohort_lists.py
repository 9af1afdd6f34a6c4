"""Class lists: which learners sit in which class of each unit.

A unit taken by n learners in c classes has classes of n // c or n // c + 1 learners (sizes differ
by at most one). Learners are dealt into classes in one order for every unit, so that learners
who take the same units sit together in each of them; of a few such orders, the one with the
fewest distinct class rosters across the cohort is kept (a tie-break after hours and classes:
it changes no figure of the plan).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

Lists = dict[str, list[list[int]]]  # unit digits -> its classes, each a list of learner positions


def balanced(members: Sequence[int], classes: int) -> list[list[int]]:
    """`members`, in order, cut into `classes` consecutive groups whose sizes differ by at most one."""
    if classes <= 0:
        return []
    small, extra = divmod(len(members), classes)
    groups, start = [], 0
    for k in range(classes):
        size = small + (1 if k < extra else 0)
        groups.append(list(members[start:start + size]))
        start += size
    return [g for g in groups if g]


def rosters(lists: Lists) -> int:
    """How many distinct groups of learners sit together across every class of every unit."""
    return len({tuple(sorted(group)) for groups in lists.values() for group in groups})


def class_lists(takers: dict[str, list[int]], classes: dict[str, int], taught: Sequence[Sequence[str]]) -> Lists:
    """Every unit's classes, balanced, dealt in the order (of a few) that keeps most classmates
    together. `taught[k]`: the units learner k is taught."""
    orders: list[Callable[[int], tuple[object, ...]]] = [
        lambda k: (tuple(sorted(taught[k])), k),  # the same units together
        lambda k: (len(taught[k]), tuple(sorted(taught[k])), k),
        lambda k: (k,),  # the file's order
    ]
    best: Lists | None = None
    for order in orders:
        lists = {d: balanced(sorted(who, key=order), classes.get(d, 1)) for d, who in takers.items()}
        if best is None or rosters(lists) < rosters(best):
            best = lists
    return best or {}
