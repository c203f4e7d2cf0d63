"""EbookLib, as Pressroom uses it, and its quirks. Written for EbookLib 0.20 (``WRITTEN_FOR``).

- It sets a random uuid4 identifier: the writer always sets the config's identifier.
- ``EpubHtml`` re-parses the XHTML it is given and keeps only the body (our ``<head>``,
  ``epub:type`` on ``<body>`` and the doctype would go), so pages are added as plain ``EpubItem``
  documents, written as we rendered them.
- Its generated nav has empty lists for parts and no real landmarks, and its page-list lists
  every element with ``epub:type`` and ``id`` (noterefs too): we write our own nav and turn
  ``epub3_pages`` and its landmarks off (:data:`WRITE_OPTIONS`).
- It writes no ``xml:lang`` on the OPF ``package`` (EPUB 3.3 recommends it; Ace reports
  ``epub-lang`` without it): our writer sets it to the book's language (:func:`package`).
- ``add_author`` writes only ``dc:creator`` (no ``dc:contributor``) and gives its ``file-as``
  refinement a ``scheme="marc:relators"`` (the relator scheme is for ``role`` only: EPUB 3.3,
  D.3.4 and D.3.6): people are added with :func:`add_person`, collections with
  :func:`add_collection` (it has none).
- ``dcterms:modified`` is local time with a "Z", and zip entries always carry "now": we pass the
  source date in UTC and re-pack the zip with fixed times (:func:`repack`).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

WRITTEN_FOR = "0.20"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

WRITE_OPTIONS = {
    "epub3_pages": False, "epub3_landmark": False, "spine_direction": False, "raise_exceptions": True,
    "compresslevel": 0,  # repack() compresses: deflating here too would be done twice
}


def add_person(book, element: str, name: str, role: str, file_as: str, uid: str) -> None:
    """Add ``dc:creator`` or ``dc:contributor`` (``element``) ``name`` with the id ``uid`` to an
    ``ebooklib.epub.EpubBook``, refined by its MARC relator ``role`` and its sort form ``file_as``
    (EPUB 3.3, 5.5.6 "role" and "file-as"; EPUB 3.3 D.3.3: creators are the primary authors,
    contributors everyone else whose role the relator code says)."""
    book.add_metadata("DC", element, name, {"id": uid})
    book.add_metadata(None, "meta", role, {"refines": "#" + uid, "property": "role", "scheme": "marc:relators"})
    if file_as:
        book.add_metadata(None, "meta", file_as, {"refines": "#" + uid, "property": "file-as"})


def add_collection(book, uid: str, name: str, kind: str, position: str = "") -> None:
    """Add ``belongs-to-collection`` ``name`` of ``collection-type`` ``kind`` ("series"), with its
    ``group-position`` when given (EPUB 3.3, D.3.1, D.3.2 and D.3.5)."""
    book.add_metadata(None, "meta", name, {"property": "belongs-to-collection", "id": uid})
    book.add_metadata(None, "meta", kind, {"refines": "#" + uid, "property": "collection-type"})
    if position:
        book.add_metadata(None, "meta", position, {"refines": "#" + uid, "property": "group-position"})


def package(book, modified: dt.datetime) -> bytes:
    """The EPUB file of an ``ebooklib.epub.EpubBook``, the same bytes for the same book and date."""
    from ebooklib import epub

    class Writer(epub.EpubWriter):
        """EbookLib's writer, with ``xml:lang`` on the OPF ``package`` (its only change)."""

        def _write_opf_file(self, root):
            root.set(XML_LANG, self.book.language)
            super()._write_opf_file(root)

    raw = io.BytesIO()
    writer = Writer(raw, book, {**WRITE_OPTIONS, "mtime": modified.replace(tzinfo=None)})
    writer.process()
    writer.write()  # raise_exceptions: an error is raised, never swallowed as EbookLib's False
    return repack(raw.getvalue(), modified)


# zlib's level 4, not its default 6: on the shipped book's chapter (195 KB of XHTML) level 6 takes
# 15–23 ms and level 4 under 3 ms, for a file 5 % larger (64 KB against 61 KB; the generated cover's
# JPEG deflates alike at every level). Measured with zlib.compressobj, 28 Nov 2026.
DEFLATE_LEVEL = 4


def repack(data: bytes, modified: dt.datetime) -> bytes:
    """Re-write the zip: ``mimetype`` first and stored, then every entry in EbookLib's order,
    each with the same fixed time and permissions, so equal sources give equal bytes."""
    stamp = max(modified, dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)).timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    names.sort(key=lambda n: n != "mimetype")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(name), compresslevel=DEFLATE_LEVEL if name != "mimetype" else None)
    return out.getvalue()
