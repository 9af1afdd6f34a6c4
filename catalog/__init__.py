"""The catalogue: data files transcribed from the specifications, and the code that loads,
indexes and lints them."""

from .index import DATA_DIR, Catalog, builtin
from .loader import load_file, parse_qualification, read_data

__all__ = ["DATA_DIR", "Catalog", "builtin", "load_file", "parse_qualification", "read_data"]
