#!/usr/bin/env python3
"""Make the fonts Pressroom ships (src/pressroom/resources/fonts/) from their sources; run by hand
when a source changes, then commit the files (they are few and small: about 1 MB in all).

- EB Garamond (Octavio Pardo's, 1.003): the variable fonts of the PyPI package
  ``fontpkg-eb-garamond`` (the Google Fonts build: Latin with Polish and Vietnamese, polytonic Greek
  and Cyrillic in roman and italic, with small capitals and old-style figures), cut into static
  instances at weights 400 and 700 (fontTools' instancer): WeasyPrint 70 lays out a variable font at
  its default instance only, so bold would be drawn regular.
- Noto Serif Hebrew and Noto Naskh Arabic (Debian's ``fonts-noto-core``), as they are.

Every file is written as WOFF2 (smaller; WeasyPrint and browsers read it). All are under the SIL
Open Font License 1.1, which allows shipping them with a program (OFL.txt beside them).

    pip install fontpkg-eb-garamond==1.3 && apt-get install fonts-noto-core
    python scripts/make-fonts.py
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont

OUT = Path(__file__).resolve().parent.parent / "src" / "pressroom" / "resources" / "fonts"
NOTO = Path("/usr/share/fonts/truetype/noto")


def garamond() -> None:
    files = importlib.resources.files("fontpkg_eb_garamond") / "files"
    for style, source in (("", "EBGaramond[wght].ttf"), ("Italic", "EBGaramond-Italic[wght].ttf")):
        for weight, name in ((400, "Regular"), (700, "Bold")):
            font = instantiateVariableFont(TTFont(str(files / source)), {"wght": weight}, updateFontNames=True)
            label = (name if name == "Bold" or not style else "") + style
            _save(font, f"EBGaramond-{label}.woff2")


def noto() -> None:
    for name in ("NotoSerifHebrew-Regular", "NotoSerifHebrew-Bold", "NotoNaskhArabic-Regular", "NotoNaskhArabic-Bold"):
        _save(TTFont(str(NOTO / f"{name}.ttf")), f"{name}.woff2")


def _save(font: TTFont, name: str) -> None:
    font.flavor = "woff2"
    font.save(str(OUT / name))
    print(name, (OUT / name).stat().st_size)


if __name__ == "__main__":
    garamond()
    noto()
