"""The print cover as the one HTML document WeasyPrint is given: the sheet, the panels, spine text,
back text, the barcode and (for the proof) the guides.

``cover_html(book, sheet, front, guides)`` → HTML (template ``cover/cover.html.j2``, stylesheet
``cover.css`` and the book's ``styles/book.css``), every place in millimetres from the
:class:`~pressroom.cover_sheet.CoverSheet`. ``front_image(book, sheet, run)`` → the front panel's
image (the ``[cover] image``, refused below 300 ppi at its placed size, or the generated design the
EPUB shows, drawn for the panel). ``barcode_drawing(isbn, price_code, box)`` → the barcode's bars and
digits as boxes. For a printer that takes no RGB (``printers.Printer.cmyk``: IngramSpark), every image
is separated into a CMYK JPEG and the ground and ink given as ``device-cmyk()``, through one ICC
transform (:mod:`pressroom.separation`).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from . import model as m
from .codec import register
from .cover import CoverText
from .barcode import (ADDON_GAP, ADDON_QUIET, QUIET_LEFT, QUIET_RIGHT, bars, ean5_modules, ean13_modules,
                      guard_modules, isbn13)
from .cover_sheet import CoverSheet, Rect
from .errors import ConfigError
from .printers import MM_PER_IN

register(CoverText)  # the generated front's memo key (as the EPUB writer registers it)

MIN_PPI = 300  # the printers' rule for images on a cover (KDP, IngramSpark, Lulu: 300 ppi)
DRAW_PPI = 300  # the generated front is drawn at this resolution


def setting(book: m.Book, table: str, key: str):
    from .config import setting_location

    return setting_location(Path(book.root), table, key)


@dataclass(frozen=True)
class PlacedImage:
    data: bytes
    media_type: str
    pixels: tuple[int, int]
    ppi: float  # at its placed size

    @property
    def uri(self) -> str:
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


def front_area(sheet: CoverSheet) -> Rect:
    """Where the front's image stands: the front panel and its bleed (top, outside, bottom)."""
    return Rect(sheet.folds[1], 0.0, sheet.trim_w + sheet.bleed, sheet.height)


def placed_ppi(pixels: tuple[int, int], area: Rect, fit: str = "cover") -> float:
    """The resolution of an image of ``pixels`` scaled into ``area`` (mm): ``cover`` fills it, cropping
    the overflow (the lower of the two resolutions); ``contain`` fits inside it (the higher)."""
    across, down = pixels[0] / (area.w / MM_PER_IN), pixels[1] / (area.h / MM_PER_IN)
    return min(across, down) if fit == "cover" else max(across, down)


def placed_image(book: m.Book, key: str, name: str, area: Rect, fit: str = "cover") -> PlacedImage:
    """The image ``[cover] key`` names (``name``, in the book folder), to be placed in ``area`` with
    ``fit``: ConfigError K002 at the setting's line when it would print below ``MIN_PPI``."""
    import io

    from PIL import Image, UnidentifiedImageError

    from .paths import read_book_file

    where = setting(book, "cover", key)
    data = read_book_file(Path(book.root), name, where, f"[cover] {key}", ConfigError, "C001")
    try:
        with Image.open(io.BytesIO(data)) as image:
            pixels, kind = image.size, (image.format or "").lower()
    except (UnidentifiedImageError, OSError):
        raise ConfigError(f"[cover] {key} {name} is not an image Pressroom can read (JPEG or PNG)", where,
                          code="C001") from None
    if kind not in ("jpeg", "png"):
        raise ConfigError(f"[cover] {key} {name} must be a JPEG or PNG image, not {kind or 'this'}", where, code="C001")
    ppi = placed_ppi(pixels, area, fit)
    if ppi < MIN_PPI:
        factor = MIN_PPI / ppi
        raise ConfigError(f"[cover] {key} {name} is {pixels[0]}×{pixels[1]} px: {ppi:.0f} ppi at its place on the "
                          f"cover ({area.w:.1f}×{area.h:.1f} mm{' with its bleed' if key == 'image' else ''}); a printed "
                          f"cover needs at least {MIN_PPI} ppi, an image of at least {round(pixels[0] * factor)}×"
                          f"{round(pixels[1] * factor)} px", where, code="K002")
    return PlacedImage(data, f"image/{kind}", pixels, ppi)


