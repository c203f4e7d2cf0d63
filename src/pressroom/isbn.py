"""ISBNs: read as written (hyphens and spaces allowed), checked by their check digit.

``isbn_problem(text)`` → "" for a valid ISBN-13 or ISBN-10, else what is wrong (the expected check
digit when only it is wrong); ``compact(text)`` → the digits (and a final X) alone.
Hand-written: the check digits are two lines of arithmetic (ISO 2108), and the one PyPI library
(python-stdnum) would be a dependency for them alone.
"""

from __future__ import annotations

import re


def compact(text: str) -> str:
    """"978-0-14-044913-6" → "9780140449136"."""
    return re.sub(r"[\s-]", "", text).upper()


def check_digit(body: str) -> str:
    """The check digit of the first 12 (ISBN-13) or 9 (ISBN-10) digits."""
    if len(body) == 12:  # ISO 2108: weights 1, 3, 1, 3 …; mod 10
        return str(-sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10)
    total = sum(int(d) * (10 - i) for i, d in enumerate(body))  # ISBN-10: weights 10 … 2; mod 11, 10 is X
    digit = -total % 11
    return "X" if digit == 10 else str(digit)


def isbn_problem(text: str) -> str:
    """What is wrong with ``text`` as an ISBN, or "" when it is a valid ISBN-13 or ISBN-10."""
    isbn = compact(text)
    if not re.fullmatch(r"\d{13}|\d{9}[\dX]", isbn):
        return "an ISBN has 13 digits (or 10, the last may be X)"
    if len(isbn) == 13 and not isbn.startswith(("978", "979")):
        return "an ISBN-13 begins with 978 or 979"
    expected = check_digit(isbn[:-1])
    if isbn[-1] != expected:
        return f"the check digit is wrong: {text} should end in {expected}"
    return ""
