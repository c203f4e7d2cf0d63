"""A cover image made from the metadata, for books that supply none.

``make_cover(CoverText.of(meta, trim))`` → JPEG bytes (1600 px wide, in the print trim's
proportions; JPEG encodes ten times faster than PNG at this size, and every reading system shows it),
the same bytes for the same metadata and fonts: the title, subtitle, author and publisher set in the
book's serif on a plain ground, the way reading systems show it in their library view.
``draw_front`` draws that design at any size; the print cover's front panel (:mod:`pressroom.cover_html`)
is drawn by it too, so the EPUB's cover is the paperback's front.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # not imported at run time: the cover's child process starts without the model
    from .model import Metadata

WIDTH, HEIGHT = 1600, 2560
GROUND = (110, 22, 26)
INK = (246, 238, 222)
RULE = (214, 178, 112)


@lru_cache(maxsize=4)
def _font_file(family: str, style: str = "Regular") -> str | None:
    """The font file fontconfig picks for a family, if fontconfig is there."""
    if not shutil.which("fc-match"):
        return None
    result = subprocess.run(
        ["fc-match", "--format=%{file}", f"{family}:style={style}"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or None


def _font(size: int, style: str = "Regular"):
    from PIL import ImageFont

    for family in ("EB Garamond", "DejaVu Serif"):
        path = _font_file(family, style)
        if path and path.endswith((".ttf", ".otf")):
            try:
                return ImageFont.truetype(path, size)
            except OSError:
                continue
    return ImageFont.load_default(size)


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(trial, font=font) <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines


@dataclass(frozen=True)
class CoverText:
    """What the generated cover shows: all a cover stage takes, so all its memo key covers."""

    title: str
    subtitle: str
    author: str
    publisher: str
    height: int = HEIGHT  # pixels, for WIDTH wide: the print edition's trim in proportion

    @classmethod
    def of(cls, meta: "Metadata", trim: str = "") -> "CoverText":
        """What ``meta`` shows, in the proportions of the ``trim`` (``[print] trim``; none: 1600 × 2560), so
        that the EPUB's cover is the print cover's front panel."""
        from .trim import trim_points

        size = trim_points(trim) if trim else None
        height = round(WIDTH * size[1] / size[0]) if size else HEIGHT
        return cls(meta.title, meta.subtitle, meta.author, meta.publisher, height)


def begin(config, ready=lambda stage, *args: False) -> None:
    """The EPUB writer's ``begin`` (:func:`pressroom.writers.begin`), before the book is read: start
    making the generated cover from the configuration, unless the book has a cover image or the
    driver's memo has it already. A book with a bibliography has its citations set by pandoc, on the
    other core, while the driver waits: its cover is drawn in that wait (the writer's ``warm`` calls
    :func:`draw_started`); a book without one has it drawn by a child process while it is read."""
    from .codec import register  # here, not at the top: the child process imports this module
    from .typography import typeset_metadata

    register(CoverText)  # the memo keys the cover stage by it
    # as the book will have it once read, in the print trim's proportions
    text = CoverText.of(typeset_metadata(config.metadata), config.settings.trim_size)
    if not config.settings.cover_image and not ready(make_cover, text):
        start_cover(text, child=not config.bibliography)


_started: dict[CoverText, Callable[[], bytes]] = {}
_to_draw: list[CoverText] = []  # begun to be drawn in this process, by draw_started or make_cover


def start_cover(text: CoverText, child: bool = True) -> None:
    """Begin making the cover, so that it is ready when the EPUB writer asks ``make_cover`` for it.
    Importing Pillow, asking fontconfig and drawing take about 60 ms, most of it holding the
    interpreter lock, so a thread gains little. Where a core is free for it:

    - ``child``: a child process (this module run as ``python -m pressroom.cover``, which imports
      neither the model nor the reader) draws on the machine's other core while this one reads the
      book;
    - otherwise it is drawn here by :func:`draw_started`, which the EPUB writer calls while the
      driver waits for pandoc to set the citations: pandoc then has the other core, and a child
      drawing beside it made that wait 20 ms longer on the shipped book (two cores; see
      benchmarks/RESULTS.md). ``make_cover`` draws it if nothing did before."""
    if text in _started or text in _to_draw:
        return
    if not child:
        _to_draw.append(text)
        return
    shown = json.dumps(asdict(text)).encode("utf-8")
    try:
        child = subprocess.Popen([sys.executable, "-P", "-m", "pressroom.cover"], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        return  # make_cover draws it here instead
    try:
        child.stdin.write(shown)
        child.stdin.close()
    except OSError:
        pass

    def result() -> bytes:
        data = child.stdout.read()
        child.stdout.close()
        if child.wait() != 0 or not data:
            return _draw_cover(text)  # the child failed: draw here, where an error is reported
        return data

    _started[text] = result


def draw_started() -> None:
    """Draw now each cover begun here (``start_cover(text, child=False)``) and not drawn yet."""
    while _to_draw:
        text = _to_draw.pop()
        data = _draw_cover(text)
        _started[text] = lambda: data


def make_cover(text: CoverText) -> bytes:
    """The cover's JPEG bytes: the one ``start_cover`` began, or drawn now."""
    if text in _to_draw:
        _to_draw.remove(text)  # not drawn yet: drawn below
    started = _started.pop(text, None)
    return started() if started else _draw_cover(text)