def press_profile(sheet: CoverSheet) -> str:
    """The CMYK profile the sheet's printer wants its cover separated with ("": it takes RGB)."""
    from .printers import printer

    return printer(sheet.rules.printer).cmyk_profile


def for_press(image: PlacedImage, sheet: CoverSheet, run) -> PlacedImage:
    """``image`` as the sheet's printer takes it: as it is, or separated into a CMYK JPEG (its clear
    parts laid on the cover's ground, where every picture on the cover stands)."""
    from .cover import GROUND
    from .separation import separate_image

    profile = press_profile(sheet)
    if not profile:
        return image
    return PlacedImage(run(separate_image, image.data, profile, GROUND), "image/jpeg", image.pixels, image.ppi)


def front_image(book: m.Book, sheet: CoverSheet, run) -> PlacedImage:
    """The front panel's image: ``[cover] image`` when set (ConfigError K002 below ``MIN_PPI`` at its
    placed size, naming the setting's line), else the generated design, drawn here at ``DRAW_PPI``
    with the trim inside its bleed; separated for a printer that takes no RGB (:func:`for_press`).
    ``run``: the driver's memo (``Memo.run``)."""
    from .cover import draw_front

    area = front_area(sheet)
    if book.settings.cover_image:
        return for_press(placed_image(book, "image", book.settings.cover_image, area), sheet, run)

    def px(mm: float) -> int:
        return round(mm / MM_PER_IN * DRAW_PPI)

    size = (px(area.w), px(area.h))
    trim = (0, px(sheet.bleed), px(sheet.trim_w), px(sheet.trim_h))
    data = run(draw_front, CoverText.of(book.metadata, book.settings.trim_size), size, trim)
    return for_press(PlacedImage(data, "image/jpeg", size, placed_ppi(size, area)), sheet, run)


INSET = 5.0  # mm: the back's text and pictures stand this far inside the printer's safe area (the design's)


def back_places(sheet: CoverSheet) -> dict[str, Rect]:
    """Where the back's pictures stand (mm): the publisher's logo at the foot, left of the barcode, and
    the author's photo above it; both inside the safe area."""
    safe = sheet.back_safe
    logo = Rect(safe.x + INSET, safe.bottom - 12.0, 30.0, 12.0)
    photo = Rect(safe.x + INSET, logo.y - 4.0 - 32.0, 25.0, 32.0)
    return {"logo": logo, "author_photo": photo}


def back_images(book: m.Book, sheet: CoverSheet, run=None) -> dict[str, tuple[PlacedImage, Rect]]:
    """``[cover] author_photo`` and ``logo``, those that are set: name → (image as the printer takes
    it, its place). ``run``: the driver's memo (None: called plainly)."""
    from .writers import run_plainly

    places = back_places(sheet)
    chosen = {"author_photo": book.settings.cover_author_photo, "logo": book.settings.cover_logo}
    return {key: (for_press(placed_image(book, key, name, places[key], "contain"), sheet, run or run_plainly),
                  places[key]) for key, name in chosen.items() if name}


def cover_colours(sheet: CoverSheet) -> dict[str, str]:
    """The CSS colours of the cover's ground and ink (its text): sRGB, or ``device-cmyk()`` through the
    printer's profile, the same inks as the ground and ink of the front's picture."""
    from .cover import GROUND, INK
    from .separation import device_cmyk

    profile = press_profile(sheet)
    if not profile:
        return {"ground": "rgb{}".format(GROUND), "ink": "rgb{}".format(INK)}
    return {"ground": device_cmyk(GROUND, profile), "ink": device_cmyk(INK, profile)}


