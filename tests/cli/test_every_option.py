"""No option is silently ignored: every option of every command that answers a question either
changes the answer (shown here, against the same command without it), or is refused in one line
when it cannot apply, or only shapes how the answer is shown or computed (listed here, each with
the test that checks it). A new option fails this test until it is put in one of those places."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer

from solver.cli import app

ROOT = Path(__file__).resolve().parents[2]
Q, AWARD, NCFE = "601/4404/X", "600/1686/3", "601/3972/9"
COHORT = str(ROOT / "tests" / "fixtures" / "cohort.yaml")

# command -> (the question without options, {option: the same question with it})
CHANGES: dict[str, tuple[list[str], dict[str, list[str]]]] = {
    "plan": (["plan", Q], {
        "--minimise": ["--minimise", "tqt"], "--minimize": ["--minimize", "credits"],
        "--maximise": ["--maximise", "glh"], "--maximize": ["--maximize", "glh"],
        "--include": ["--include", "F/503/0392"], "--exclude": ["--exclude", "L/506/2083"],
        "--max-level": ["--max-level", "E3"], "--exclude-level": ["--exclude-level", "L1"],
        "--exclude-group": ["--exclude-group", "C"], "--exclude-title": ["--exclude-title", "telephone"],
        "--glh-at-least": ["--glh-at-least", "150"], "--glh-at-most": ["--glh-at-most", "140"],
        "--tqt-at-least": ["--tqt-at-least", "240"], "--tqt-at-most": ["--tqt-at-most", "200"],
        "--credits-at-least": ["--credits-at-least", "24"], "--credits-at-most": ["--credits-at-most", "20"],
        "--top": ["--top", "2"], "--all-optimal": ["--all-optimal"]}),
    "check": (["check", AWARD, "A/601/6047"], {"--units": ["--units", "K/601/6075"]}),
    "count": (["count", AWARD], {"--by": ["--by", "glh"], "--include": ["--include", "K/601/6075"],
                                 "--exclude": ["--exclude", "K/601/6075"], "--limit": ["--limit", "5"]}),
    "transfer": (["transfer", "--to", NCFE, "--achieved", "L/506/2083"], {
        "--to": ["--to", Q], "--achieved": ["--achieved", "M/502/8587"], "--minimise": ["--minimise", "tqt"],
        "--minimize": ["--minimize", "tqt"], "--suggest": ["--suggest"], "--threshold": ["--threshold", "0.5"],
        "--candidates": ["--candidates", "1"]}),
    "transfer-matrix": (["transfer-matrix", AWARD, NCFE, Q], {"--sample": ["--sample", "2"]}),
    "compare": (["compare", AWARD, Q], {"--count-limit": ["--count-limit", "3"],
                                        "--cost-per-glh": ["--cost-per-glh", "30", "--class-size", "12"],
                                        "--class-size": ["--class-size", "10", "--cost-per-glh", "30"]}),
    "cohort plan": (["cohort", "plan", COHORT], {"--class-size": ["--class-size", "1"],
                                                 "--min-class-size": ["--min-class-size", "3"],
                                                 "--max-classes": ["--max-classes", "1"],
                                                 "--cost-per-glh": ["--cost-per-glh", "50"],
                                                 "--minimise": ["--minimise", "cost"],
                                                 "--minimize": ["--minimize", "cost"]}),
    "equivalences suggest": (["equivalences", "suggest", NCFE, AWARD, "--threshold", "0.4"], {"--threshold": ["--threshold", "0.9"],
                                                                       "--candidates": ["--candidates", "1"]}),
}
# options that answer the same question in another form, or on other machinery, or from a file,
# each with the test that shows it does what it says
ELSEWHERE = {
    "--format": "tests/cli/test_output.py", "--out": "tests/cli/test_output.py", "--json": "tests/cli/test_output.py",
    "--chart": "tests/cli/test_charts.py", "--time-limit": "tests/engine/test_time_limit.py",
    "--workers": "tests/whatif/test_catalogue.py", "--backend": "tests/whatif/test_catalogue.py",
    "--address": "tests/whatif/test_catalogue.py", "--seed": "tests/whatif/test_catalogue.py",
    "--record": "tests/analysis/test_suggest.py", "--equivalences": "tests/analysis/test_suggest.py",
    "--write-equivalences": "tests/analysis/test_suggest.py", "--funding": "tests/catalog/test_lars.py",
    "--funding-category": "tests/catalog/test_lars.py", "--on": "tests/catalog/test_lars.py",
    "--overlay": "tests/catalog/test_register.py", "--strict": "tests/cli/test_cli.py",
    "--units-file": "tests/cli/test_hostile_input.py", "--progress": "tests/whatif/test_whatif.py",
    "--baseline": "tests/whatif/test_whatif.py", "--objective": "tests/web/test_same_json.py",
    "--withdraw-each": "tests/whatif/test_whatif.py", "--glh-percent": "tests/whatif/test_whatif.py",
    "--each-unit": "tests/whatif/test_whatif.py", "--cross": "tests/whatif/test_whatif.py",
    "--drop-duplicates": "tests/whatif/test_whatif.py",
    "--host": "tests/web/test_browser.py", "--port": "tests/web/test_browser.py",
    "--allow-host": "tests/web/test_hostile_web.py",
    "--data": "tests/cli/test_accounts.py", "--database": "tests/cli/test_accounts.py",
    "--role": "tests/cli/test_accounts.py", "--password": "tests/cli/test_accounts.py",
    "--label": "tests/cli/test_accounts.py", "--enable": "tests/cli/test_accounts.py",
    "--disable": "tests/cli/test_accounts.py", "--qualification": "tests/cli/test_import_spec.py",
}


def commands() -> dict[str, list[str]]:
    """Every command's name and its long options."""
    found: dict[str, list[str]] = {}

    def walk(command, path: list[str]) -> None:
        for name, sub in (getattr(command, "commands", None) or {}).items():
            walk(sub, path + [name])
        if not getattr(command, "commands", None):
            found[" ".join(path)] = [o for p in command.params for o in getattr(p, "opts", ()) if o.startswith("--")]

    walk(typer.main.get_command(app), [])
    return found


def test_every_option_of_every_command_is_accounted_for():
    missing = [f"{name} {option}" for name, options in commands().items() for option in options
               if option not in CHANGES.get(name, ([], {}))[1] and option not in ELSEWHERE]
    assert missing == []
    for option, path in ELSEWHERE.items():
        assert option.removeprefix("--") in (ROOT / path).read_text(), (option, path)  # --no-progress too


@pytest.mark.parametrize("name, option", [(n, o) for n, (_, given) in CHANGES.items() for o in given])
def test_each_option_changes_the_answer_or_is_refused(roc, name, option):
    base, given = CHANGES[name]
    without = roc(*base, "--json")
    with_it = roc(*base, *given[option], "--json")
    assert without.code in (0, 1), without.stderr
    if with_it.code == 2:  # refused, in one line
        assert len(with_it.stderr.strip().splitlines()) == 1 and "Traceback" not in with_it.stderr
        return
    assert json.loads(with_it.stdout) != json.loads(without.stdout), f"{name} {option} changed nothing"
