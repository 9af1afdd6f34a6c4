"""roc's domain models (pydantic v2). Validation lives here; nothing here imports ortools."""

from .errors import InputError, RocError, UnknownQualification, UnknownUnit
from .findings import Finding, Severity
from .levels import Level, LevelField
from .qualification import Correction, Published, Qualification
from .refs import QualNumber, UnitRef
from .rules import BarredPair, Bounds, Group, LevelQuota, LevelRange, Source
from .scenario import RuleChange, Scenario, UnitChange
from .transfer import AchievedUnit, Equivalence, EquivalenceFile, LearnerRecord
from .units import Unit

__all__ = [
    "RuleChange", "Scenario", "UnitChange", "AchievedUnit", "Equivalence", "EquivalenceFile", "LearnerRecord", "BarredPair", "Bounds", "Correction", "Finding", "Group", "InputError", "Level", "LevelField",
    "LevelQuota", "LevelRange", "Published", "QualNumber", "Qualification", "RocError", "Severity",
    "Source", "Unit", "UnitRef", "UnknownQualification", "UnknownUnit",
]
