"""roc's solver side, in layers that import one way only:

- `engine/`: the only importer of OR-Tools: compile, solve with tie-breaks, proto edits, conflicts,
  enumeration;
- `analysis/`: plan, check, explain, alternatives, count, transfer, compare, lint;
- `whatif/`: templates, the valid-set table, grids, batch runs on local processes or Ray;
- `service/`: the application layer, one call per question a user asks, used by every face;
- `report/`: file formats, the file writer and charts, shared by the faces;
- the faces: `cli/` (the `roc` command line), `web/` (`roc serve`) and this module, the Python API.

The Python API (every result is a frozen pydantic model whose JSON is the CLI's):

    plan(qual, "minimise glh", include=[...], exclude=[...], max_level="L1", targets=[...]) -> Plan
    check(qual, ["K/601/6075", ...]) -> CheckResult
    top(qual, "minimise glh", k, ...) / all_optimal(qual, "minimise glh", ...) -> Alternatives
        (the same restrictions and targets as plan)
    count(qual, by="glh") -> CountResult
    explain(qual, include, exclude) -> list[ConflictRule]
    transfer(target, achieved, equivalences) -> TransferResult;  transfer_matrix(quals) -> list[MatrixCell]
    suggest(target, achieved, equivalences, known=quals) -> Suggestions   (Match / Maybe / Miss)
    compare(quals, funding=rates, cost_per_glh=30, class_size=12, compute=Compute(workers=4, backend="ray"))
        -> list[ComparisonRow]   (transfer_matrix takes compute= too)
    lint(quals) -> list[Finding]
    plan_cohort(cohort, resolve, funding=rates) -> CohortResult
    whatif_expand(quals, GridQuestion(...)) -> scenario entries;  whatif_run(scenarios, out, compute) -> BatchSummary
"""

import lazy_loader

# Every name loads its module on first use (see __init__.pyi), so the `roc` command line starts
# without loading what a command does not use.
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