def blurb_html(book: m.Book) -> str:
    """``[cover] blurb`` as HTML: the text itself, or the ``.md``/``.txt`` file in the book it names.
    Paragraphs and emphasis only (markdown-it's ``zero`` preset, raw HTML escaped): a back cover's text."""
    from markdown_it import MarkdownIt

    from .paths import read_book_file

    blurb = book.settings.cover_blurb
    if not blurb:
        return ""
    if blurb.strip().lower().endswith((".md", ".txt")) and "\n" not in blurb.strip():
        data = read_book_file(Path(book.root), blurb.strip(), setting(book, "cover", "blurb"), "blurb file",
                              ConfigError, "C001")
        try:
            blurb = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ConfigError(f"the blurb file {blurb.strip()} is not UTF-8 text", setting(book, "cover", "blurb"),
                              code="C001") from None
    parser = MarkdownIt("zero", {"typographer": True}).enable(["emphasis", "replacements", "smartquotes"])
    return parser.render(blurb)


@dataclass(frozen=True)
class BarcodeDrawing:
    box: Rect  # the white box
    bars: tuple[Rect, ...]
    texts: tuple[tuple[str, Rect, str], ...]  # (text, its box, alignment)
    module: float  # mm


def barcode_drawing(isbn: str, price_code: str, box: Rect) -> BarcodeDrawing:
    """The EAN-13 of ``isbn`` (and the add-on of ``price_code``) inside the white ``box`` (mm): the
    module as near the nominal 0.33 mm as the box allows, the guard bars longer, the digits below
    (the add-on's above it, GS1 §5.2.3), "ISBN …" above."""
    digits = isbn13(isbn)
    pad, label_h, digits_h = 1.5, 3.2, 3.0
    total = QUIET_LEFT + 95 + (ADDON_GAP + 47 + ADDON_QUIET if price_code else QUIET_RIGHT)
    module = min(0.33, (box.w - 2 * pad) / total)
    x0 = box.x + (box.w - total * module) / 2 + QUIET_LEFT * module
    top = box.y + pad + label_h
    bottom = box.bottom - pad - digits_h
    guard_bottom = bottom + digits_h / 2
    guards = guard_modules()
    drawn = [Rect(x0 + start * module, top, width * module,
                  (guard_bottom if start in guards else bottom) - top) for start, width in bars(ean13_modules(digits))]
    shown = isbn if len(isbn.replace("-", "").replace(" ", "")) == 13 else digits
    texts = [(f"ISBN {shown}", Rect(x0, box.y + pad, 95 * module, label_h), "center"),
             (digits[0], Rect(box.x, bottom, x0 - box.x - module, digits_h), "right"),
             (digits[1:7], Rect(x0 + 3 * module, bottom, 42 * module, digits_h), "center"),
             (digits[7:], Rect(x0 + 50 * module, bottom, 42 * module, digits_h), "center")]
    if price_code:
        ax = x0 + (95 + ADDON_GAP) * module
        addon_top = top + digits_h
        drawn += [Rect(ax + start * module, addon_top, width * module, guard_bottom - addon_top)
                  for start, width in bars(ean5_modules(price_code))]
        texts.append((price_code, Rect(ax, top, 47 * module, digits_h), "center"))
    return BarcodeDrawing(box, tuple(drawn), tuple(texts), module)


def cover_html(book: m.Book, sheet: CoverSheet, front: PlacedImage, guides: bool = False, run=None) -> str:
    """The cover's HTML: one page the sheet's size, every box placed in mm; ``guides``: the proof's
    trim, folds, safe areas and barcode box drawn over it; ``run``: the driver's memo (None: plainly)."""
    from .templates import book_stylesheet, environment, stylesheet

    meta = book.metadata
    barcode = barcode_drawing(meta.isbn_print, book.settings.price_code, sheet.barcode) if meta.isbn_print else None
    spine_font = min(3.9, sheet.spine_safe.w * 0.62)  # mm: 11 pt at most, else what the spine's width holds
    css = "\n".join([stylesheet("cover.css"), book_stylesheet(book.root)])
    return environment(book.root).get_template("cover/cover.html.j2").render(
        book=book, meta=meta, sheet=sheet, front=front, barcode=barcode, guides=guides, css=css,
        blurb=blurb_html(book), spine_font=spine_font, pictures=back_images(book, sheet, run), inset=INSET,
        cmyk=bool(press_profile(sheet)), **cover_colours(sheet),
    )
