"""Encoding damage: what happens to text between systems with different character handling.

``mojibake``: UTF-8 bytes read as Latin-1 (``Ibérica`` -> ``IbÃ©rica``), only for values with
non-ASCII characters; undone by ``value.encode("latin-1").decode("utf-8")``.
``html_entity``: a web form's escaping left in place (``A & B`` -> ``A &amp; B``,
``é`` -> ``&#233;``), only for values with markup-significant or non-ASCII characters;
undone by ``html.unescape``.
``control_char``: a stray control character (SUB, VT, FF, US, DEL) inside the value, as left by
a broken line-feed conversion or a terminal; undone by deleting control characters. No NUL:
too many readers treat it as the end of the text.
A variant is drawn only among those that change the value; ``control_char`` always can.
"""

from __future__ import annotations

import html

import numpy as np

from datasynth.generators.quality.cells import choose

VARIANTS = ("mojibake", "html_entity", "control_char")
WEIGHTS = np.array([0.5, 0.25, 0.25])
CONTROL_CHARS = "\x1a\x0b\x0c\x1f\x7f"
_MARKUP = set("&<>\"'")


def mojibake(value: str) -> str:
    return value.encode("utf-8").decode("latin-1")


def html_entities(value: str) -> str:
    return html.escape(value, quote=True).encode("ascii", "xmlcharrefreplace").decode("ascii")


def strip_control(value: str) -> str:
    return "".join(ch for ch in value if ch not in CONTROL_CHARS)


def applicable(value: str) -> np.ndarray:
    non_ascii = not value.isascii()
    return np.array([non_ascii, non_ascii or any(ch in _MARKUP for ch in value), True])


def apply(value: str, variant: str, u_position: float, u_char: float) -> str:
    if variant == "mojibake":
        return mojibake(value)
    if variant == "html_entity":
        return html_entities(value)
    if variant == "control_char":
        i = min(int(u_position * (len(value) + 1)), len(value))
        ch = CONTROL_CHARS[min(int(u_char * len(CONTROL_CHARS)), len(CONTROL_CHARS) - 1)]
        return value[:i] + ch + value[i:]
    raise ValueError(f"unknown encoding variant {variant!r}")


def corrupt(rng: np.random.Generator, values: list[str]) -> tuple[list[str], list[str]]:
    """One encoding issue per value; the new values and the variant used for each."""
    n = len(values)
    u_variant, u_position, u_char = rng.random(n), rng.random(n), rng.random(n)
    if n == 0:
        return [], []
    picked = choose(u_variant, np.array([applicable(v) for v in values]), WEIGHTS)
    out = [apply(v, VARIANTS[k], float(up), float(uc))
           for v, k, up, uc in zip(values, picked, u_position, u_char)]
    return out, [VARIANTS[k] for k in picked]
