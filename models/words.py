"""Words every layer writes the same way."""

from __future__ import annotations


def plural(n: int, word: str) -> str:
    """'1 unit', '2 units', '1,000 sets', '2 classes'."""
    plural_form = word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")
    return f"{n:,} {word if n == 1 else plural_form}"
