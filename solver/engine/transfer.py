"""The credit-transfer model: which achieved units to credit, and which new units to take.

On top of the target's compiled rules: `new[u]` (unit u is taken new) and `use[c]` (credit option c
is used). A unit in the set is either credited, once, or newly taken; each achieved unit counts for
at most one credit option (no double counting, no split credit). The tiers: least measure still to
deliver, then fewer new units, then the most credit carried, then reference order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from models import Credit, Measure, Qualification, Status, Unit

from .compile import compile_qualification
from .lexicographic import Tier, measure_tier, order_tiers, solve_tiers
from .parameters import SolveOptions, TieBreak


@dataclass(frozen=True)
class TransferOutcome:
    status: Status
    chosen: list[int] | None  # unit positions of the whole set (None: no set)
    new: list[int]  # unit positions taken new
    used: list[int]  # positions in the credit options used
    units: list[Unit]  # the target's units in position order
    seconds: float


def solve_transfer(target: Qualification, credits: Sequence[Credit], measure: Measure,
                   options: SolveOptions = SolveOptions()) -> TransferOutcome:
    """The valid set of `target` that leaves the least `measure` to deliver, crediting achieved
    units through `credits`."""
    compiled = compile_qualification(target)
    model, x = compiled.model, compiled.x
    new = [model.new_bool_var(f"new[{u.ref}]") for u in compiled.units]
    use = [model.new_bool_var(f"credit[{c.target.ref} via {c.via}]") for c in credits]
    for i, unit in enumerate(compiled.units):
        # a unit in the set is either credited (once) or newly taken
        model.add(x[i] == new[i] + sum(y for c, y in zip(credits, use) if c.target.ref == unit.ref))
    for digits in {d for c in credits for d in c.achieved}:
        users = [y for c, y in zip(credits, use) if digits in c.achieved]
        if len(users) > 1:
            model.add_at_most_one(users)  # each achieved unit counts once

    new_indices, use_indices = [v.index for v in new], [v.index for v in use]
    tiers: list[Tier] = [measure_tier(new_indices, [measure.of(u) for u in compiled.units], 1,
                                      f"{measure.value} to deliver")]
    ties = options.ties(len(compiled.units))
    if ties in (TieBreak.full, TieBreak.count):
        tiers.append(Tier([1] * len(new), new_indices, name="fewest new units"))
        tiers.append(Tier([-c.target.credits for c in credits], use_indices, name="most credit carried"))
    if ties is TieBreak.full:
        tiers += order_tiers(new_indices) + order_tiers(use_indices)
    outcome = solve_tiers(compiled, tiers, compiled.x_indices + new_indices + use_indices, options)
    if outcome.values is None:
        return TransferOutcome(outcome.status, None, [], [], compiled.units, outcome.seconds)
    n, values = len(compiled.units), outcome.values
    return TransferOutcome(
        outcome.status, [i for i in range(n) if values[i]], [i for i in range(n) if values[n + i]],
        [k for k in range(len(credits)) if values[2 * n + k]], compiled.units, outcome.seconds)
