"""Results for people and programs, shared by every face: file formats (CSV, XLSX, markdown),
the writer that never damages a file, charts, and the wording of findings a page and the terminal
both show."""

from .files import check_writable, write_file
from .tables import (
    SUFFIX_FORMAT,
    Format,
    Tables,
    alternatives_tabular,
    cohort_tabular,
    plain,
    text_of,
    to_csv,
    to_markdown,
    to_rows_csv,
    to_tidy_csv,
    to_xlsx,
)

__all__ = ["SUFFIX_FORMAT", "Format", "Tables", "alternatives_tabular", "check_writable", "cohort_tabular", "plain",
           "text_of", "to_csv", "to_markdown", "to_rows_csv", "to_tidy_csv", "to_xlsx", "write_file"]
