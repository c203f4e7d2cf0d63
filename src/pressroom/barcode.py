"""The book's EAN-13 barcode (from its ISBN-13) with the optional 5-digit add-on, as modules.

``ean13_modules("9780140449136")`` → "1010001101…" (95 modules, "1" a bar); ``ean5_modules("51234")``
→ the add-on's 47. ``bars(modules)`` → (start, width) runs of bars, for a writer to draw as vector
rectangles. ``isbn13(text)`` → the ISBN-13 of an ISBN-13 or ISBN-10 (check digit recomputed).

Written by hand. The libraries, weighed (by their documentation and issues, not installed): treepoem
draws add-ons but runs Ghostscript, a PostScript interpreter and a system package, on every build;
python-barcode draws no add-on ("It's not currently possible", WhyNotHugo/python-barcode#140) and its
SVG would reach WeasyPrint as RGB, not 100 % K. The encoding is three 10-entry tables and two parity
tables (ISO/IEC 15420; GS1 General Specifications §5.2), and drawing the bars as page boxes lets the
cover's stylesheet give them DeviceCMYK black. The tests read the printed bars back with zbar.
"""

from __future__ import annotations

from .isbn import check_digit, compact

# ISO/IEC 15420: the left-hand odd-parity (L) set; R is L's complement, G is R reversed.
_L = ("0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011")
_R = tuple("".join("1" if b == "0" else "0" for b in code) for code in _L)
_G = tuple(code[::-1] for code in _R)
_SETS = {"L": _L, "G": _G}
# The parity of the left half's six digits, by the first (implied) digit.
_EAN13_PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLG", "LGLGLG", "LGLGGL", "LGGLGL")
# The add-on's parity by its check value (GS1 §5.2.2.6: 3 × odd positions + 9 × even, mod 10).
_EAN5_PARITY = ("GGLLL", "GLGLL", "GLLGL", "GLLLG", "LGGLL", "LLGGL", "LLLGG", "LGLGL", "LGLLG", "LLGLG")

QUIET_LEFT, QUIET_RIGHT = 11, 7  # modules of light margin (GS1: 11 left, 7 right of an EAN-13)
ADDON_GAP = 9  # modules between the EAN-13 and its add-on (GS1: 7 to 12)
ADDON_QUIET = 5  # light margin right of the add-on (GS1: 5)


def isbn13(text: str) -> str:
    """The ISBN-13 digits of a valid ISBN-13 or ISBN-10 (an ISBN-10 takes 978 and a new check digit)."""
    isbn = compact(text)
    if len(isbn) == 10:
        body = "978" + isbn[:9]
        return body + check_digit(body)
    return isbn


def ean13_modules(digits: str) -> str:
    """The 95 modules of an EAN-13: guard, six left digits by the first digit's parity, centre, six
    right digits (R), guard."""
    first, left, right = int(digits[0]), digits[1:7], digits[7:]
    parity = _EAN13_PARITY[first]
    return ("101" + "".join(_SETS[p][int(d)] for p, d in zip(parity, left)) + "01010"
            + "".join(_R[int(d)] for d in right) + "101")


def ean5_check(digits: str) -> int:
    return (3 * sum(int(d) for d in digits[0::2]) + 9 * sum(int(d) for d in digits[1::2])) % 10


def ean5_modules(digits: str) -> str:
    """The 47 modules of a 5-digit add-on: start 1011, the digits by the check value's parity, 01
    between them."""
    parity = _EAN5_PARITY[ean5_check(digits)]
    return "1011" + "01".join(_SETS[p][int(d)] for p, d in zip(parity, digits))


def bars(modules: str) -> list[tuple[int, int]]:
    """(first module, width in modules) of each bar (run of "1")."""
    runs: list[tuple[int, int]] = []
    for i, bit in enumerate(modules):
        if bit != "1":
            continue
        if runs and runs[-1][0] + runs[-1][1] == i:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((i, 1))
    return runs


def guard_modules() -> set[int]:
    """The modules of the EAN-13's guard bars (start, centre, end), which stand taller than the rest."""
    return {0, 1, 2, 45, 46, 47, 48, 49, 92, 93, 94}
