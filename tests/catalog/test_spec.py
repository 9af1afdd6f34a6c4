"""`roc import spec`: drafts read from specifications. On the five seed qualifications the draft,
with the corrections the catalogue records, has the catalogue's units and rules field by field and
the same optima (the catalogue was transcribed by hand: the oracle). On documents in other layouts
(made here: columns in another order and rules as a numbered list, unit codes beside the
references in a tab-separated table, HTML, a PDF) the drafts' optima are worked out by hand."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
import yaml

from catalog import builtin
from catalog.loader import parse_qualification
from catalog.spec import draft_spec, draft_text, read_document
from models import InputError
from solver import plan

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"  # copies of ../shared/seeds
SPECS = ROOT / "tests" / "fixtures" / "specs"
SLOW = pytest.mark.slow  # the fast loop drafts two of the seven; CI drafts all
SEED_DRAFTS = [("000_0d7823bd9020fbdf.txt", "600/1686/3"),
               pytest.param("000_0d7823bd9020fbdf.txt", "600/1684/X", marks=SLOW),
               pytest.param("001_5c101a87c5acf5a9.txt", "600/1686/3", marks=SLOW),
               pytest.param("001_5c101a87c5acf5a9.txt", "600/1684/X", marks=SLOW),
               pytest.param("002_338117e648cc2646.txt", None, marks=SLOW), ("003_5c0421cc89ec7267.txt", None),
               pytest.param("004_70450870fa016f48.txt", None, marks=SLOW)]


def fields(qual) -> dict:
    """What a qualification file says, field by field (titles of groups aside: they are names)."""
    return {
        "number": str(qual.number), "title": qual.title, "awarder": qual.awarder, "level": qual.level,
        "published": qual.published.model_dump(exclude_none=True), "credits": qual.credits.model_dump(exclude_none=True),
        "units": [(u.ref.printed, u.title, u.level, u.credits, u.glh, u.tqt) for u in qual.units],
        "groups": [(g.id, g.mandatory, [str(r) for r in g.units], g.credits, g.count) for g in qual.groups],
        "level_quotas": [(q.credits, q.levels, q.groups) for q in qual.level_quotas],
        "barred": [tuple(u.printed for u in pair.units) for pair in qual.barred],
    }


def loaded(text: str, corrections: list | None = None):
    data = yaml.safe_load(text)
    if corrections is not None:
        data["corrections"] = corrections
    return parse_qualification(data, file="draft")


def optima(qual) -> tuple:
    return tuple((p.glh, p.tqt, p.credits, p.status.value) for p in
                 (plan(qual, goal) for goal in ("minimise glh", "maximise glh", "minimise tqt")))


@pytest.mark.parametrize("document, number", SEED_DRAFTS)
def test_a_seed_s_draft_is_the_catalogue_s_file_field_by_field(document, number):
    draft = draft_spec(SEEDS / document, number)
    catalogue = builtin().get(draft.data["number"])
    corrected = loaded(draft_text(draft), [c.model_dump(mode="json", exclude_none=True) for c in catalogue.corrections])
    assert fields(corrected) == fields(catalogue)
    assert optima(corrected) == optima(catalogue)


def test_every_unit_says_the_line_it_was_read_from_and_the_misprints_are_flagged():
    path = SEEDS / "000_0d7823bd9020fbdf.txt"
    lines = {line.where: line.text for line in read_document(path)}
    draft = draft_spec(path, "600/1686/3")
    for unit in draft.data["units"]:
        assert unit["ref"] in lines[unit["source"]["section"]], unit
        assert unit["source"]["note"].startswith("read from: ")
    flagged = "\n".join(draft.review)
    for misprint in ("M/601/6075 is printed unlike the unit K/601/6075", "T/601/6076 is printed unlike the unit "
                     "M/601/6076", "M601/6059 is printed unlike the unit M/601/6059"):
        assert misprint in flagged
    certificate = draft_spec(path, "600/1684/X")
    assert any("'Ascentic Level 1 Certificate" in item for item in certificate.review)  # the misprinted title
    with pytest.raises(InputError, match="names 2 qualifications"):
        draft_spec(path)


@pytest.mark.parametrize("name, glh, credits, groups", [
    # bakery: A (7 credits, 44 GLH) + the two cheapest of B making 6 credits (D, H: 34) + one C unit of
    # 2 credits (T: 10) reaches 15 credits; A/650/0008 is barred with H/650/0004
    ("bakery-columns.md", 88, 15, [("A", True, None, None), ("B", False, {"min": 6}, None),
                                   ("C", False, None, {"max": 2})]),
    # florist: exactly 9 credits, A mandatory (3, 20 GLH), B gives 6 only as three 2-credit units (42)
    ("florist-codes.txt", 62, 9, [("A", True, None, None), ("B", False, {"min": 4}, None)]),
    # tailoring: A (12 credits, 76 GLH) and at least one B unit: trousers (38) makes 18 credits
    ("tailoring.html", 114, 18, [("A", True, None, None), ("B", False, None, {"min": 1})]),
])
def test_other_layouts_give_drafts_whose_optimum_is_worked_out_by_hand(name, glh, credits, groups):
    draft = draft_spec(SPECS / name)
    qual = loaded(draft_text(draft))
    best = plan(qual, "minimise glh")
    assert (best.glh, best.credits, best.status.value) == (glh, credits, "optimal")
    assert [(g.id, g.mandatory, g.credits.model_dump(exclude_none=True) or None if g.credits else None,
             g.count.model_dump(exclude_none=True) or None if g.count else None) for g in qual.groups] == groups
    assert draft.review == []


def test_unit_codes_stay_beside_their_references():
    draft = draft_spec(SPECS / "florist-codes.txt")
    assert [(u["ref"], u["code"], u["level"]) for u in draft.data["units"]][:2] == [
        ("R/650/0001", "WF/1/001", "L1"), ("Y/650/0002", "WF/1/002", "L1")]
    assert draft.data["units"][3]["level"] == "E3"


def pdf_of(lines: list[str]) -> bytes:
    """A one-page PDF with these lines of text (Helvetica), written by hand: no PDF library here
    makes text pages, and a reader must read this one as any PDF."""
    escaped = [line.replace("\\\\", "\\\\\\\\").replace("(", "\\\\(").replace(")", "\\\\)") for line in lines]
    stream = "BT /F1 9 Tf 11 TL 40 800 Td " + " ".join(f"({t}) Tj T*" for t in escaped) + " ET"
    body = zlib.compress(stream.encode("latin-1"))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_pdf_of_a_specification_gives_the_same_draft_with_its_page(tmp_path):
    text = (SPECS / "florist-codes.txt").read_text().splitlines()
    pdf = tmp_path / "florist.pdf"
    pdf.write_bytes(pdf_of([line.replace("\t", "    ") for line in text]))
    from_pdf = draft_spec(pdf)
    from_text = draft_spec(SPECS / "florist-codes.txt")
    assert [(u["ref"], u["title"], u["level"], u["credits"], u["glh"]) for u in from_pdf.data["units"]] == \
        [(u["ref"], u["title"], u["level"], u["credits"], u["glh"]) for u in from_text.data["units"]]
    assert from_pdf.data["units"][0]["source"]["section"].startswith("page 1, line ")
    assert plan(loaded(draft_text(from_pdf)), "minimise glh").glh == 62


def test_a_misprinted_reference_and_an_impossible_rule_are_flagged_never_silently_mended(tmp_path):
    text = (SPECS / "bakery-columns.md").read_text()
    text = text.replace("| D/650/0003 |", "| E/650/0003 |")  # the digits call for D
    text = text.replace("A minimum of 6 credits must be taken from Group B", "A minimum of 20 credits must be "
                                                                             "taken from Group B")
    spec = tmp_path / "bakery.md"
    spec.write_text(text)
    draft = draft_spec(spec)
    assert "unit E/650/0003: printed so; its digits call for D/650/0003" in "\n".join(draft.review)
    assert [u["ref"] for u in draft.data["units"]][2] == "E/650/0003"  # kept as printed
    qual = loaded(draft_text(draft))
    assert qual.groups[1].credits.min == 20  # read as printed, and then found impossible:
    assert plan(qual, "minimise glh").status.value == "infeasible"
    from solver import lint

    messages = " ".join(f.message for f in lint([qual]))
    assert "check character 'E' does not match the digits (expected 'D')" in messages


@pytest.mark.parametrize("content, words", [
    (b"no numbers here at all\n", "no Ofqual qualification number"),
    (b"Qualification number 603/1234/8 but no title\n", "no qualification title"),
    (b"%PDF-1.4 garbage", "not a PDF roc can read"),
])
def test_a_document_roc_cannot_draft_from_is_one_error_naming_it(tmp_path, content, words):
    path = tmp_path / ("spec.pdf" if content.startswith(b"%PDF") else "spec.txt")
    path.write_bytes(content)
    with pytest.raises(InputError, match=words):
        draft_spec(path)
