"""Ofqual Register imports, from small fixture files written here with the register's column names.
The figures in them are illustrative, not copied from the register."""

from __future__ import annotations

import json

import yaml

HEADER = ("Qualification Number,Qualification Title,Total Credits,Guided Learning Hours,Minimum Guided Learning Hours,"
          "Maximum Guided Learning Hours,Total Qualification Time,Qualification Status,Operational End Date,"
          "Certification End Date")
ROWS = [  # illustrative: NCFE as the register might print it, OCNLR in agreement, one outside the catalogue
    "601/3972/9,NCFE Level 1 Certificate in Customer Service,23,143,143,298,230,Available to learners,"
    "31/07/2025,31/07/2027",
    "601/4404/X,OCNLR Level 1 Certificate in Customer Service,23,,143,178,230,Available to learners,,",
    "603/0000/1,Something else,10,80,,,100,Available to learners,,",
]


def test_import_ofqual_csv_writes_an_overlay_and_lint_reports_the_disagreements(roc, tmp_path):
    register = tmp_path / "register.csv"
    register.write_text(HEADER + "\n" + "\n".join(ROWS) + "\n")
    overlay = tmp_path / "overlay.yaml"
    result = roc("import", "ofqual", str(register), "--out", str(overlay))
    assert result.code == 0 and "2 of the catalogue's qualifications found in 3 register rows" in result.stderr
    data = yaml.safe_load(overlay.read_text())
    assert data["source"]["kind"] == "ofqual register CSV" and data["source"]["file"] == "register.csv"
    ncfe = next(q for q in data["qualifications"] if q["number"] == "601/3972/9")
    assert ncfe["min_glh"] == 143 and ncfe["operational_end"] == "2025-07-31"
    lint = roc("lint", "601/3972/9", "601/4404/X", "--overlay", str(overlay), "--on", "2026-09-01", "--json").json()
    codes = {(f["code"], f["qualification"]) for f in lint}
    assert ("register-glh", "601/3972/9") in codes  # the register's 143-298 against the printed 133
    assert ("register-operational-end", "601/3972/9") in codes
    assert ("register-certification-end", "601/3972/9") not in codes  # 2027 is still ahead
    assert not any(code.startswith("register") and q == "601/4404/X" for code, q in codes)  # they agree


def test_import_ofqual_api_json(roc, tmp_path):
    items = [{"QualificationNumber": "601/4404/X", "TotalCredits": 23, "MinimumGLH": 143, "MaximumGLH": 178,
              "TQT": 240, "Status": "No longer awarded", "OperationalEndDate": "2024-12-31T00:00:00"}]
    register = tmp_path / "register.json"
    register.write_text(json.dumps({"Results": items}))
    overlay = tmp_path / "overlay.yaml"
    assert roc("import", "ofqual", str(register), "--out", str(overlay)).code == 0
    lint = roc("lint", "601/4404/X", "--overlay", str(overlay), "--on", "2026-01-01", "--json").json()
    messages = {f["code"]: f["message"] for f in lint}
    assert messages["register-tqt"] == "the register gives TQT 240; the specification prints 230"
    assert "No longer awarded" in messages["register-status"] and "register-operational-end" in messages


def test_import_ofqual_reads_the_api_s_camel_case_and_a_single_qualification(roc, tmp_path):
    # what the register's API returns today: camelCase keys, and one object for one qualification
    item = {"qualificationNumber": "601/4404/X", "title": "OCNLR Level 1 Certificate in Customer Service",
            "totalCredits": 23, "minimumGLH": 143, "maximumGLH": 178, "tqt": 240, "status": "No longer awarded",
            "operationalEndDate": "31/12/2024"}
    for name, body in (("list.json", {"results": [item]}), ("one.json", item)):
        register = tmp_path / name
        register.write_text(json.dumps(body))
        overlay = tmp_path / f"{name}.yaml"
        done = roc("import", "ofqual", str(register), "--out", str(overlay))
        assert done.code == 0, done.stderr
        lint = roc("lint", "601/4404/X", "--overlay", str(overlay), "--on", "2026-01-01", "--json").json()
        messages = {f["code"]: f["message"] for f in lint}
        assert messages["register-tqt"] == "the register gives TQT 240; the specification prints 230"
        assert "No longer awarded" in messages["register-status"] and "register-operational-end" in messages


def test_missing_or_bad_columns_are_clear_errors(roc, tmp_path):
    register = tmp_path / "register.csv"
    register.write_text("Qualification Number,Total Credits\n601/4404/X,23\n")
    result = roc("import", "ofqual", str(register), "--out", str(tmp_path / "o.yaml"))
    assert result.code == 2 and "missing columns 'Guided Learning Hours'" in result.stderr
    assert "columns found: Qualification Number, Total Credits" in result.stderr
    register.write_text(HEADER + "\n" + ROWS[1].replace(",23,", ",twenty,") + "\n")
    result = roc("import", "ofqual", str(register), "--out", str(tmp_path / "o.yaml"))
    assert result.code == 2 and f"{register}:2: Total Credits: 'twenty' is not a whole number" in result.stderr
    register.write_text(HEADER + "\n" + ROWS[1].replace(",23,", ",99999999999,") + "\n")
    result = roc("import", "ofqual", str(register), "--out", str(tmp_path / "o.yaml"))
    assert result.code == 2 and f"{register}:2: Total Credits: Input should be less than or equal to 999" in result.stderr
    assert not (tmp_path / "o.yaml").exists()
