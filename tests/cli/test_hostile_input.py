"""Hostile input at every reader and option: one line naming the file (or option), exit 2, never a
traceback, a hang or a result that silently means something else."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from catalog.reading import MAX_DEPTH, MAX_FILE_BYTES
from tests.catalog.test_loader import EXAMPLE

QUAL = "601/4404/X"


def one_line_error(result, *words: str) -> bool:
    lines = result.stderr.strip().splitlines()
    return (result.code == 2 and len(lines) == 1 and lines[0].startswith("roc: error: ")
            and "Traceback" not in result.stderr and all(w in lines[0] for w in words))


# -- 5. every reader is safe ----------------------------------------------------------------------------
def _readers(tmp_path: Path) -> dict[str, tuple[str, callable]]:
    """Each reader: the suffix of its files and the command line that reads one."""
    out = str(tmp_path / "results.jsonl")
    return {
        "qualification": (".yaml", lambda p: ["show", p]),
        "qualification json": (".json", lambda p: ["plan", p]),
        "scenario": (".yaml", lambda p: ["whatif", "run", p, "--out", out, "--no-progress", "--workers", "1"]),
        "record": (".yaml", lambda p: ["transfer", "--to", QUAL, "--record", p]),
        "record csv": (".csv", lambda p: ["transfer", "--to", QUAL, "--record", p]),
        "equivalence": (".yaml", lambda p: ["transfer", "L/506/2083", "--to", QUAL, "--equivalences", p]),
        "units": (".json", lambda p: ["check", QUAL, "--units-file", p]),
    }


READERS = ["qualification", "qualification json", "scenario", "record", "record csv", "equivalence", "units"]


def _deep(suffix: str) -> bytes:
    return b"[" * 50_000 + b"]" * 50_000  # 100 KB: JSON and YAML flow style alike


HOSTILE = {
    "alias bomb": (lambda s: b'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
                   b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
                   ("YAML anchors and aliases",)),
    "deep nesting": (_deep, (f"nested more than {MAX_DEPTH} levels deep",)),
    "not UTF-8": (lambda s: b"# caf\xe9\n", ("not UTF-8", "byte offset 5")),
}


# JSON and CSV have no aliases; CSV has no nesting
CASES = [(reader, hostile) for reader in READERS for hostile in HOSTILE
         if not (hostile == "alias bomb" and reader in ("qualification json", "record csv", "units"))
         and not (hostile == "deep nesting" and reader == "record csv")]


@pytest.mark.parametrize("reader, hostile", CASES)
def test_every_reader_refuses_hostile_content_with_one_line(roc, tmp_path, reader, hostile):
    suffix, command = _readers(tmp_path)[reader]
    make, words = HOSTILE[hostile]
    path = tmp_path / f"input{suffix}"
    path.write_bytes(make(suffix))
    result = roc(*command(str(path)))
    assert one_line_error(result, str(path), *words), result.stderr


@pytest.mark.parametrize("reader", READERS)
def test_every_reader_refuses_files_above_the_documented_size_and_special_files(roc, tmp_path, reader):
    suffix, command = _readers(tmp_path)[reader]
    big = tmp_path / f"big{suffix}"
    with big.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: the size is refused before a byte is read
    assert one_line_error(roc(*command(str(big))), str(big), f"{MAX_FILE_BYTES:,} bytes")
    fifo = tmp_path / f"fifo{suffix}"
    os.mkfifo(fifo)  # reading would block for ever
    assert one_line_error(roc(*command(str(fifo))), str(fifo), "not a regular file")
    folder = tmp_path / f"folder{suffix}"
    folder.mkdir()
    assert one_line_error(roc(*command(str(folder))), str(folder), "is a folder")


def test_a_scenario_stream_has_a_line_limit_not_a_file_limit(roc, tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "a", "qualification": "600/7736/0", "note": "' + "x" * (1 << 20) + '"}\n'
                    '{"id": "b", "qualification": "600/7736/0"}\n')
    result = roc("whatif", "run", str(path), "--out", str(tmp_path / "o.jsonl"), "--no-progress", "--workers", "1")
    got = {json.loads(line)["id"]: json.loads(line) for line in (tmp_path / "o.jsonl").read_text().splitlines()}
    assert result.code == 1 and got["b"]["status"] == "optimal"
    assert got[f"{path}:1"]["status"] == "error" and "bytes" in got[f"{path}:1"]["error"]


# -- 6. figures have ranges ------------------------------------------------------------------------------
@pytest.mark.parametrize("value, words", [
    (-1, "greater than or equal to 0"), (True, "valid integer"), (1.5, "valid integer"), ("3", "valid integer"),
    (2 ** 40, "less than or equal to 999"), (10 ** 30, "less than or equal to 999"), (float("nan"), "valid integer"),
])
def test_credits_are_whole_numbers_in_range(roc, tmp_path, value, words):
    data = yaml.safe_load(EXAMPLE)
    data["units"][0]["credits"] = value
    path = tmp_path / "q.json"
    path.write_text(json.dumps(data))  # NaN is written as NaN, as some tools do
    assert one_line_error(roc("plan", str(path)), str(path), "units[L/506/2083].credits", words)


@pytest.mark.parametrize("field, value, words", [
    ("glh", 100_000, "less than or equal to 99999"), ("tqt", -5, "greater than or equal to 0"),
])
def test_hours_are_whole_numbers_in_range(roc, tmp_path, field, value, words):
    data = yaml.safe_load(EXAMPLE)
    data["units"][1][field] = value
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(data))
    assert one_line_error(roc("check", str(path), "--units", "L/506/2083"), f"units[A/506/2094].{field}", words)


def test_bounds_have_a_range(roc, tmp_path):
    data = yaml.safe_load(EXAMPLE)
    data["credits"] = {"min": 10 ** 12}
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(data))
    assert one_line_error(roc("count", str(path)), "credits.min", "less than or equal to 9999999")


# -- 7. a reference is never silently a different unit ----------------------------------------------------
def test_full_width_digits_are_the_same_unit_and_the_barred_pair_binds(roc, tmp_path):
    ascii_path, wide_path = tmp_path / "ascii.yaml", tmp_path / "wide.yaml"
    ascii_path.write_text(EXAMPLE)
    wide_path.write_text(EXAMPLE.replace("- [A/601/6047, R/601/6068]", "- [Ａ/６０１/６０４７, R／601／6068]"))
    wide = roc("plan", str(wide_path), "--maximise", "glh", "--json").json()
    assert wide["units"] == roc("plan", str(ascii_path), "--maximise", "glh", "--json").json()["units"]
    assert not {"A/601/6047", "R/601/6068"} <= set(wide["units"]) and "R/601/6068" in wide["units"]
    lint = roc("lint", str(wide_path))
    assert "printed as 'Ａ/６０１/６０４７', normalised to A/601/6047" in lint.stdout


@pytest.mark.parametrize("change, words", [
    (("units: [A/506/2094]", "units: [A/506/2094, A/506/2094]"), "groups[B].units: A/506/2094 is listed twice in group B (units[0] and units[1])"),
    (("- [A/601/6047, R/601/6068]", "- [A/601/6047, a/601/6047]"), "barred[0]: a barred pair names A/601/6047 twice"),
    (("  - {id: B,", "  - {id: A,"), "groups[A]: group id 'A' is used twice"),
    (("groups:", "  - {ref: H/506/1795, title: again, level: L1, credits: 1, glh: 10}\ngroups:"),
     "units[H/506/1795]: listed twice in units, as units[2]"),
    (("awarder: OCN London", "awarder: OCN London\nawarder: Other"), "the key 'awarder' is given twice"),
])
def test_a_unit_or_key_given_twice_is_an_error_naming_the_place(roc, tmp_path, change, words):
    path = tmp_path / "q.yaml"
    path.write_text(EXAMPLE.replace(*change, 1))
    assert one_line_error(roc("show", str(path)), str(path), words)


def test_duplicate_keys_in_json_are_errors(roc, tmp_path):
    path = tmp_path / "q.json"
    path.write_text(json.dumps(yaml.safe_load(EXAMPLE))[:-1] + ', "title": "again"}')
    assert one_line_error(roc("show", str(path)), str(path), "'title'", "twice")


# -- 8. nothing misspelt is ignored -------------------------------------------------------------------------
@pytest.mark.parametrize("change, words", [
    (("mandatory: true", "mandatory: 1"), "groups[A].mandatory: Input should be a valid boolean"),
    (("credits: 3, glh: 25", "credits: true, glh: 25"), "units[L/506/2083].credits: Input should be a valid integer"),
    (("credits: 3, glh: 25", 'credits: "3", glh: 25'), "units[L/506/2083].credits: Input should be a valid integer"),
    (("mandatory: true", "mandatroy: true"), "groups[A]: unknown key 'mandatroy'; did you mean 'mandatory'?"),
])
def test_misspelt_or_mistyped_qualification_fields_are_errors(roc, tmp_path, change, words):
    path = tmp_path / "q.yaml"
    path.write_text(EXAMPLE.replace(*change, 1))
    assert one_line_error(roc("plan", str(path)), words)


def test_a_misspelt_scenario_column_or_top_level_key_is_an_error(roc, tmp_path):
    out = str(tmp_path / "o.jsonl")
    csv_path = tmp_path / "s.csv"
    csv_path.write_text("id,qualification,objectve\na,600/7736/0,maximise glh\n")
    result = roc("whatif", "run", str(csv_path), "--out", out, "--no-progress", "--workers", "1")
    assert one_line_error(result, str(csv_path), "unknown column 'objectve'; did you mean 'objective'?")
    yaml_path = tmp_path / "s.yaml"
    yaml_path.write_text("scenario:\n  - {id: a, qualification: 600/7736/0}\n")
    result = roc("whatif", "run", str(yaml_path), "--out", out, "--no-progress", "--workers", "1")
    assert one_line_error(result, str(yaml_path), "unknown key 'scenario'; did you mean 'scenarios'?")


def test_a_scenario_row_with_more_cells_than_columns_is_an_error_record(roc, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("id,qualification\na,600/7736/0,surplus\nb,600/7736/0\n")
    out = tmp_path / "o.jsonl"
    result = roc("whatif", "run", str(path), "--out", str(out), "--no-progress", "--workers", "1")
    got = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert result.code == 1 and got["b"]["status"] == "optimal"
    assert got[f"{path}:2"]["status"] == "error" and "3 cells but the header has 2 columns" in got[f"{path}:2"]["error"]


# -- 9. rule keys are unique -----------------------------------------------------------------------------------
def test_a_quota_id_cannot_take_another_quotas_key(roc, tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text(EXAMPLE.replace("level_quotas:\n", 'level_quotas:\n  - {id: "2", credits: {min: 1}, '
                                    "levels: {min: L1}}\n"))
    assert one_line_error(roc("show", str(path)), "level_quotas[1]: its rule key 'level quota 2' is also the key")


# -- 10. bounded work ------------------------------------------------------------------------------------------
def _free(tmp_path: Path, n: int = 40) -> Path:
    from tests.strategies import unit_ref

    path = tmp_path / "free.yaml"
    path.write_text(yaml.safe_dump({
        "number": QUAL, "title": "no rules", "awarder": "x", "level": "L1", "source": {"document": "test"},
        "units": [{"ref": unit_ref(i * 37 + 1), "title": f"u{i}", "level": "L1", "credits": 1, "glh": 1 + i % 7}
                  for i in range(n)]}))
    return path


def test_count_of_2_to_the_40_sets_stops_at_the_limit_and_says_it_is_a_lower_bound(roc, tmp_path):
    result = roc("count", str(_free(tmp_path)), "--limit", "2000")
    assert result.code == 0 and "at least 2,000 valid unit sets: a lower bound" in result.stdout
    data = roc("count", str(_free(tmp_path)), "--limit", "2000", "--json").json()
    assert data["count"] == 2000 and data["exact"] is False and data["stopped"] == "set limit"
    compare = roc("compare", str(_free(tmp_path)), "--count-limit", "500")
    assert compare.code == 0 and ">= 500" in compare.stdout


@pytest.mark.slow
def test_count_stops_at_the_documented_default_limit(tmp_path):
    from catalog import load_file
    from solver import count
    from solver.analysis.alternatives import COUNT_LIMIT

    result = count(load_file(_free(tmp_path)))
    assert COUNT_LIMIT == 100_000 and result.count == COUNT_LIMIT and not result.exact


@pytest.mark.parametrize("value", ["nan", "inf", "0", "-1", "-inf"])
def test_time_limit_must_be_a_positive_finite_number(roc, value):
    result = roc("plan", QUAL, f"--time-limit={value}")
    assert one_line_error(result, "--time-limit", "positive number of seconds")


# -- 11. option errors are one line ---------------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ["plan", QUAL, "--top", "0"], ["plan", QUAL, "--minimise", "glh", "--maximise", "glh"],
    ["plan", QUAL, "--minimise", "fun"], ["plan"], ["lint", "--bogus"], ["count", QUAL, "--limit", "0"],
    ["whatif", "run", "s.jsonl", "--out", "o.jsonl", "--workers", "0"],
    ["whatif", "run", "s.jsonl", "--out", "o.jsonl", "--backend", "foo"], ["compare", "--format", "xml"],
    ["transfer", "--to", QUAL, "--minimise", "credits"], ["nosuchcommand"],
])
def test_option_errors_are_one_line_with_exit_2(roc, args):
    result = roc(*args)
    assert one_line_error(result), result.stderr
    assert "╭" not in result.stderr and "Usage:" not in result.stderr


# -- 12. no leaks ---------------------------------------------------------------------------------------------
def test_a_scenario_naming_someone_elses_file_gets_the_path_and_field_never_the_contents(roc, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("number: hunter2-password\ntitle: s3cr3t\nawarder: x\nlevel: L1\n"
                      "source: {document: x}\nunits: []\n")
    private = tmp_path / "private.json"
    private.write_text('{"credits": {"min": "token-abc123"}}')
    scenarios = tmp_path / "s.jsonl"
    scenarios.write_text(json.dumps({"id": "a", "qualification": str(secret)}) + "\n"
                         + json.dumps({"id": "b", "qualification": str(private)}) + "\n")
    out = tmp_path / "o.jsonl"
    result = roc("whatif", "run", str(scenarios), "--out", str(out), "--no-progress", "--workers", "1")
    text = out.read_text() + result.stderr + result.stdout
    assert result.code == 1
    for leak in ("hunter2", "s3cr3t", "token-abc123"):
        assert leak not in text
    got = {r["id"]: r["error"] for r in map(json.loads, out.read_text().splitlines())}
    assert str(secret) in got["a"] and "number" in got["a"]
    assert str(private) in got["b"] and "credits.min" in got["b"]


# -- 13. fuzz: random bytes and random structures at every reader ---------------------------------------------
FUZZ_READERS = {
    "qualification.yaml": lambda p, out: ["plan", p],
    "qualification.json": lambda p, out: ["show", p],
    "lint.yaml": lambda p, out: ["lint", p, "--json"],
    "scenarios.jsonl": lambda p, out: ["whatif", "run", p, "--out", out, "--no-progress", "--workers", "1"],
    "scenarios.yaml": lambda p, out: ["whatif", "run", p, "--out", out, "--no-progress", "--workers", "1"],
    "scenarios.csv": lambda p, out: ["whatif", "run", p, "--out", out, "--no-progress", "--workers", "1"],
    "record.csv": lambda p, out: ["transfer", "--to", QUAL, "--record", p],
    "record.yaml": lambda p, out: ["transfer", "--to", QUAL, "--record", p],
    "equivalences.yaml": lambda p, out: ["transfer", "L/506/2083", "--to", QUAL, "--equivalences", p],
    "units.json": lambda p, out: ["check", QUAL, "--units-file", p],
}


def _structures():
    from hypothesis import strategies as st

    leaves = (st.none() | st.booleans() | st.integers(-2 ** 70, 2 ** 70) | st.floats()
              | st.text(max_size=12) | st.sampled_from(["L/506/2083", "601/4404/X", "L1", "E3", "600/7736/0"]))
    return st.recursive(leaves, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.text(max_size=10) | st.sampled_from(
                            ["units", "groups", "credits", "min", "max", "ref", "id", "qualification", "scenarios",
                             "achieved", "equivalences", "glh", "level", "rules", "objective"]), inner, max_size=4),
                        max_leaves=20)


def _mutated_example(steps, value):
    """The README example with the node at a random path replaced by `value`."""
    data = yaml.safe_load(EXAMPLE)
    node = data
    for n, step in enumerate(steps):
        if isinstance(node, dict):
            key = step if isinstance(step, str) else sorted(node)[step % len(node)]
        else:
            key = step % len(node) if isinstance(step, int) else 0
        child = node.get(key) if isinstance(node, dict) else node[key]
        if n == len(steps) - 1 or not isinstance(child, (dict, list)) or not child:
            node[key] = value
            return data
        node = child
    return data


def _encode(name: str, value) -> bytes:
    if name.endswith(".csv"):
        rows = value if isinstance(value, list) else [value]
        return "\n".join(",".join(str(c) for c in (r if isinstance(r, list) else [r])) for r in rows).encode()
    if name.endswith(".jsonl"):
        items = value if isinstance(value, list) else [value]
        return "".join(json.dumps(item) + "\n" for item in items).encode()
    return (json.dumps(value) if name.endswith(".json") else yaml.safe_dump(value)).encode()


def _fuzz_given(examples: int):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    path_steps = st.lists(st.sampled_from(["units", "groups", "credits", "level_quotas", "barred", "published"])
                          | st.integers(0, 5), min_size=1, max_size=4)
    payload = (st.tuples(st.just("bytes"), st.binary(max_size=300))
               | st.tuples(st.just("structure"), _structures())
               | st.tuples(st.just("mutated"), st.tuples(path_steps, _structures())))
    return lambda test: settings(max_examples=examples, deadline=None, derandomize=True,
                                 suppress_health_check=list(HealthCheck))(
        given(st.sampled_from(sorted(FUZZ_READERS)), payload)(test))


def _fuzz(roc, tmp_path, name, payload) -> None:
    kind, value = payload
    if kind == "mutated":
        value = _mutated_example(*value)
    path, out = tmp_path / name, tmp_path / "results.jsonl"
    out.unlink(missing_ok=True)
    try:
        path.write_bytes(value if kind == "bytes" else _encode(name, value))
    except (ValueError, yaml.YAMLError):  # e.g. NaN has no YAML dump here: nothing to feed
        return
    result = roc(*FUZZ_READERS[name](str(path), str(out)))
    if name == "lint.yaml":  # lint reports a file it cannot read as a finding, in JSON like any other
        findings = result.json()
        assert result.code in (0, 2) and (result.code == 0) == all(f["code"] != "unreadable" for f in findings)
        return
    if os.environ.get("ROC_FUZZ_LOG"):
        with open(os.environ["ROC_FUZZ_LOG"], "a") as log:
            log.write(f"{name}\t{kind}\t{result.code}\t{result.stderr.strip()[:150]}\n")
    assert "Traceback" not in result.stderr
    if result.code == 2:
        assert one_line_error(result), result.stderr
    else:
        assert result.code in (0, 1), (result.code, result.stderr)


@_fuzz_given(examples=50)
def test_fuzz_every_reader_gives_a_result_or_one_line_never_a_traceback(roc, tmp_path, name, payload):
    _fuzz(roc, tmp_path, name, payload)


@pytest.mark.slow  # the full run fuzzes longer, from other examples
@_fuzz_given(examples=400)
def test_fuzz_every_reader_longer(roc, tmp_path, name, payload):
    _fuzz(roc, tmp_path, name, payload)
