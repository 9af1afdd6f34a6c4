"""The planning office's day in a real browser (Debian chromium, Playwright) against `roc serve`
with accounts: a planner logs in, plans a cohort and saves it, submits it; an admin logs in and
approves it; the server is stopped and started again on the same data; the planner logs in again
and finds the plan, approved, with the hours it was saved with."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from solver.store import Role, Store
from solver.store import accounts as accounts
from tests.web.server import Server
from tests.web.test_browser import browser  # noqa: F401 - the module's chromium, shared

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow
COHORT = ROOT / "tests" / "fixtures" / "cohort-small-classes.yaml"


def log_in(page, url: str, name: str, next_page: str = "/saved") -> None:
    page.goto(url + next_page)
    page.wait_for_url(re.compile(r".*/login\?next=.*"))  # nobody is let in without logging in
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(url + next_page)
    assert name in page.locator("#who").inner_text()


def log_out(page) -> None:
    page.locator("#logout").click()
    page.wait_for_url(re.compile(r".*/login$"))


def test_log_in_save_a_cohort_plan_submit_approve_restart_and_find_it(browser, tmp_path, roc):  # noqa: F811
    store = Store(tmp_path / "data")
    store.upgrade()
    accounts.add_user(store, "ana", Role.planner, "correct horse")
    accounts.add_user(store, "hugo", Role.admin, "correct horse")
    store.close()
    hours = roc("cohort", "plan", str(COHORT), "--json").json()["hours_taught"]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        with Server(tmp_path / "data") as server:
            log_in(page, server.url, "ana", "/cohort")
            page.locator("#cohort-form input[type=file]").set_input_files(str(COHORT))
            page.get_by_label("Save as").fill("Year 12 customer service")
            page.get_by_role("button", name="Plan").click()
            page.locator("#cohort-saved").wait_for()
            page.get_by_role("link", name="Year 12 customer service").click()
            row = page.locator("#saved tbody tr").first
            assert row.get_attribute("data-state") == "draft"
            row.get_by_role("button", name="Submit").click()
            page.locator("#saved tbody tr[data-state=submitted]").wait_for()
            log_out(page)
            log_in(page, server.url, "hugo")
            row = page.locator("#saved tbody tr", has_text="Year 12 customer service")
            row.get_by_placeholder("note").fill("rooms booked")
            row.get_by_role("button", name="Approve").click()
            page.locator("#saved tbody tr[data-state=approved]").wait_for()
            log_out(page)
        with Server(tmp_path / "data") as again:  # a new process on the same data folder
            log_in(page, again.url, "ana")
            row = page.locator("#saved tbody tr", has_text="Year 12 customer service")
            assert row.get_attribute("data-state") == "approved"
            assert "approved: rooms booked" in " ".join(row.inner_text().split())
            row.get_by_role("link", name="Year 12 customer service").click()
            assert f"{hours} hours taught" in page.locator(".summary").inner_text()  # what roc itself gives
            assert not page.get_by_role("button", name="Approve").count()  # a planner may not approve
    finally:
        context.close()
