"""The web planner under hostile input (issue 23): it reads no server file a scenario names, answers
only to the hosts it serves, and never writes a live formula into a download."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from tests.fresh import fresh_app
from tests.web.test_api import _finish

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def client():
    with TestClient(fresh_app(), raise_server_exceptions=False) as c:
        yield c


def test_a_scenario_upload_cannot_make_the_server_read_its_own_files(client, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text((ROOT / "catalog" / "templates" / "qualification.yaml").read_text())
    said = set()
    for spec in (str(secret), str(tmp_path / "missing.yaml"), "/etc/passwd", "../../x.yaml"):
        body = json.dumps({"id": "s", "qualification": spec}).encode() + b"\n"
        answer = client.post("/api/whatif/jobs", files={"file": ("s.jsonl", body)})
        assert answer.status_code == 422, answer.text
        assert answer.json()["field"] == "qualification" and "never reads files" in answer.json()["error"]
        said.add(answer.json()["error"].replace(repr(spec), "SPEC"))
    assert len(said) == 1  # the same words whether the file exists or not: nothing about the server's disk
    # the user's own upload, by its key, and a catalogue number still run
    key = client.post("/api/qualifications", files={"file": ("mine.yaml", secret.read_bytes())}).json()["key"]
    body = "".join(json.dumps({"id": f"s{k}", "qualification": q}) + "\n" for k, q in enumerate([key, "601/4404/X"]))
    job = client.post("/api/whatif/jobs", files={"file": ("s.jsonl", body.encode())}).json()
    assert _finish(client, job["id"])["state"] == "done"
    lines = [json.loads(x) for x in client.get(f"/api/whatif/jobs/{job['id']}/results.jsonl").text.splitlines()]
    assert [r["status"] for r in lines] == ["optimal", "optimal"] and str(tmp_path) not in json.dumps(lines)


def test_only_the_hosts_the_server_was_started_for_are_answered():
    app = fresh_app(allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1:8000") as ours:
        assert ours.get("/api/qualifications").status_code == 200
    with TestClient(app, base_url="http://attacker.example") as theirs:
        for answer in (theirs.get("/api/qualifications"), theirs.post("/api/plan", json={"qualification": "601/4404/X"})):
            assert answer.status_code == 400 and answer.json()["field"] == "host"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_roc_serve_refuses_a_foreign_host_header():
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "solver", "serve", "--port", str(port), "--allow-host",
                               "planner.college.example"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/api/qualifications"
        for _ in range(300):
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        request = urllib.request.Request(url, headers={"Host": "attacker.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 400
        for name in (f"localhost:{port}", "planner.college.example"):  # its own names, and the one allowed
            assert urllib.request.urlopen(urllib.request.Request(url, headers={"Host": name}), timeout=5).status == 200
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_a_title_that_starts_a_formula_is_text_in_every_download(client, roc, tmp_path):
    text = (ROOT / "catalog" / "templates" / "qualification.yaml").read_text()
    hostile = text.replace("awarder: ", "awarder: '=HYPERLINK(\"http://x\",\"y\")' # ", 1)
    path = tmp_path / "hostile.yaml"
    path.write_text(hostile)
    assert roc("show", str(path), "--json").json()["awarder"].startswith("=")
    roc("compare", str(path), "--out", str(tmp_path / "c.xlsx"))
    roc("compare", str(path), "--out", str(tmp_path / "c.csv"))
    book = openpyxl.load_workbook(tmp_path / "c.xlsx")
    cells = [c.value for row in book[book.sheetnames[-1]].iter_rows() for c in row]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in cells and not any(isinstance(c, str) and c.startswith("=") for c in cells)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "c.csv").read_text())))
    assert rows[0]["awarder"].startswith("'=") and int(rows[0]["min_glh"]) >= 0  # numbers stay numbers
    client.post("/api/qualifications", files={"file": ("hostile.yaml", hostile.encode())})
    web = openpyxl.load_workbook(io.BytesIO(client.get("/api/compare.xlsx").content))
    assert not any(isinstance(c.value, str) and c.value.startswith("=")
                   for row in web[web.sheetnames[-1]].iter_rows() for c in row)


def test_an_empty_title_word_and_a_cut_past_100_percent_are_refused(roc, client):
    assert "rule out every unit" in roc("plan", "601/4404/X", "--exclude-title", "").stderr
    answer = client.post("/api/plan", json={"qualification": "601/4404/X", "exclude_title": [" "]})
    assert answer.status_code == 422 and answer.json()["field"] == "exclude_title"
    cut = roc("whatif", "expand", "601/4404/X", "--glh-percent=-101", "--out", "/dev/null")
    assert cut.code == 2 and "--glh-percent" in cut.stderr and "-100" in cut.stderr
    grid = client.post("/api/whatif/grid", data={"qualification": ["601/4404/X"], "glh_percent": "-150:0:50"})
    assert grid.status_code == 422 and grid.json()["field"] == "glh_percent"


def test_odd_digits_in_the_cohort_form_are_a_422_not_a_500(client):
    fixture = (ROOT / "tests" / "fixtures" / "cohort.yaml").read_bytes()
    for field, value in (("class_size", "²"), ("cost_per_glh", "²"), ("cost_per_glh", "nan"), ("class_size", "0")):
        answer = client.post("/cohort", files={"file": ("c.yaml", fixture)}, data={field: value},
                             headers={"HX-Request": "true"})
        assert answer.status_code == 422 and f'data-field="{field}"' in answer.text, (field, value)


def test_chart_text_is_always_literal(roc, client, tmp_path):
    """An awarder like `Acme $\\undefinedcmd{$ Ltd` is drawn as written, by the CLI and the web."""
    text = (ROOT / "catalog" / "templates" / "qualification.yaml").read_text()
    odd = text.replace("awarder: ", "awarder: 'Acme $\\undefinedcmd{$ Ltd' # ", 1)
    path = tmp_path / "odd.yaml"
    path.write_text(odd)
    chart = tmp_path / "c.svg"
    result = roc("compare", str(path), "--chart", str(chart))
    assert result.code == 0 and "Traceback" not in result.stderr and chart.exists()
    client.post("/api/qualifications", files={"file": ("odd.yaml", odd.encode())})
    page = client.get("/compare/results")
    assert page.status_code == 200 and "<svg" in page.text


def test_a_copy_of_a_catalogue_qualification_gets_ids_of_its_own(roc, tmp_path, client):
    """`whatif expand 601/4404/X copy.yaml` (the same number twice): every id once, every scenario run."""
    copy = tmp_path / "copy.yaml"
    copy.write_text(roc("show", "601/4404/X", "--json").stdout)
    grid = tmp_path / "g.jsonl"
    assert roc("whatif", "expand", "601/4404/X", str(copy), "--out", str(grid)).code == 0
    ids = [json.loads(line)["id"] for line in grid.read_text().splitlines()]
    assert len(ids) == len(set(ids)) == 2
    run = roc("whatif", "run", str(grid), "--out", str(tmp_path / "r.jsonl"), "--no-progress")
    assert run.code == 0, run.stderr
    key = client.post("/api/qualifications", files={"file": ("copy.yaml", copy.read_bytes())}).json()["key"]
    job = client.post("/api/whatif/grid", data={"qualification": ["601/4404/X", key]}).json()
    assert _finish(client, job["id"])["state"] == "done"
    records = [json.loads(x) for x in client.get(f"/api/whatif/jobs/{job['id']}/results.jsonl").text.splitlines()]
    assert [r["status"] for r in records] == ["optimal", "optimal"] and len({r["id"] for r in records}) == 2


def test_a_grid_past_the_limit_is_refused_not_cut(client, monkeypatch):
    from solver.web import jobs

    monkeypatch.setattr(jobs, "MAX_GRID", 10)
    answer = client.post("/api/whatif/grid", data={"qualification": ["601/4404/X"], "glh_percent": "-20:20:2",
                                                    "each_unit": "true"})
    assert answer.status_code == 422 and "more than 10 scenarios" in answer.json()["error"]
    assert client.post("/api/whatif/grid", data={"qualification": ["601/4404/X"]}).status_code == 202


def test_compare_rows_link_to_the_qualification_they_describe(client, roc):
    copy = roc("show", "601/4404/X", "--json").stdout.encode()
    key = client.post("/api/qualifications", files={"file": ("copy.json", copy)}).json()["key"]
    page = client.get("/compare/results", params={"qualification": ["601-4404-X", key]}).text
    assert 'href="/q/601-4404-X"' in page and f'href="/q/{key}"' in page
    assert client.get(f"/q/{key}").status_code == 200


def test_fastapi_s_own_refusals_are_in_roc_s_shape(client):
    for answer in (client.get("/api/check"), client.post("/api/plan", content=b"{not json",
                                                          headers={"content-type": "application/json"}),
                   client.post("/api/plan", content=b"[" * 5000 + b"]" * 5000,
                               headers={"content-type": "application/json"}),
                   client.post("/api/plan", content=b'{"qualification": "\xff\xfe"}',
                               headers={"content-type": "application/json"}),
                   client.post("/api/qualifications", content=b"--x\r\n", headers={"content-type": "multipart/form-data"}),
                   client.post("/api/cohort", content=b"garbage", headers={"content-type": "multipart/form-data; boundary="})):
        assert 400 <= answer.status_code < 500 and set(answer.json()) == {"error", "field"}, answer.text


def test_a_failed_write_leaves_no_part_file_and_two_outputs_need_two_files(roc, tmp_path, monkeypatch):
    from solver.report import files

    def full(*args):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:  # the disk fills as the result is renamed into place
        patched.setattr(files.os, "replace", full)
        failed = roc("plan", "601/4404/X", "--out", str(tmp_path / "p.json"))
    assert failed.code == 2 and "No space left on device" in failed.stderr
    assert not list(tmp_path.glob(".*.part")) and not (tmp_path / "p.json").exists()
    folder = tmp_path / "locked"
    folder.mkdir()
    os.chmod(folder, 0o500)
    try:
        result = roc("plan", "601/4404/X", "--out", str(folder / "p.json"))
        assert result.code == 2 and "cannot be created" in result.stderr or os.geteuid() == 0
    finally:
        os.chmod(folder, 0o700)
    assert not [p for p in folder.iterdir() if p.name.endswith(".part")]
    same = tmp_path / "e.yaml"
    both = roc("transfer", "--to", "601/3972/9", "--achieved", "T/601/6077", "--write-equivalences", str(same),
               "--out", str(same))
    assert both.code == 2 and "is also --out" in both.stderr and not same.exists()
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    under_a_file = roc("plan", "601/4404/X", "--out", str(notes / "p.json"))
    assert under_a_file.code == 2 and "is not a folder" in under_a_file.stderr
    assert len(under_a_file.stderr.splitlines()) == 1 and notes.read_text() == "mine"


def test_a_class_size_past_the_limit_is_blamed_on_the_option(roc):
    result = roc("cohort", "plan", str(ROOT / "tests" / "fixtures" / "cohort.yaml"), "--class-size", "1001")
    assert result.code == 2 and "--class-size" in result.stderr and "cohort.yaml" not in result.stderr


def _serve(*args: str, temp: Path | None = None) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "TMPDIR": str(temp)} if temp is not None else None  # its working folder there
    server = subprocess.Popen([sys.executable, "-m", "solver", "serve", "--port", str(port), *args], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/api/qualifications", timeout=2)
            break
        except OSError:
            time.sleep(0.1)
    return server, url


def _post_file(url: str, name: str, data: bytes, fields: dict[str, str] | None = None, timeout: float = 120):
    boundary = "rocboundary7"
    parts = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode()
             for k, v in (fields or {}).items()]
    parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                 "Content-Type: application/octet-stream\r\n\r\n".encode() + data + f"\r\n--{boundary}--\r\n".encode())
    request = urllib.request.Request(url, data=b"".join(parts),
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    return urllib.request.urlopen(request, timeout=timeout)


def _hard_cohort() -> bytes:
    import yaml

    from bench.cohorts import cohort

    return yaml.safe_dump(cohort(500, 16).model_dump(mode="json", exclude_defaults=True)).encode()


@pytest.mark.slow
@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM"])
def test_ctrl_c_or_sigterm_during_a_long_solve_stops_the_server_within_seconds(how, tmp_path):
    import signal
    import threading

    # the server's working folder in a temp folder of its own: other servers (other tests, other
    # runs on the machine) make and remove theirs meanwhile
    server, url = _serve("--time-limit", "120", temp=tmp_path)
    assert list(tmp_path.glob("roc-web-*"))  # made, then ...
    threading.Thread(target=lambda: _swallow(lambda: _post_file(url + "/api/cohort", "c.yaml", _hard_cohort())),
                     daemon=True).start()
    time.sleep(3)  # the cohort is being solved
    started = time.monotonic()
    server.send_signal(getattr(signal, how))
    code = server.wait(timeout=30)
    assert time.monotonic() - started < 15 and code in (0, -signal.SIGTERM), server.stdout.read()
    assert not list(tmp_path.glob("roc-web-*"))  # ... gone with the server, uploads and all


def _swallow(call) -> None:
    try:
        call()
    except OSError:
        pass


@pytest.mark.slow
def test_a_web_request_stops_at_the_server_s_time_limit_and_says_what_it_proved():
    server, url = _serve("--time-limit", "3")
    try:
        started = time.monotonic()
        answer = json.loads(_post_file(url + "/api/cohort", "c.yaml", _hard_cohort()).read())
        assert time.monotonic() - started < 30
        assert answer["status"] == "feasible" and answer["hours_bound"] <= answer["hours_taught"]
        quick = urllib.request.urlopen(url + "/api/plan?qualification=601/4404/X", timeout=10)
        assert json.loads(quick.read())["status"] == "optimal"  # the server answers others meanwhile
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_an_output_the_user_changed_is_never_replaced(roc, tmp_path):
    """A workbook with the user's notes added, a workbook of another command, a reviewed
    equivalence file: each refused, untouched; the unchanged outputs replaced as before."""
    book = tmp_path / "p.xlsx"
    assert roc("plan", "601/4404/X", "--out", str(book)).code == 0
    assert roc("plan", "601/4404/X", "--out", str(book)).code == 0  # unchanged: replaced
    assert roc("compare", "601/4404/X", "--out", str(book)).code == 2  # another command's workbook
    workbook = openpyxl.load_workbook(book)
    workbook.create_sheet("my notes")["A1"] = "ask the tutor"
    workbook.save(book)
    before = book.read_bytes()
    again = roc("plan", "601/4404/X", "--out", str(book))
    assert again.code == 2 and "not an earlier output" in again.stderr and book.read_bytes() == before
    reviewed = tmp_path / "e.yaml"
    args = ["transfer", "--to", "601/3972/9", "--achieved", "H/601/6074", "A/601/6078", "--write-equivalences",
            str(reviewed)]
    assert roc(*args).code == 0 and roc(*args).code == 0  # written, then replaced while unchanged
    text = reviewed.read_text()
    assert roc("transfer", "--to", "601/3972/9", "--achieved", "H/601/6074", "--equivalences", str(reviewed),
               "--json").code == 0  # still reads back
    reviewed.write_text(text.replace("suggested by roc, needs confirmation", "confirmed by NCFE", 1))
    kept = reviewed.read_text()
    refused = roc(*args)
    assert refused.code == 2 and reviewed.read_text() == kept


def test_a_workbook_that_is_a_zip_bomb_is_never_unpacked(roc, tmp_path):
    import zipfile

    bomb = tmp_path / "p.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("docProps/core.xml", "<dc:creator>roc</dc:creator>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (80 << 20))  # 80 MB of nothing, deflated to little
    before = bomb.read_bytes()
    result = roc("plan", "601/4404/X", "--out", str(bomb))
    assert result.code == 2 and bomb.read_bytes() == before


def test_request_bodies_are_refused_while_they_stream_in(client):
    answer = client.post("/api/qualifications", files={"file": ("big.yaml", b"x" * (5 << 20))})
    assert answer.status_code == 413 and answer.json()["field"] == "file"

    def chunks():  # no Content-Length: counted as it arrives, refused past the limit
        for _ in range(60):
            yield b"x" * (1 << 20)

    streamed = client.post("/api/plan", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413 and set(streamed.json()) == {"error", "field"}
    grid = client.post("/api/whatif/grid", data={"qualification": ["601/4404/X"], "glh_percent": "1:30000"})
    assert grid.status_code == 422 and grid.json()["field"] == "glh_percent"
    assert client.get("/api/qualifications").status_code == 200


def test_a_csv_cell_past_131072_characters_is_one_line_not_a_traceback(roc, client, tmp_path):
    long = "x" * 140_000
    cohort = tmp_path / "cohort.csv"
    cohort.write_text(f"id,qualification,achieved\namy,601/4404/X,{long}\n")
    record = tmp_path / "record.csv"
    record.write_text(f"reference,title\nK/601/6075,{long}\n")
    lars = tmp_path / "lars"
    shutil.copytree(ROOT / "tests" / "fixtures" / "lars", lars)
    with (lars / "LearningDelivery.csv").open("a") as table:  # a row whose title is 140,000 characters
        table.write(f'60144040,"{long}"\n')
    for args in (["cohort", "plan", str(cohort)], ["transfer", "--to", "601/3972/9", "--record", str(record)],
                 ["import", "lars", str(lars), "--out", str(tmp_path / "o.yaml")]):
        result = roc(*args)
        assert result.code == 2 and "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1, args
    answer = client.post("/api/cohort", files={"file": ("cohort.csv", cohort.read_bytes())})
    assert answer.status_code in (413, 422) and set(answer.json()) == {"error", "field"}


@pytest.mark.slow
def test_a_full_disk_during_a_run_is_one_line_and_the_run_resumes(tmp_path):
    """EFBIG under `ulimit -f` stands in for a full disk."""
    import resource
    import signal

    grid = tmp_path / "grid.jsonl"
    grid.write_text("".join(json.dumps({"id": f"s{k}", "qualification": "601/4404/X"}) + "\n" for k in range(300)))
    out = tmp_path / "results.jsonl"

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    run = [sys.executable, "-m", "solver", "whatif", "run", str(grid), "--out", str(out), "--workers", "1",
           "--no-progress"]
    full = subprocess.run(run, capture_output=True, text=True, preexec_fn=small_files, timeout=120)
    assert full.returncode != 0 and "Traceback" not in full.stderr and "cannot write to" in full.stderr
    again = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert sorted(ids) == sorted(f"s{k}" for k in range(300))


def test_a_scenario_file_named_results_jsonl_runs_and_a_failed_job_counts_what_it_did(client):
    body = "".join(json.dumps({"id": f"s{k}", "qualification": "601/4404/X"}) + "\n" for k in range(2))
    job = client.post("/api/whatif/jobs", files={"file": ("results.jsonl", body.encode())}).json()
    state = _finish(client, job["id"])
    assert state["state"] == "done" and state["done"] == 2, state


def test_out_through_a_link_replaces_the_output_it_points_to(roc, tmp_path):
    target = tmp_path / "plan.json"
    assert roc("plan", "601/4404/X", "--out", str(target)).code == 0
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert roc("plan", "601/4404/X", "--maximise", "glh", "--out", str(link)).code == 0
    assert link.is_symlink() and json.loads(target.read_text())["goal"] == "maximise glh"


def test_lars_money_and_rows_are_read_without_guessing(roc, tmp_path):
    """An unquoted £1,001.00 (the row shifts), a comma-decimal "1001,00", and an aim given twice:
    each one line naming the file and row; the fixture itself still imports."""
    fixture = ROOT / "tests" / "fixtures" / "lars"
    assert roc("import", "lars", str(fixture), "--out", str(tmp_path / "ok.yaml")).code == 0
    funding = (fixture / "Funding.csv").read_text().splitlines()
    header, first = funding[0], funding[1]
    rate = header.split(",").index("RateWeighted")
    cells = first.split(",")
    for name, row in (("unquoted", ",".join(cells[:rate] + ["£1,001.00"] + cells[rate + 1:])),
                      ("comma decimal", ",".join(cells[:rate] + ['"1001,00"'] + cells[rate + 1:]))):
        folder = tmp_path / name.replace(" ", "-")
        shutil.copytree(fixture, folder)
        (folder / "Funding.csv").write_text("\n".join([header, row] + funding[2:]) + "\n")
        result = roc("import", "lars", str(folder), "--out", str(tmp_path / "o.yaml"))
        assert result.code == 2 and "Funding.csv:2" in result.stderr and len(result.stderr.splitlines()) == 1, name
    twice = tmp_path / "twice"
    shutil.copytree(fixture, twice)
    aims = (twice / "LearningDelivery.csv").read_text().splitlines()
    (twice / "LearningDelivery.csv").write_text("\n".join(aims + [aims[1].replace(",143,", ",999,", 1)]) + "\n")
    result = roc("import", "lars", str(twice), "--out", str(tmp_path / "o.yaml"))
    assert result.code == 2 and "given twice" in result.stderr


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.slow
def test_a_request_whose_client_goes_stops_solving():
    if not Path("/proc/self/stat").exists():
        pytest.skip("reads the server's CPU time from /proc")
    server, url = _serve("--time-limit", "120")
    try:
        boundary = "rocboundary7"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.yaml\"\r\n\r\n"
                .encode() + _hard_cohort() + f"\r\n--{boundary}--\r\n".encode())
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as client:  # sends the cohort, then hangs up
            client.sendall(f"POST /api/cohort HTTP/1.1\r\nHost: {host}\r\nContent-Length: {len(body)}\r\n"
                           f"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n".encode() + body)
            time.sleep(3)  # the solve is under way
        time.sleep(2)  # the server notices within a quarter of a second, and the solve ends
        before = _cpu_seconds(server.pid)
        time.sleep(3)
        assert _cpu_seconds(server.pid) - before < 0.5  # idle: not solving for the 120 s it was allowed
    finally:
        server.terminate()
        server.wait(timeout=30)
