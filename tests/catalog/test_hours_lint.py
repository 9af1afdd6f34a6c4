"""Lint catches a unit whose GLH exceeds its TQT; the starter file is clean and clashes with no
real number; an upload that shares a number is told apart by its key."""

from __future__ import annotations

from catalog.lint import lint_files
from models import Qualification

BASE = {"number": "999/9999/7", "title": "t", "awarder": "a", "level": "L1",
        "source": {"document": "d", "section": "s"}, "credits": {"min": 1},
        "groups": [{"id": "A", "units": ["L/506/2083", "A/506/2094"], "credits": {"min": 1}}]}


def test_glh_above_tqt_is_a_finding():
    qual = Qualification.model_validate({**BASE, "units": [
        {"ref": "L/506/2083", "title": "u", "level": "L1", "credits": 1, "glh": 11},  # TQT 10 by default
        {"ref": "A/506/2094", "title": "v", "level": "L1", "credits": 1, "glh": 11, "tqt": 20}]})
    found = [f for f in lint_files([qual]) if f.code == "glh-over-tqt"]
    assert [f.subject for f in found] == ["L/506/2083"]
    assert "GLH 11 is more than its TQT 10" in found[0].message


def test_the_starter_file_lints_clean_and_uses_no_real_number(roc, tmp_path):
    from catalog import builtin

    path = tmp_path / "new.yaml"
    assert roc("init", str(path)).code == 0
    shown = roc("lint", str(path))
    assert "0 errors, 0 warnings" in shown.stdout
    assert "999/9999/7" in path.read_text()
    assert all(str(q.number) != "999/9999/7" for q in builtin())


def test_an_upload_that_shares_a_number_is_told_apart(tmp_path):
    from fastapi.testclient import TestClient

    from tests.fresh import fresh_app

    body = (tmp_path / "q.yaml")
    from catalog import builtin
    original = builtin().resolve("601/4404/X")
    body.write_text(original.model_dump_json(exclude_none=True).replace("a Level 1", "a Level 1 (our copy)"))
    with TestClient(fresh_app()) as client:
        answer = client.post("/api/qualifications", files={"file": ("q.json", body.read_bytes())}).json()
        assert answer["number"] == "601/4404/X"
        assert answer["warnings"] and "the catalogue's 601/4404/X" in answer["warnings"][0]
        assert answer["key"] in answer["warnings"][0]
        page = client.get(f"/q/{answer['key']}").text
        assert 'id="shared-number"' in page and "the catalogue&#39;s 601/4404/X" in page
        alone = client.get("/q/600-7736-0").text
        assert 'id="shared-number"' not in alone
