"""Learner records with dates as UK records write them (day first) are read."""

from __future__ import annotations

import datetime as dt

import pytest

from catalog import load_learner_record
from models import InputError


def test_day_first_dates_are_read(tmp_path):
    path = tmp_path / "record.csv"
    path.write_text("reference,title,date achieved\nL/506/2083,Customer service,12/03/2025\n"
                    "A/506/2094,Problems,2025-03-13\nH/506/1795,Time,14-03-2025\n")
    record = load_learner_record(path)
    assert [u.date for u in record.achieved] == [dt.date(2025, 3, 12), dt.date(2025, 3, 13), dt.date(2025, 3, 14)]


def test_a_date_that_is_not_one_is_named(tmp_path):
    path = tmp_path / "record.csv"
    path.write_text("reference,date\nL/506/2083,31/13/2025\n")
    with pytest.raises(InputError) as caught:
        load_learner_record(path)
    assert "31/13/2025" in str(caught.value) and "record.csv" in str(caught.value)


def test_transfer_reads_a_record_with_uk_dates(roc, tmp_path):
    path = tmp_path / "record.csv"
    path.write_text("reference,date\nL/506/2083,12/03/2025\n")
    shown = roc("transfer", "--to", "601/3972/9", "--record", str(path))
    assert shown.code == 0, shown.stderr
