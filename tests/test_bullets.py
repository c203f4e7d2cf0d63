"""The bullets of a list are drawn, at every level, with the glyph the font has for them (issue 13
item 6: a bullet once came out as a small superscript "A" and nested bullets not at all, WeasyPrint
mixing glyph numbers between font files of one family). Checked by what is DRAWN, never by the
extracted text: each marker's pixels on the rendered page against the glyph drawn from the font
file the book is set in, and the font the PDF names for it must be one Pressroom ships (no
fallback to a system font, which differs between machines)."""

from __future__ import annotations

import ctypes
import io

import pytest

BOOK = "kitchen-sink"
MARKERS = "\u2022\u25e6\u2013"  # the three levels: disc, circle, then an en dash (print.css)
DPI = 600


def _ink(image, threshold: int = 128):
    """The dark pixels of a greyscale image as a set of (x, y), shifted to start at (0, 0)."""
    width, height = image.size
    pixels = image.load()
    points = {(x, y) for y in range(height) for x in range(width) if pixels[x, y] < threshold}
    if not points:
        return points, (0, 0)
    left, top = min(x for x, _ in points), min(y for _, y in points)
    shifted = {(x - left, y - top) for x, y in points}
    return shifted, (max(x for x, _ in shifted) + 1, max(y for _, y in shifted) + 1)


def _glyph(char: str):
    """``char``'s glyph drawn large from the shipped regular face (FreeType through Pillow), cropped to its ink."""
    from fontTools.ttLib import TTFont
    from PIL import Image, ImageDraw, ImageFont

    from pressroom.fonts import FONTS

    font = TTFont(str(FONTS / "EBGaramond-Regular.woff2"))
    font.flavor = None
    data = io.BytesIO()
    font.save(data)
    data.seek(0)
    face = ImageFont.truetype(data, 400)
    image = Image.new("L", (800, 800), 255)
    ImageDraw.Draw(image).text((200, 200), char, font=face, fill=0)
    return image.crop(image.point(lambda v: 255 - v).getbbox())


def _reference(char: str, size: tuple[int, int]):
    """The ink of ``char``'s glyph scaled to ``size`` (width, height in pixels): the shape a marker drawn that size must have."""
    from PIL import Image

    return _ink(_glyph(char).resize(size, Image.LANCZOS))


def _aspect(size: tuple[int, int]) -> float:
    return size[0] / size[1]


def test_every_level_of_bullets_is_drawn_with_the_fonts_own_glyph(built_books):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(built_books.output(BOOK, "pdf"))
    seen = set()
    for index in range(len(pdf)):
        textpage = pdf[index].get_textpage()
        markers = [k for k in range(textpage.count_chars()) if textpage.get_text_range(k, 1) in MARKERS]
        if not markers or not any(textpage.get_text_range(k, 1) == "\u25e6" for k in markers):
            continue
        bitmap = pdf[index].render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
        origin_x, _, _, origin_top = pdf[index].get_mediabox()  # pixels count from its top left
        for k in markers:
            char = textpage.get_text_range(k, 1)
            name = ctypes.create_string_buffer(256)
            raw.FPDFText_GetFontInfo(textpage.raw, k, name, 256, ctypes.byref(ctypes.c_int()))
            assert b"Pressroom" in name.value, f"{char!r} drawn with {name.value!r}, not a shipped font"
            left, bottom, right, top = textpage.get_charbox(k)
            pad = 3
            scale = DPI / 72
            box = (int((left - origin_x) * scale) - pad, int((origin_top - top) * scale) - pad,
                   int((right - origin_x) * scale) + pad + 1, int((origin_top - bottom) * scale) + pad + 1)
            drawn, drawn_size = _ink(bitmap.crop(box))
            assert drawn, f"{char!r} on page {index + 1}: nothing drawn"
            wanted, _ = _reference(char, drawn_size)
            glyph = _glyph(char)
            assert abs(_aspect(drawn_size) - _aspect(glyph.size)) <= 0.2 * _aspect(glyph.size), \
                (char, index + 1, drawn_size, glyph.size)
            overlap = len(drawn & wanted) / len(drawn | wanted)
            assert overlap >= 0.75, (char, index + 1, overlap)
            seen.add(char)
    assert seen == set(MARKERS), f"kitchen-sink has a list three levels deep; markers drawn: {seen}"
