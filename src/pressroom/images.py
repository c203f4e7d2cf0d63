"""Images from the book, verified when they are read: decodable, of bounded size, SVG parsed safely.

``image_problem(path)`` → why the file cannot go into a book ("" when it can). Raster images are
opened with Pillow and fully decoded (a truncated or corrupt file, or a text file named ``.png``,
fails here instead of vanishing from the PDF); their pixel count is bounded before decoding
(a decompression bomb — a 30000 × 30000 PNG of a few kilobytes — is refused without being
expanded). An SVG is parsed with no DTD, no entities and no network, and may refer to nothing
outside itself: a DOCTYPE, an external ``href``, or a ``url(…)`` that is not a fragment is refused,
so the renderer never fetches a file for it.
"""

from __future__ import annotations

import re
from pathlib import Path

MAX_PIXELS = 50_000_000  # 50 megapixels: a full-page image at 600 dpi is a quarter of that
MAX_SIDE = 20_000
MAX_SVG_BYTES = 10_000_000
_XLINK = "{http://www.w3.org/1999/xlink}href"
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.I)


def image_problem(path: Path) -> str:
    """Why the image file at ``path`` cannot go into the book, or "" when it can."""
    if path.suffix.lower() == ".svg":
        return svg_problem(path.read_bytes())
    return raster_problem(path)


def raster_problem(path: Path) -> str:
    """Open and decode a PNG, JPEG, GIF or WebP with Pillow, its size bounded before decoding."""
    from PIL import Image, ImageFile, UnidentifiedImageError

    # WeasyPrint (70) sets Pillow's LOAD_TRUNCATED_IMAGES on import, for the whole process: a
    # truncated file would then decode "successfully" with grey where its end is missing.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        return _raster_problem(path, Image, UnidentifiedImageError)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def _raster_problem(path: Path, Image, UnidentifiedImageError) -> str:
    try:
        with Image.open(path) as image:
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                return (f"the image is {width} × {height} pixels; Pressroom takes at most {MAX_SIDE} pixels a "
                        f"side and {MAX_PIXELS // 1_000_000} megapixels (scale it down)")
            expected = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
            wanted = expected.get(path.suffix.lower())
            if wanted and image.format != wanted:
                return f"the file is a {image.format} image but is named {path.suffix}: rename it"
            image.load()  # decodes every pixel: a truncated or corrupt file fails here
    except UnidentifiedImageError:
        return "the file is not an image Pressroom can read (is it really a picture?)"
    except Image.DecompressionBombError:
        return (f"the image claims more than {2 * Image.MAX_IMAGE_PIXELS // 1_000_000} megapixels, too many to "
                f"decode safely (a decompression bomb?); Pressroom takes at most {MAX_PIXELS // 1_000_000}")
    except (OSError, SyntaxError, ValueError) as exc:
        return f"the image cannot be decoded: {exc}"
    return ""


def svg_problem(data: bytes) -> str:
    """Parse an SVG safely and refuse what could make a renderer read anything beyond it."""
    from lxml import etree

    if len(data) > MAX_SVG_BYTES:
        return f"the SVG is larger than {MAX_SVG_BYTES // 1_000_000} MB"
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        return "the SVG declares a DOCTYPE or entities; save it without them (Inkscape: Plain SVG)"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return f"the SVG is not well-formed XML (line {exc.lineno}: {exc.msg})"
    if etree.QName(root).localname != "svg":
        return f"the file is not an SVG image (its root element is <{etree.QName(root).localname}>)"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in ("href", _XLINK):
            target = (element.get(name) or "").strip()
            if target and not target.startswith("#"):
                return (f"the SVG refers to {target[:60]!r} (line {element.sourceline}); an image in a book must "
                        "hold everything it shows (embed it, or refer to #ids inside the SVG)")
        style = (element.get("style") or "") + (element.text or "" if etree.QName(element).localname == "style" else "")
        if _CSS_URL.search(style):
            return f"the SVG's style refers to a file (line {element.sourceline}); use only url(#id) references"
    return ""
