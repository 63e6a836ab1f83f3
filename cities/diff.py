"""What changed between two versions of a text, word by word: a pure function over strings.

The template marks the pieces (``<del>``, ``<ins>``); nothing here is markup.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Literal

Kind = Literal["same", "added", "removed"]
Piece = tuple[Kind, str]

_TOKENS = re.compile(r"\S+\s*|\s+")


def text_diff(old: str, new: str) -> list[Piece]:
    """``new`` compared with ``old``, as runs of kept, added and removed text: a word
    carries the spaces after it, so a changed phrase reads as one run."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(("removed", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(("added", "".join(b[j1:j2])))
    return pieces


def changed(pieces: list[Piece]) -> bool:
    return any(kind != "same" for kind, _text in pieces)
