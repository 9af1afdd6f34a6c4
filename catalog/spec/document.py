"""A specification as numbered lines, whatever it came as: plain text or Markdown as written,
HTML with its tables turned into `| a | b |` rows, a PDF page by page (pypdf). Each line keeps
where it was (line number, and page for a PDF), so every value read from it can say so."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from models import InputError

from ..reading import read_text

TAG = re.compile(r"</?[A-Za-z][^>]*>")  # inline tags left in a text export (<b>Barred</b>)
REF_CELL = re.compile(r"^\s*\**([A-Za-z])\s*/?\s*([0-9]{3})\s*/\s*([0-9]{4})\**\s*$")
MAX_BYTES = 32 << 20  # a specification of more than 32 MiB is not one


@dataclass(frozen=True)
class Line:
    number: int  # in the text as read (1-based)
    text: str
    page: int | None = None  # a PDF's page (1-based)

    @property
    def where(self) -> str:
        return f"page {self.page}, line {self.number}" if self.page else f"line {self.number}"

    def cells(self) -> list[str] | None:
        """The cells of a table row (`| a | b |` or tab-separated), or None for prose."""
        if self.text.count("|") >= 2:
            parts = [c.strip() for c in self.text.strip().split("|")]
            return parts[1:-1] if self.text.strip().startswith("|") else parts
        if "\t" in self.text:
            return [c.strip() for c in self.text.split("\t")]
        parts = re.split(r"\s{2,}", self.text.strip())  # a PDF's columns: runs of spaces
        return parts if len(parts) >= 3 else None


def read_document(path: Path) -> list[Line]:
    """The document's lines; a format roc cannot read is one error naming the file."""
    if path.is_dir():
        raise InputError("is a folder: give the specification's file", file=str(path))
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    if path.stat().st_size > MAX_BYTES:
        raise InputError(f"the file is over {MAX_BYTES >> 20} MiB; a specification is far smaller", file=str(path))
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return _pdf(path)
    text = read_text(path, MAX_BYTES)
    if suffix in (".html", ".htm") or text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        text = _html_text(text)
    return [Line(n, TAG.sub("", line).rstrip()) for n, line in enumerate(text.splitlines(), 1)]


def _pdf(path: Path) -> list[Line]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pages = [page.extract_text() or "" for page in PdfReader(path).pages]
    except (PdfReadError, ValueError, OSError) as exc:
        raise InputError(f"not a PDF roc can read: {exc}", file=str(path)) from None
    lines, number = [], 0
    for page_no, text in enumerate(pages, 1):
        for line in text.splitlines():
            number += 1
            lines.append(Line(number, line.rstrip(), page_no))
    if not any(line.text.strip() for line in lines):
        raise InputError("the PDF has no text to read (a scan? roc does not read images)", file=str(path))
    return lines


class _Text(HTMLParser):
    """HTML as lines: a block element ends a line, a table row becomes `| a | b |`."""

    BLOCKS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "table", "section",
              "header", "footer", "article"}

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = [""]
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag in self.BLOCKS and self.row is None:
            self.lines.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.lines += ["| " + " | ".join(self.row) + " |", ""]
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.row is None:
            self.lines[-1] += " ".join(data.split()) if data.strip() else ""


def _html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.lines)
