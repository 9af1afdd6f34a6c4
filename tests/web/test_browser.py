"""The planner in a real browser: `roc serve` started as a user would, driven in headless Debian
Chromium by Playwright. Screenshots go to $ROC_SCREENSHOTS (the README's are made with
ROC_SCREENSHOTS=docs), else to the test's own folder."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    data = tmp_path_factory.mktemp("browser-data")  # no accounts in it: the single-user planner
    process = subprocess.Popen([sys.executable, "-m", "solver", "serve", "--host", "127.0.0.1", "--port", str(port),
                                "--data", str(data)],
                               cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/api/qualifications", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"roc serve did not start: {process.stdout.read()}") from None
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Debian's chromium is needed for the browser tests (.ci/run installs it)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # a laptop (390: a phone, below)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("ROC_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _shot(page, shots: Path, name: str) -> None:
    path = shots / f"web-{name}.png"
    page.evaluate("window.scrollTo(0, 0); document.querySelectorAll('.side').forEach(e => e.scrollTop = 0)")
    page.screenshot(path=str(path), full_page=False)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000


def test_catalogue_lists_every_qualification(page, server, shots):
    page.goto(server + "/")
    rows = page.locator("#catalogue tbody tr")
    assert rows.count() == 5
    assert "601/4404/X" in page.locator("#catalogue").inner_text()
    _shot(page, shots, "catalogue")
    page.get_by_role("link", name="601/4404/X").click()
    page.wait_for_url("**/q/601-4404-X")
    assert "OCNLR Level 1 Certificate in Customer Service" in page.locator("h1").inner_text()


def test_ticking_units_changes_the_audit(page, server, shots):
    page.goto(server + "/q/601-4404-X")
    page.get_by_label("take L/506/2083").check()
    verdict = page.locator("#audit-verdict")
    verdict.wait_for()
    assert verdict.get_attribute("data-valid") == "false"
    assert "short by" in page.locator("#audit").inner_text()  # the credit shortfall, with its number
    first = page.locator("#audit").inner_text()
    page.get_by_label("take Y/506/2085").check()
    page.wait_for_function("t => document.querySelector('#audit').innerText !== t", arg=first)
    assert "short by" in page.locator("#audit").inner_text()
    # the optimal plan, then its units ticked: the audit turns valid
    page.get_by_role("button", name="Find the optimal plan").click()
    page.locator("#plan-result[data-status=optimal]").wait_for()
    assert "143 GLH" in page.locator("#plan").inner_text()
    page.get_by_role("button", name="Tick these units").click()
    page.locator("#audit-verdict[data-valid=true]").wait_for()
    assert "143 GLH" in page.locator("#audit").inner_text()
    _shot(page, shots, "qualification")


def test_a_restricted_plan_says_what_the_restriction_costs(page, server):
    page.goto(server + "/q/601-4404-X")
    page.get_by_label("never include F/503/0392").check()
    page.get_by_role("button", name="Find the optimal plan").click()
    page.locator("#plan-result[data-status=optimal]").wait_for()
    text = page.locator("#plan").inner_text()
    assert "149 GLH" in text and "cost 6 GLH against the unrestricted optimum of 143" in " ".join(text.split())
    assert "F/503/0392" not in page.locator("#plan-units").inner_text()


def test_compare_shows_the_table_and_the_chart(page, server, shots):
    page.goto(server + "/compare")
    page.locator("#compare-table").wait_for()
    assert page.locator("#compare-table tbody tr").count() == 5
    chart = page.locator("#compare-chart svg")
    chart.wait_for()
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 150  # drawn, not an empty element
    labels = chart.text_content()
    assert "601/4404/X" in labels and "600/7736/0" in labels
    _shot(page, shots, "compare")
    page.get_by_label("600/7736/0").uncheck()
    page.wait_for_function("() => document.querySelectorAll('#compare-table tbody tr').length === 4")


def test_a_bad_upload_shows_the_error_with_its_field(page, server, tmp_path):
    template = (ROOT / "catalog" / "templates" / "qualification.yaml").read_text()
    bad = tmp_path / "broken.yaml"
    bad.write_text(template.replace("mandatory: true", "mandatroy: true", 1))
    page.goto(server + "/")
    page.locator("#upload-form input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Upload").click()
    error = page.locator("#upload-result [role=alert]")
    error.wait_for()
    text = error.inner_text()
    assert "broken.yaml" in text and "mandatroy" in text and "did you mean 'mandatory'" in text
    good = tmp_path / "mine.yaml"
    good.write_text(template)
    page.locator("#upload-form input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url("**/q/upload-*")
    page.get_by_role("button", name="Find the optimal plan").click()
    page.locator("#plan-result[data-status=optimal]").wait_for()
    assert "67 GLH" in page.locator("#plan").inner_text()


def test_transfer_maps_achieved_units(page, server, shots):
    page.goto(server + "/transfer")
    page.locator("#transfer-to").select_option("601-3972-9")
    for summary in page.locator("#transfer-achieved summary").all():  # open every qualification's units
        summary.click()
    for ref in ("L/506/2083", "Y/506/2085", "H/601/6074"):  # a tick each: no Ctrl-click in a list box
        page.get_by_label(f"achieved {ref}").first.check()
    page.get_by_role("button", name="Transfer").click()
    page.locator("#transfer-answer[data-status=optimal]").wait_for()
    mapping = page.locator("#transfer-mapping").inner_text()
    assert "L/506/2083" in mapping and "Y/506/2085" in mapping and "same reference" in mapping
    assert "H/601/6074" not in mapping  # a suggestion never counts until declared ...
    suggested = page.locator("#transfer-suggestions").inner_text()
    assert "H/601/6074" in suggested and "A/506/2113" in suggested  # ... but is shown, with its saving
    _shot(page, shots, "transfer")
    # suggested for review from the Maybe, confirmed on the Equivalences page: then it counts
    page.locator("#transfer-suggestions tr", has_text="A/506/2113").get_by_role("button", name="Suggest for review").click()
    page.get_by_text("Suggested for review").wait_for()
    page.goto(server + "/equivalences")
    row = page.locator("#equivalences tbody tr", has_text="A/506/2113")
    row.get_by_placeholder("note").fill("the awarding organisation agreed")
    row.get_by_role("button", name="Confirm").click()
    page.locator("#equivalences tbody tr[data-state=confirmed]").wait_for()
    page.goto(server + "/transfer")
    page.locator("#transfer-to").select_option("601-3972-9")
    page.get_by_label("or type references").fill("L/506/2083 Y/506/2085 H/601/6074")
    page.get_by_role("button", name="Transfer").click()
    page.locator("#transfer-answer[data-status=optimal]").wait_for()
    mapping = page.locator("#transfer-mapping").inner_text()
    assert "H/601/6074" in mapping and "A/506/2113" in mapping and "equivalence confirmed-" in mapping


def test_whatif_grid_runs_with_progress_and_results(page, server, shots):
    page.goto(server + "/whatif")
    page.locator("#grid-form input[name=qualification][value='601-4404-X']").check()
    page.locator("#grid-form input[name=glh_percent]").fill("-20:20:5")
    page.get_by_role("button", name="Run").first.click()
    page.locator(".job[data-state=done]").wait_for(timeout=120_000)
    rows = page.locator("#whatif-results tbody tr")
    try:
        rows.nth(8).wait_for(timeout=10_000)
    except Exception:  # say what the page shows instead
        raise AssertionError(page.locator(".job").first.inner_text()) from None
    assert rows.count() == 9  # the baseline and 8 revisions
    assert page.get_by_role("link", name="XLSX").count() == 1
    changes = [abs(int(t)) for t in page.locator("#whatif-results tbody tr td:nth-child(4)").all_inner_texts()
               if t.strip() not in ("", "-")]
    assert changes == sorted(changes, reverse=True) and changes[0] > 0  # the largest change first
    chart = page.locator("#whatif-chart svg")
    assert chart.count() == 1 and chart.bounding_box()["width"] > 300 and "601/4404/X" in chart.text_content()
    _shot(page, shots, "whatif")


def test_cohort_plan_in_the_browser(page, server, shots, roc):
    """The page says what `roc cohort plan --json` says: hours, the realistic saving, each limit's
    cost, and every class list; the XLSX download has a sheet of class lists."""
    import io

    import openpyxl

    fixture = ROOT / "tests" / "fixtures" / "cohort-small-classes.yaml"
    expected = roc("cohort", "plan", str(fixture), "--json").json()
    page.goto(server + "/cohort")
    page.locator("#cohort-form input[type=file]").set_input_files(str(fixture))
    page.get_by_role("button", name="Plan").click()
    page.locator("#cohort-answer[data-status=optimal]").wait_for()
    text = " ".join(page.locator("#cohort-answer").inner_text().split())
    assert f"{expected['hours_taught']} hours taught in {expected['classes']} classes" in text
    assert f"saving {expected['saving_hours']} hours" in text and f"({expected['baseline_hours']} hours)" in text
    cost = expected["limit_costs"][0]
    assert f"classes of at least 2: costs {cost['cost_hours']} hours" in text
    first = page.locator("details.class-lists").first
    first.locator("summary").click()
    row = expected["schedule"][0]
    for group in row["classes"]:
        item = first.locator(f"li[data-class='{row['ref']} {group['number']}']")
        assert item.inner_text() == f"{len(group['learners'])}: {', '.join(group['learners'])}"
    href = page.get_by_role("link", name="XLSX").get_attribute("href")
    book = openpyxl.load_workbook(io.BytesIO(page.request.get(server + href).body()))
    lists = [[c.value for c in r] for r in book["class_lists"].iter_rows(min_row=2)]
    assert len(lists) == sum(len(r["classes"]) for r in expected["schedule"])
    _shot(page, shots, "cohort")


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 900)])
def test_every_page_fits_a_phone_and_a_laptop(browser, server, shots, width, height):
    # no page scrolls sideways, the header spans the page, and nothing on it is cut (issue 25)
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        for path, ready, name in (("/", "#catalogue", "catalogue"), ("/q/601-4404-X", "#units", "qualification"),
                                  ("/compare", "#compare-table", "compare"), ("/transfer", "#transfer-to", "transfer"),
                                  ("/whatif", "#scenario-form", "whatif"), ("/cohort", "form", "cohort"),
                                  ("/saved", "#saved", "saved"), ("/equivalences", "#equivalence-form", "equivalences"),
                                  ("/audit", "#audit", "audit"), ("/users", "#user-form", "users"),
                                  ("/import", "#import-form", "import")):
            page.goto(server + path)
            page.locator(ready).first.wait_for()
            if name == "qualification":  # a plan's table too, the widest thing on the page
                page.get_by_role("button", name="Find the optimal plan").click()
                page.locator("#plan-result[data-status=optimal]").wait_for()
                if width >= 1000:  # beside the units: the whole table in its column, nothing cut
                    table, column = page.locator("#plan-units").bounding_box(), page.locator(".side").bounding_box()
                    assert table["x"] + table["width"] <= column["x"] + column["width"] + 1, (table, column)
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{path} is {wide} px wide at {width}"
            header = page.locator("header").bounding_box()
            assert header["width"] >= width - 1, f"{path}: the header stops at {header['width']} px"
            for link in page.locator("header nav a").all():  # every link on the dark header, on screen
                box = link.bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= width and box["y"] + box["height"] \
                    <= header["y"] + header["height"], f"{path}: {link.inner_text()} is off the header"
            if width == 390 and name in ("catalogue", "qualification", "compare"):
                page.evaluate("window.scrollTo(0, 0)")
                path_png = shots / f"web-{name}-390.png"
                page.screenshot(path=str(path_png), full_page=False)
                assert path_png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        context.close()


def test_compare_with_money_fits_a_laptop(browser, server, roc, tmp_path):
    # seventeen columns: set smaller, the whole table in its box at 1,280 px, nothing scrolled out of view
    overlay = tmp_path / "lars.yaml"
    assert roc("import", "lars", str(ROOT / "tests" / "fixtures" / "lars"), "--out", str(overlay)).code == 0
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(server + "/compare")
        page.locator("#compare-table").wait_for()
        page.fill("#cost-per-glh", "30")
        page.fill("#class-size", "12")
        page.set_input_files("#funding-file", str(overlay))
        page.locator("#money-chart svg").wait_for(timeout=30_000)
        table, box = page.locator("#compare-table").bounding_box(), page.locator("#compare-results").bounding_box()
        assert table["x"] + table["width"] <= box["x"] + box["width"] + 1, (table, box)
        assert "£7,722.00" in page.locator("#compare-table").inner_text()  # NCFE's margin per class of 12
    finally:
        context.close()
