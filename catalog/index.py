"""The catalogue: every qualification roc knows, indexed by Ofqual number."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from models import InputError, Qualification, QualNumber, UnknownQualification

from .loader import SUFFIXES, load_file

DATA_DIR = Path(__file__).parent / "data"


class Catalog:
    def __init__(self, entries: Iterable[tuple[Qualification, Path]]) -> None:
        self._by_digits: dict[str, Qualification] = {}
        self.files: dict[str, Path] = {}
        for qual, path in entries:
            if qual.number.digits in self._by_digits:
                raise InputError(
                    f"qualification {qual.number} is also defined in {self.files[qual.number.digits]}",
                    file=str(path), field="number")
            self._by_digits[qual.number.digits] = qual
            self.files[qual.number.digits] = path

    @classmethod
    def from_dir(cls, directory: Path) -> "Catalog":
        files = sorted(p for p in directory.iterdir() if p.suffix.lower() in SUFFIXES)
        return cls((load_file(path), path) for path in files)

    def __iter__(self) -> Iterator[Qualification]:
        return iter(sorted(self._by_digits.values(), key=lambda q: (q.awarder, q.number.digits)))

    def __len__(self) -> int:
        return len(self._by_digits)

    def get(self, number: str | QualNumber) -> Qualification:
        try:
            parsed = number if isinstance(number, QualNumber) else QualNumber.parse(number)
        except ValueError as exc:
            raise UnknownQualification(str(exc)) from None
        qual = self._by_digits.get(parsed.digits)
        if qual is None:
            known = ", ".join(str(q.number) for q in self)
            raise UnknownQualification(f"no qualification {number} in the catalogue (known: {known})")
        return qual

    def resolve(self, spec: str) -> Qualification:
        """A qualification number from the catalogue, or a path to a qualification file."""
        if names_file(spec):
            return load_file(Path(spec))
        return self.get(spec)

    def resolve_all(self, specs: Iterable[str]) -> list[Qualification]:
        specs = list(specs)
        return [self.resolve(s) for s in specs] if specs else list(self)


def names_file(spec: str) -> bool:
    """Whether `spec` names a qualification file (by its suffix, or because it exists) rather than
    a catalogue number."""
    path = Path(spec)
    return path.suffix.lower() in SUFFIXES or path.exists()


@lru_cache(maxsize=1)
def builtin() -> Catalog:
    """The built-in catalogue, transcribed from the seed specifications."""
    return Catalog.from_dir(DATA_DIR)
