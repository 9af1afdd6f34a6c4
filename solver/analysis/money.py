"""Money beside the hours: what a learner's funding brings against what their teaching costs.

A class of `class_size` learners is taught a qualification's minimum-GLH plan once, at
`cost_per_glh` an hour; each learner brings their qualification's funding rate. Amounts are
rounded to the penny once, at the end.
"""

from __future__ import annotations

from models.register import FundingRate

from .results import LearnerMoney


def learner_money(rate: FundingRate | None, min_glh: int | None, cost_per_glh: float | None,
                  class_size: int | None) -> LearnerMoney:
    """Funding, funding per minimum-GLH hour, and the margin per learner and per class."""
    funding = rate.rate if rate is not None else None
    per_hour = round(funding / min_glh, 2) if funding is not None and min_glh else None
    cost = (cost_per_glh * min_glh / class_size if cost_per_glh is not None and class_size and min_glh is not None
            else None)
    margin = funding - cost if funding is not None and cost is not None else None
    return LearnerMoney(
        funding_category=rate.category if rate is not None else None, funding_rate=funding,
        funding_per_glh=per_hour, cost_per_learner=_pennies(cost), margin_per_learner=_pennies(margin),
        margin_per_class=_pennies(margin * class_size if margin is not None and class_size else None))


def pounds(amount: float | None) -> str | None:
    """1234.5 -> '£1,234.50'; a loss as '-£12.00'."""
    if amount is None:
        return None
    return f"{'-' if amount < 0 else ''}£{abs(amount):,.2f}"


def _pennies(amount: float | None) -> float | None:
    return None if amount is None else round(amount, 2)
