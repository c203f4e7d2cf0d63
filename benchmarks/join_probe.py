"""Issue 18: the size of a book joined from unit PDFs against the one-document PDF, and the join's time.

Run: ``PYTHONPATH=src:tests python benchmarks/join_probe.py [book:profile …]``. Each book is laid out
as the build lays it out, cut into units and written unit by unit exactly as ``tests/test_pdf_join.py``
does (at every division's first page and once more inside each division of more than two pages),
and joined with :func:`pressroom.adapters.pdf_join.join`. Prints one Markdown table row per case.
"""

from __future__ import annotations

import sys
import time

from test_pdf_join import CASES, made

from pressroom.adapters.pdf_join import join


def main(cases) -> None:
    print("| book | profile | pages | units | one document (B) | joined (B) | ratio | join (s) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, profile in cases:
        whole, pieces, arguments, groups = made(name, profile)
        started = time.perf_counter()
        data = join(pieces, **arguments)
        seconds = time.perf_counter() - started
        print(f"| {name} | {profile} | {sum(map(len, groups))} | {len(pieces)} | {len(whole)} | {len(data)} | "
              f"{len(data) / len(whole):.3f} | {seconds:.2f} |")


if __name__ == "__main__":
    main([tuple(arg.split(":")) for arg in sys.argv[1:]] or CASES)
