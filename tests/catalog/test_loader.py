"""Qualification files: YAML and JSON with one schema; every mistake named by file, field, value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from catalog import builtin, load_file
from catalog.index import DATA_DIR
from models import InputError

EXAMPLE = """\
number: 601/4404/X
title: OCNLR Level 1 Certificate in Customer Service
awarder: OCN London
level: L1
published: {glh_min: 143, glh_max: 178, tqt: 230, credits: 23}
source: {document: 004_70450870fa016f48.txt, section: Rules of combination for achievement}
credits: {min: 8, max: 8}
units:
  - {ref: L/506/2083, title: Understand working in a customer service environment, level: L1, credits: 3, glh: 25}
  - {ref: A/506/2094, title: Record details of customer service problems, level: L1, credits: 3, glh: 14}
  - {ref: H/506/1795, title: Manage time and workload, level: L1, credits: 1, glh: 10}
  - {ref: A/601/6047, title: Appearance, level: E3, credits: 1, glh: 15}
  - {ref: R/601/6068, title: Impression, level: L1, credits: 1, glh: 18}
groups:
  - {id: A, mandatory: true, units: [L/506/2083]}
  - {id: B, units: [A/506/2094], credits: {min: 3}}
  - {id: C, units: [H/506/1795, A/601/6047, R/601/6068], credits: {max: 3}, count: {max: 2}}
level_quotas:
  - {credits: {min: 2}, levels: {min: L1}, groups: [C]}
barred:
  - [A/601/6047, R/601/6068]
"""


def write(tmp_path: Path, text: str, name: str = "q.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_the_readme_example_shape_loads(tmp_path):
    qual = load_file(write(tmp_path, EXAMPLE))
    assert str(qual.number) == "601/4404/X" and len(qual.units) == 5
    assert qual.group_by_id["C"].count.max == 2
    assert qual.level_quotas[0].groups == ["C"]


def test_json_and_yaml_share_one_schema(tmp_path):
    data = yaml.safe_load(EXAMPLE)
    from_json = load_file(write(tmp_path, json.dumps(data), "q.json"))
    assert from_json == load_file(write(tmp_path, EXAMPLE))
    # and a dumped qualification loads back to the same thing
    again = load_file(write(tmp_path, from_json.model_dump_json(exclude_none=True), "again.json"))
    assert again == from_json


@pytest.mark.parametrize("change, field, value", [
    (("groups", 1, "credits", "min"), "groups[B].credits.min", "'six'"),  # groups by id
    (("units", 0, "ref"), "units[0].ref", "'L506/20x3'"),  # a reference that is not one: by position
    (("units", 2, "level"), "units[H/506/1795].level", "'Level 9'"),  # units by reference
    (("units", 1, "credits"), "units[A/506/2094].credits", "-3"),
])
def test_malformed_fields_are_named_with_their_value(tmp_path, change, field, value):
    data = yaml.safe_load(EXAMPLE)
    node = data
    for step in change[:-1]:
        node = node[step]
    node[change[-1]] = eval(value)
    path = write(tmp_path, yaml.safe_dump(data))
    with pytest.raises(InputError) as raised:
        load_file(path)
    message = str(raised.value)
    assert str(path) in message and field in message and value in message


def test_group_naming_a_unit_not_listed_is_an_error(tmp_path):
    text = EXAMPLE.replace("units: [A/506/2094]", "units: [A/506/2094, T/506/2126]")
    with pytest.raises(InputError, match=r"groups\[B\]\.units: T/506/2126 is not in this file's units"):
        load_file(write(tmp_path, text))


def test_unknown_keys_and_missing_fields_are_errors(tmp_path):
    with pytest.raises(InputError, match=r"groups\[A\]: unknown key 'mandatroy'; did you mean 'mandatory'\?"):
        load_file(write(tmp_path, EXAMPLE.replace("mandatory: true", "mandatroy: true")))
    with pytest.raises(InputError, match=r"title: Field required"):
        load_file(write(tmp_path, EXAMPLE.replace("title: OCNLR Level 1 Certificate in Customer Service\n", "")))


def test_syntax_errors_give_the_line(tmp_path):
    with pytest.raises(InputError, match=r"not valid YAML.*line"):
        load_file(write(tmp_path, "number: [601/4404/X\n"))
    with pytest.raises(InputError, match=r"not valid JSON.*line 1"):
        load_file(write(tmp_path, "{number: }", "q.json"))
    with pytest.raises(InputError, match="no such file"):
        load_file(tmp_path / "missing.yaml")


def test_corrections_keep_the_printed_value_and_apply_the_correction():
    proqual = builtin().get("600/7736/0")
    assert proqual.units[0].credits == 6 and proqual.units[0].tqt == 60
    assert proqual.printed("units[Y/501/4375].credits") is None
    award = builtin().get("600/1686/3")
    assert award.published.tqt == 70 and award.printed("published.tqt") == 130


def test_a_correction_whose_printed_value_is_not_in_the_file_is_refused(tmp_path):
    text = (DATA_DIR / "proqual-600-7736-0.yaml").read_text().replace("credits: null", "credits: 5")
    with pytest.raises(InputError, match=r"corrections\[0\].*keep the printed value"):
        load_file(write(tmp_path, text))


def test_the_catalogue_holds_the_five_seed_qualifications():
    numbers = sorted(str(q.number) for q in builtin())
    assert numbers == ["600/1684/X", "600/1686/3", "600/7736/0", "601/3972/9", "601/4404/X"]
    seeds = {"000_0d7823bd9020fbdf.txt", "001_5c101a87c5acf5a9.txt", "002_338117e648cc2646.txt",
             "003_5c0421cc89ec7267.txt", "004_70450870fa016f48.txt"}
    for qual in builtin():
        assert qual.source.document in seeds and qual.source.section
