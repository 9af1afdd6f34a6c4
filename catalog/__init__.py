"""The catalogue: data files transcribed from the specifications, and the code that loads,
indexes and lints them."""

from .index import DATA_DIR, Catalog, builtin
from .loader import describe_validation_error, load_file, parse_qualification, read_data, without_values
from .records import equivalences_text, load_equivalences, load_learner_record, load_unit_list

__all__ = ["DATA_DIR", "Catalog", "builtin", "describe_validation_error", "equivalences_text", "load_equivalences", "load_file", "load_learner_record", "without_values",
           "load_unit_list", "parse_qualification", "read_data"]
