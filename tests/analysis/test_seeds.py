"""The engine on the five seed qualifications, against the figures their specifications publish
(where those figures are right) and hand-checked answers."""

from __future__ import annotations

import pytest

from catalog import builtin
from models import Status
from solver import plan


def solve(number: str, goal: str, **kwargs):
    result = plan(builtin().get(number), goal, **kwargs)
    assert result.status is Status.optimal
    return result


# -- Ascentis (000_0d7823bd9020fbdf.txt, "Guided Learning Hours (GLH)") -------------------------
def test_ascentis_award_min_glh_is_57_as_published():
    result = solve("600/1686/3", "minimise glh")
    assert result.glh == 57
    # 24 (mandatory R/601/6071) + 18 (Level 1) + 15 (A/601/6047, which R/601/6068 is barred with)
    assert result.units == ["A/601/6047", "R/601/6071", "K/601/6075"]


def test_ascentis_certificate_min_glh_is_109_as_published():
    result = solve("600/1684/X", "minimise glh")
    assert result.glh == 109 and result.credits == 13
    assert {"R/601/6071", "M/601/6076"} <= set(result.units)


def test_ascentis_min_tqt_is_10_times_the_minimum_credits():
    # "Minimum credits: 7" / "Minimum credits: 13"; the printed TQT figures (130, 70) are swapped
    assert solve("600/1686/3", "minimise tqt").tqt == 70
    assert solve("600/1684/X", "minimise tqt").tqt == 130


def test_ascentis_max_glh_takes_one_unit_of_each_barred_pair():
    award, certificate = solve("600/1686/3", "maximise glh"), solve("600/1684/X", "maximise glh")
    # Nine barred pairs bind inside the Certificate (one names J/601/6052, not offered here);
    # the best of each pair plus the unpaired units.
    assert certificate.glh == 196 and len(certificate.units) == 10
    assert award.glh == 198


def test_ascentis_barred_pair_printed_with_wrong_letter_still_binds():
    # Printed "D/601/6056 may not be taken with M/601/6075"; the unit list prints K/601/6075.
    result = plan(builtin().get("600/1686/3"), "minimise glh", include=["D/601/6056", "K/601/6075"])
    assert result.status is Status.infeasible


# -- OCN London (004_70450870fa016f48.txt, "Qualification details": GLH 143-178, TQT 230) --------
def test_ocnlr_min_glh_is_143_as_published():
    result = solve("601/4404/X", "minimise glh")
    assert result.glh == 143 and result.credits == 23
    assert "F/503/0392" in result.units  # 3 credits of Group C at 6 GLH


def test_ocnlr_max_glh_is_178_as_published():
    result = solve("601/4404/X", "maximise glh")
    assert result.glh == 178 and result.credits == 23


def test_ocnlr_min_tqt_is_230_as_published():
    assert solve("601/4404/X", "minimise tqt").tqt == 230


# -- NCFE (003_5c0421cc89ec7267.txt): TQT 230 is right; the printed GLH 133 is not achievable -----
def test_ncfe_min_glh_is_143_not_the_printed_133():
    assert solve("601/3972/9", "minimise glh").glh == 143


def test_ncfe_min_tqt_is_230_as_published():
    assert solve("601/3972/9", "minimise tqt").tqt == 230


def test_ncfe_max_glh_has_no_credit_cap_so_every_unit_counts():
    # "a minimum of 23 credits": nothing bounds Group C, so all 18 units are a valid set
    result = solve("601/3972/9", "maximise glh")
    assert len(result.units) == 18 and result.glh == 298


# -- ProQual (002_338117e648cc2646.txt, "Qualification Profile": GLH 30, TQT 60) -----------------
@pytest.mark.parametrize("goal", ["minimise glh", "maximise glh", "minimise tqt"])
def test_proqual_single_mandatory_unit(goal):
    result = solve("600/7736/0", goal)
    assert result.units == ["Y/501/4375"] and result.glh == 30 and result.tqt == 60


# -- choices -------------------------------------------------------------------------------------
def test_include_and_exclude_change_the_answer():
    base = solve("601/4404/X", "minimise glh")
    without = solve("601/4404/X", "minimise glh", exclude=["F/503/0392"])
    assert "F/503/0392" not in without.units and without.glh > base.glh
    forced = solve("601/4404/X", "minimise glh", include=["T/506/2126"])
    assert "T/506/2126" in forced.units and forced.glh > base.glh


def test_same_input_gives_the_same_answer():
    first = solve("600/1684/X", "minimise glh")
    for _ in range(5):
        assert solve("600/1684/X", "minimise glh").units == first.units
