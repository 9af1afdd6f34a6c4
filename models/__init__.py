"""roc's domain models (pydantic v2). Validation lives here; nothing here imports ortools.

- `Qualification`: units, rules of combination, published figures, corrections; `qual.rules` is
  the registry of its rules (`registry.py`) that every layer reads.
- `Unit`, `UnitRef`, `QualNumber`, `Level`: the pieces, with Ofqual check characters.
- `Objective`, `Measure`, `Sense`, `Status`: what is optimised and how a solve ended.
- `Scenario`, `LearnerRecord`, `Equivalence`: what-if changes and credit transfer inputs.
- `RocError` and its subclasses: every error roc reports to a user.
"""

from .errors import (
    InputError,
    ObjectiveError,
    RocError,
    UnknownQualification,
    UnknownRule,
    UnknownUnit,
    did_you_mean,
)
from .figures import MAX_BOUND, MAX_CREDITS, MAX_HOURS
from .findings import Finding, Severity
from .levels import Level, LevelField
from .objectives import JobState, Measure, Objective, Sense, Status, Target
from .qualification import Correction, Published, Qualification
from .refs import QualNumber, UnitRef
from .registry import BarredRule, LinearRule, MandatoryRule, Rule, RuleKind, RuleSet
from .rules import BarredPair, Bounds, Group, LevelQuota, LevelRange, Source
from .scenario import RuleChange, Scenario, UnitChange
from .transfer import AchievedUnit, Credit, Equivalence, EquivalenceFile, LearnerRecord
from .units import Unit

__all__ = [
    "AchievedUnit", "BarredPair", "BarredRule", "Bounds", "Correction", "Credit", "Equivalence", "EquivalenceFile",
    "Finding", "Group", "InputError", "LearnerRecord", "Level", "LevelField", "LevelQuota", "LevelRange",
    "LinearRule", "MandatoryRule", "Measure", "Objective", "ObjectiveError", "Published", "QualNumber",
    "Qualification", "RocError", "Rule", "RuleChange", "RuleKind", "RuleSet", "Scenario", "Sense",
    "JobState", "Severity", "Source", "Status", "Target", "Unit", "UnitChange", "UnitRef", "UnknownQualification",
    "UnknownRule", "UnknownUnit", "MAX_BOUND", "MAX_CREDITS", "MAX_HOURS", "did_you_mean",
]
