"""Colours and images separated into CMYK for a printer that wants no RGB (a PDF/X-1a cover).

``separate_image(data, profile, ground)`` → the image (JPEG or PNG bytes, sRGB unless it carries its own
ICC profile) as a CMYK JPEG; ``device_cmyk(rgb, profile)`` → the CSS ``device-cmyk()`` of an sRGB colour.
Both go through one ICC transform (Pillow's ImageCms, littleCMS): sRGB (or the image's own profile) →
``profile``, a file in ``resources/icc`` (``printers.Printer.cmyk_profile``; made by
``scripts/make-cmyk-profile.sh``), relative colorimetric with black-point compensation, the prepress
default. So a colour set in CSS next to the same colour drawn in an image (the cover's ground behind the
back and in the front's picture) becomes the same inks, and meets at the fold without a seam.
"""

from __future__ import annotations

import io
from functools import lru_cache
from importlib import resources

QUALITY = 92  # the separated JPEG's quality, as the generated front is drawn (cover.draw_front)


@lru_cache(maxsize=4)
def _profile(name: str):
    from PIL import ImageCms

    data = resources.files("pressroom").joinpath("resources", "icc", name).read_bytes()
    return ImageCms.ImageCmsProfile(io.BytesIO(data))


@lru_cache(maxsize=8)
def _transform(source: bytes | None, name: str):
    """sRGB (``source`` None) or the ICC profile ``source`` → the CMYK profile ``name``."""
    from PIL import ImageCms

    origin = ImageCms.createProfile("sRGB") if source is None else ImageCms.ImageCmsProfile(io.BytesIO(source))
    return ImageCms.buildTransform(origin, _profile(name), "RGB", "CMYK",
                                   renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                   flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)


def _cmyk(image, name: str):
    """A Pillow image (any mode) → CMYK through the transform; one already CMYK is kept as it is
    (separated by whoever made it)."""
    from PIL import ImageCms

    if image.mode == "CMYK":
        return image
    embedded = image.info.get("icc_profile") or None
    rgb = image.convert("RGB")
    try:
        return ImageCms.applyTransform(rgb, _transform(embedded, name))
    except ImageCms.PyCMSError:  # an embedded profile that is not an RGB one littleCMS can use
        return ImageCms.applyTransform(rgb, _transform(None, name))


def separate_image(data: bytes, profile: str, ground: tuple[int, int, int] = (255, 255, 255)) -> bytes:
    """``data`` (an image Pillow reads) → the bytes of a CMYK JPEG through ``profile``. Transparent
    pixels are laid on ``ground`` (sRGB) first: PDF/X-1a allows no transparency (ISO 15930-1, no soft
    masks), so a logo's clear parts take the colour it stands on."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.load()
        if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
            icc = image.info.get("icc_profile")
            flat = Image.new("RGB", image.size, ground)
            flat.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
            if icc:
                flat.info["icc_profile"] = icc
            image = flat
        separated = _cmyk(image, profile)
    out = io.BytesIO()
    # No chroma subsampling: in a CMYK JPEG it would halve the magenta and yellow, not a chroma.
    # Pillow writes CMYK JPEGs Adobe's way (inverted, with an APP14 marker); WeasyPrint reads the
    # marker and gives the image the /Decode array that inverts it back.
    separated.save(out, format="JPEG", quality=QUALITY, optimize=False, progressive=False, subsampling=0)
    return out.getvalue()


def cmyk_of(rgb: tuple[int, int, int], profile: str) -> tuple[int, int, int, int]:
    """The inks (0-255 each) of the sRGB colour ``rgb`` through ``profile``."""
    from PIL import Image

    return _cmyk(Image.new("RGB", (1, 1), rgb), profile).getpixel((0, 0))


def device_cmyk(rgb: tuple[int, int, int], profile: str) -> str:
    """The CSS ``device-cmyk(c m y k)`` of the sRGB colour ``rgb`` through ``profile``."""
    return "device-cmyk({})".format(" ".join(f"{v / 255:.4f}" for v in cmyk_of(rgb, profile)))