def _draw_cover(meta) -> bytes:
    return draw_front(meta, (WIDTH, meta.height))


def draw_front(meta, size: tuple[int, int] = (WIDTH, HEIGHT), trim: tuple[int, int, int, int] | None = None) -> bytes:
    """The generated front as JPEG bytes of ``size`` pixels: the design set inside ``trim`` (x, y,
    width, height in pixels; the whole image if None), its ground running out to the image's edges
    (the print cover's bleed). The EPUB's cover and the print cover's front panel are both drawn here."""
    from PIL import Image, ImageDraw

    x0, y0, width, height = trim or (0, 0, *size)
    scale = width / WIDTH  # the design is drawn for 1600 × 2560 and scaled to the trim

    def at(y: int) -> int:  # a height in the design → the same fraction of the trim's height
        return y0 + round(y * height / HEIGHT)

    image = Image.new("RGB", size, GROUND)
    draw = ImageDraw.Draw(image)
    margin = round(150 * scale)
    centre = x0 + width / 2
    y = at(420)

    def block(text: str, size: int, gap: float, style: str = "Regular") -> None:
        nonlocal y
        size = round(size * scale)
        font = _font(size, style)
        for line in _wrap(draw, text, font, width - 2 * margin):
            draw.text((centre, y), line, font=font, fill=INK, anchor="ma")
            y += int(size * gap)

    block(meta.title, 150, 1.12)
    y += round(90 * scale)
    draw.line([(centre - 260 * scale, y), (centre + 260 * scale, y)], fill=RULE, width=max(1, round(6 * scale)))
    y += round(130 * scale)
    if meta.subtitle:
        block(meta.subtitle, 88, 1.2, "Italic")
    y = at(HEIGHT - 720)
    block(meta.author.upper(), 96, 1.2)
    if meta.publisher:
        y = at(HEIGHT - 300)
        block(meta.publisher, 64, 1.2)
    out = _JpegBytes()
    image.save(out, quality=92, optimize=False, progressive=False)
    return out.getvalue()


class _JpegBytes(io.BytesIO):
    """A JPEG file in memory. Its name tells Pillow the format, so that ``save`` imports its JPEG
    plug-in alone: given ``format="JPEG"`` it imports five (BMP, GIF, JPEG, PPM, PNG), 15 ms of the
    first cover drawn in a process (Pillow 13)."""

    name = "cover.jpg"


if __name__ == "__main__":
    # The child process of start_cover: the metadata shown (JSON) in, the JPEG out.
    # Out at once, without the interpreter's clean-up: the parent is waiting for the end of the data.
    import os

    sys.stdout.buffer.write(_draw_cover(CoverText(**json.load(sys.stdin.buffer))))
    sys.stdout.buffer.flush()
    os._exit(0)
