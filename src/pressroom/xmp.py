"""The PDF's XMP metadata packet: who made the book, in Dublin Core, beside what WeasyPrint writes.

``xmp_packet(meta, modified, existing)`` takes the book's metadata, the build's date and the packet
WeasyPrint wrote for a PDF/X or PDF/UA variant (``None`` for a plain PDF, where it writes none) and
returns the packet the PDF carries: WeasyPrint's identification kept as it was (``pdfxid``,
``pdfuaid``, ``pdf:Producer``…), and one ``rdf:Description`` in its place for everything Dublin Core
says about the book (ISO 16684-1 XMP, 8.3 "Dublin Core namespace"):

- ``dc:title`` (language alternative), ``dc:creator`` (ordered: the authors), ``dc:contributor``
  (unordered: the editor, translator… — XMP's Dublin Core has no role, so a role is only the
  creator/contributor split, as in the OPF before its MARC refinement), ``dc:language``,
  ``dc:date`` (the publication date), ``dc:identifier`` (the print ISBN as ``urn:isbn:…`` when there
  is one, else the book's identifier), ``dc:publisher``, ``dc:rights``, ``dc:description``,
  ``dc:subject``; and ``xmp:CreateDate``/``xmp:ModifyDate``/``xmp:CreatorTool`` as WeasyPrint writes them.

The packet is XML serialised by ElementTree from the same input each time, so rebuilds give the
same bytes. WeasyPrint's own Dublin Core (its ``dc:title``, ``dc:creator``, ``dc:description``) is
replaced, never repeated: a property may stand once in a packet.
"""

from __future__ import annotations

import datetime as dt
from xml.etree.ElementTree import Element, SubElement, fromstring, register_namespace, tostring

from . import model as m
from .contributors import ROLES, everyone
from .isbn import compact

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}
for _prefix, _uri in NS.items():
    register_namespace(_prefix, _uri)
HEADER = b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
FOOTER = b'\n<?xpacket end="r"?>'
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _array(parent: Element, name: str, kind: str, items, lang: bool = False) -> None:
    """``<name><rdf:kind><rdf:li>item</rdf:li>…</rdf:kind></name>``, nothing for no items."""
    items = [item for item in items if item]
    if not items:
        return
    array = SubElement(SubElement(parent, _q(name)), _q(f"rdf:{kind}"))
    for item in items:
        li = SubElement(array, _q("rdf:li"))
        if lang:
            li.set(XML_LANG, "x-default")
        li.text = item


def book_description(meta: m.Metadata, modified: dt.datetime) -> Element:
    """The ``rdf:Description`` of the book: its Dublin Core and its dates (``modified``: the build's)."""
    people = everyone(meta)
    description = Element(_q("rdf:Description"), {_q("rdf:about"): ""})
    title = meta.title + (f": {meta.subtitle}" if meta.subtitle else "")
    _array(description, "dc:title", "Alt", [title], lang=True)
    _array(description, "dc:creator", "Seq", [p.name for p in people if ROLES[p.role].creator])
    _array(description, "dc:contributor", "Bag", [p.name for p in people if not ROLES[p.role].creator])
    _array(description, "dc:language", "Bag", [meta.language])
    _array(description, "dc:date", "Seq", [meta.publication_date(modified)])
    identifier = f"urn:isbn:{compact(meta.isbn_print)}" if meta.isbn_print else meta.identifier
    SubElement(description, _q("dc:identifier")).text = identifier
    _array(description, "dc:publisher", "Bag", [meta.publisher])
    _array(description, "dc:rights", "Alt", [meta.rights], lang=True)
    _array(description, "dc:description", "Alt", [meta.description or meta.subtitle], lang=True)  # = /Subject
    _array(description, "dc:subject", "Bag", list(meta.subjects))
    stamp = modified.strftime("%Y-%m-%dT%H:%M:%SZ")
    for name, value in (("xmp:CreateDate", stamp), ("xmp:ModifyDate", stamp), ("xmp:MetadataDate", stamp),
                        ("xmp:CreatorTool", "Pressroom")):
        SubElement(description, _q(name)).text = value
    return description


def xmp_packet(meta: m.Metadata, modified: dt.datetime, existing: bytes | None = None) -> bytes:
    """The XMP packet for the PDF: ``existing`` (WeasyPrint's, or None) without its Dublin Core and
    dates, with :func:`book_description`."""
    rdf = Element(_q("rdf:RDF"))
    if existing:
        start, end = existing.find(b"<x:xmpmeta"), existing.rfind(b"</x:xmpmeta>")
        old = fromstring(existing[start:end + len(b"</x:xmpmeta>")])  # WeasyPrint's own XML: no DTD
        ours = {_q(name) for name in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate", "xmp:CreatorTool")}
        for found in old.iter(_q("rdf:Description")):
            kept = [child for child in found if not child.tag.startswith(f"{{{NS['dc']}}}") and child.tag not in ours]
            if kept or found.attrib.keys() - {_q("rdf:about")}:
                copy = Element(found.tag, dict(found.attrib))
                copy.extend(kept)
                rdf.append(copy)
    rdf.append(book_description(meta, modified))
    meta_element = Element(_q("x:xmpmeta"))
    meta_element.append(rdf)
    return HEADER + tostring(meta_element, encoding="utf-8", xml_declaration=False) + FOOTER
