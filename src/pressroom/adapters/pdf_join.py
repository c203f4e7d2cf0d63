"""Join PDFs laid out apart (one per unit of the book: the front matter, a part title, a chapter,
the back matter) into one book PDF, as if WeasyPrint had written the whole book as one document.
Written for WeasyPrint 70.0's PDFs (``WRITTEN_FOR``), with pikepdf and fontTools.

:func:`join` takes the units' PDF bytes (each ``document.write_pdf(...)`` of one unit, all with the
same write options: :func:`pressroom.pdf_bytes.pdf_bytes`) and returns the book's PDF bytes; the
outline entries it takes are :func:`pressroom.adapters.weasyprint.bookmarks`' of each unit's pages,
their page indexes moved to the joined book's. :func:`joins` says which printers' units it joins.

What is joined, and why by hand:

- Pages, in order, with their boxes, content, resources and annotations (pikepdf copies them).
- Fonts. Each unit embeds its own subset of each face, so a plain merge grows with the number of
  units (1.28 × one document for two units, benchmarks/RESULTS.md). WeasyPrint 70 subsets with
  ``retain_gids`` (HarfBuzz), so every unit names a face's glyphs by the original font's glyph ids,
  and the subsets can be made one: per face (the ``FontName`` without its subset tag, the
  descendant's type), one TrueType program holding every glyph a unit used (:func:`union_truetype`
  says how, and how composites are kept), the units' ``/W`` widths and ``/ToUnicode`` maps joined,
  the descriptor's ``/FontBBox``, fixed-pitch flag and ``/CIDSet`` (if any) remade, and every
  unit's font resource pointed at that one font. No library merges font subsets (pikepdf and qpdf
  copy objects; fontTools' ``merge`` joins different fonts, renumbering glyphs, which would break
  the units' content streams), so this is written here. Identical font programs (``full_fonts``)
  are simply one object. A face that cannot be joined safely (a CFF program, a Type 3 bitmap font,
  an encoding other than ``/Identity-H``, i.e. WeasyPrint's map for glyphs missing from the font)
  keeps one font per unit, identical programs shared. (The shipped faces and DejaVu are TrueType.)
- What else each unit wrote for itself is shared when equal: images, colour spaces, the print
  marks' content streams.
- Named destinations: one sorted ``/Dests`` name tree; each name's destination is taken from the
  unit that owns it (``owners``), never from another unit's placeholder for it.
- The outline, from ``bookmarks``, nested as WeasyPrint's ``Document.make_bookmark_tree`` nests
  them; none when the list is empty.
- ``/PageLabels`` from ``page_labels``.
- The catalog's ``/Metadata``, ``/OutputIntents``, ``/MarkInfo``, ``/Lang``, ``/ViewerPreferences``
  and the document information, from the first unit.
- Tagged units (PDF/UA): one ``/Document`` structure element holding every unit's elements in
  order, the ``/ParentTree`` renumbered (pages first, then annotations, as WeasyPrint numbers
  them) with every page's ``/StructParents`` and annotation's ``/StructParent``, element ``/ID``s
  (table headers) made unique per unit with the ``/Headers`` naming them, ``/RoleMap``,
  ``/ClassMap`` and ``/IDTree`` joined.
- Deterministic: the same units give the same bytes (sorted iteration, the file identifier
  computed from the content, no time stamp).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Collection, Sequence

WRITTEN_FOR = "70.0"

SCALE = 0.75  # PDF points per CSS px (WeasyPrint's write_pdf at zoom 1, as the build writes)

# (level, title, page index in the joined book, x, y, "open" or "closed"): WeasyPrint's ``Page.bookmarks``
# (x, y in CSS px from the page's top left corner), as pressroom.adapters.weasyprint.bookmarks gives them.
Bookmark = tuple[int, str, int, float, float, str]


class JoinError(ValueError):
    """The units cannot be joined as given (a destination owned by no unit or by two, a
    bookmark on a page the units do not have): a bug of the caller's, never a user's mistake."""


def joins(p) -> bool:
    """Whether the units written for printer ``p`` (a :class:`pressroom.printers.Printer`) can be
    joined by :func:`join`: every profile's can (print marks, PDF/UA tags, whole fonts, PDF/X-1a;
    ``tests/test_pdf_join.py`` joins proof, screen, kdp and ingramspark units). The PDF writer asks,
    so a profile the join could not serve would fall back to one WeasyPrint document."""
    return True


def join(pieces: Sequence[bytes], *, owners: Sequence[Collection[str]], bookmarks: Sequence[Bookmark],
         page_labels: Sequence[tuple[int, str, int]], run: Callable = lambda stage, *args: stage(*args)) -> bytes:
    """The book's PDF: the pages of ``pieces`` (unit PDFs written by WeasyPrint 70 with the same
    options, in book order), each face's fonts embedded once, the named destinations of
    ``owners[i]`` (the names piece ``i`` really owns) taken from piece ``i``, an outline from
    ``bookmarks`` (none if empty), ``/PageLabels`` from ``page_labels`` (the ranges of
    :func:`pressroom.pagination.label_ranges`) and the first piece's catalog entries and
    document information. Raises :class:`JoinError` when the arguments do not fit the pieces.
    ``run(stage, *args)``: how each face's programs are joined (:func:`union_truetype`, the costliest
    step), the driver's memo when given: a rebuild after an edit that sets no new glyph joins none again."""
    import pikepdf

    if not pieces:
        raise JoinError("no units to join")
    if len(owners) != len(pieces):
        raise JoinError(f"{len(pieces)} units but {len(owners)} sets of owned names")
    sources = [pikepdf.open(io.BytesIO(data)) for data in pieces]
    out = sources[0]
    tagged = "/StructTreeRoot" in out.Root
    if any(("/StructTreeRoot" in source.Root) != tagged for source in sources):
        raise JoinError("some units are tagged and some are not")
    first_page = [0]
    for source in sources[1:]:
        first_page.append(len(out.pages))
        for page in source.pages:
            # copy_foreign keeps one map of copied objects per source for all its calls (pages.extend
            # keeps another), so the structure tree and destinations copied later refer to these pages.
            out.pages.append(pikepdf.Page(out.copy_foreign(page.obj)))
    first_page.append(len(out.pages))
    dests = _joined_dests(out, sources, owners)
    if tagged:
        _join_structure(out, sources, first_page)
    _join_fonts(out, run)
    _share_identical_objects(out)
    _set_names(out, dests)
    _set_outline(out, bookmarks)
    _set_page_labels(out, page_labels)
    buffer = io.BytesIO()
    version = str(out.pdf_version)
    mode = pikepdf.ObjectStreamMode.generate if version >= "1.5" else pikepdf.ObjectStreamMode.disable
    out.save(buffer, deterministic_id=True, compress_streams=True, object_stream_mode=mode,
             linearize=False, min_version=version)
    return buffer.getvalue()


# ---------------------------------------------------------------- named destinations


def _name_tree_items(pdf) -> list[tuple[str, object]]:
    """(name, destination) of a PDF's ``/Names /Dests`` tree, as it stores them."""
    import pikepdf

    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return []
    return [(str(key), value) for key, value in pikepdf.NameTree(names.Dests).items()]


def _joined_dests(out, sources, owners) -> list[tuple[str, object]]:
    """(name, destination in ``out``) of every owned name, each from its owner, sorted by name."""
    owner_of: dict[str, int] = {}
    for index, names in enumerate(owners):
        for name in names:
            if name in owner_of:
                raise JoinError(f"destination {name!r} is owned by units {owner_of[name] + 1} and {index + 1}")
            owner_of[name] = index
    found: dict[str, object] = {}
    for index, source in enumerate(sources):
        for name, destination in _name_tree_items(source):
            if owner_of.get(name) == index:
                found[name] = destination if index == 0 else _copied(out, destination)
    missing = sorted(set(owner_of) - set(found))
    if missing:
        raise JoinError(f"destinations owned by a unit that does not define them: {', '.join(missing[:5])}")
    return sorted(found.items())  # WeasyPrint sorts its names the same way (pdf/__init__.py)


def _copied(out, obj):
    """``obj`` of another PDF in ``out``: indirect objects through pikepdf's ``copy_foreign``
    (which maps each object once per source, so a page already copied is that page), direct
    arrays and dictionaries rebuilt around them, anything else as it is."""
    import pikepdf

    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return out.copy_foreign(obj)
    if isinstance(obj, pikepdf.Array):
        return pikepdf.Array([_copied(out, item) for item in obj])
    if isinstance(obj, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copied(out, value) for key, value in obj.items()})
    return obj


def _set_names(out, dests) -> None:
    """The catalog's ``/Names /Dests``: one flat, sorted array, as WeasyPrint writes it."""
    import pikepdf

    names = out.Root.get("/Names")
    if names is not None and "/Dests" in names:
        del names["/Dests"]
    if dests:
        if names is None:
            out.Root.Names = names = pikepdf.Dictionary()
        array = pikepdf.Array()
        for name, destination in dests:
            array.append(pikepdf.String(name))
            array.append(destination)
        names.Dests = pikepdf.Dictionary(Names=array)
    elif names is not None and not names.keys():
        del out.Root["/Names"]


# ---------------------------------------------------------------- outline and page labels


def _bookmark_tree(bookmarks: Sequence[Bookmark]) -> list:
    """Nest flat bookmarks as WeasyPrint's ``make_page_bookmark_tree`` does (a skipped heading
    level does not make an empty level): subtrees ``(title, page, x, y, children, state)``."""
    root: list = []
    skipped: list[int] = []
    last_by_depth = [root]
    previous = 0
    for level, title, page, x, y, state in bookmarks:
        if level > previous:
            skipped.append(level - previous - 1)
        else:
            temp = level
            while temp < previous:
                temp += 1 + skipped.pop()
            if temp > previous:
                skipped.append(temp - previous - 1)
        previous = level
        depth = level - sum(skipped)
        children: list = []
        last_by_depth[depth - 1].append((title, page, x, y, children, state))
        del last_by_depth[depth:]
        last_by_depth.append(children)
    return root


def _set_outline(out, bookmarks: Sequence[Bookmark]) -> None:
    """The catalog's ``/Outlines`` from ``bookmarks`` (WeasyPrint's ``add_outlines``), or none."""
    import pikepdf

    if "/Outlines" in out.Root:
        del out.Root["/Outlines"]
    if not bookmarks:
        if out.Root.get("/PageMode") == "/UseOutlines":
            del out.Root["/PageMode"]
        return
    pages = out.pages
    for bookmark in bookmarks:
        if not 0 <= bookmark[2] < len(pages):
            raise JoinError(f"bookmark {bookmark[1]!r} on page {bookmark[2]} of a book of {len(pages)} pages")

    def add(subtrees, parent) -> int:
        count = len(subtrees)
        previous = None
        for title, page, x, y, children, state in subtrees:
            # WeasyPrint draws each page flipped about its height (the TrimBox's top: the media box
            # starts below 0 by the bleed), so a point's PDF y is that top less its CSS y, scaled.
            top = float(pages[page].obj.TrimBox[3])
            item = out.make_indirect(pikepdf.Dictionary(
                Title=pikepdf.String(title),
                Dest=pikepdf.Array([pages[page].obj, pikepdf.Name.XYZ, _number(x * SCALE),
                                    _number(top - y * SCALE), 0]),
                Parent=parent))
            child_count = add(children, item)
            item.Count = -child_count if state == "closed" else child_count
            if state != "closed":
                count += child_count
            if previous is not None:
                item.Prev = previous
                previous.Next = item
            else:
                parent.First = item
            parent.Last = item
            previous = item
        return count

    root = out.make_indirect(pikepdf.Dictionary())
    root.Count = add(_bookmark_tree(bookmarks), root)
    if "/First" not in root:
        return
    out.Root.Outlines = root


def _set_page_labels(out, ranges: Sequence[tuple[int, str, int]]) -> None:
    """The catalog's ``/PageLabels`` from (first page index, "r" or "D", first number) ranges."""
    import pikepdf

    if not ranges:
        if "/PageLabels" in out.Root:
            del out.Root["/PageLabels"]
        return
    numbers = pikepdf.Array()
    for first, style, start in ranges:
        numbers.extend([first, pikepdf.Dictionary(S=pikepdf.Name("/" + style), St=start)])
    out.Root.PageLabels = pikepdf.Dictionary(Nums=numbers)


# ---------------------------------------------------------------- resources: fonts and images


def _resource_dicts(out, kind: str):
    """Every ``/Resources`` ``kind`` subdictionary (``/Font``, ``/XObject``) of ``out``: of pages,
    form XObjects, patterns and Type 3 fonts, each once."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    found = []
    for obj in out.objects:
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            continue
        resources = obj.get("/Resources")
        if resources is None:
            continue
        entries = resources.get(kind)
        if entries is None:
            continue
        key = entries.objgen if entries.is_indirect else (id(entries), -1)
        if key in seen:
            continue
        seen.add(key)
        found.append(entries)
    return found


_TAG = re.compile(r"^/?[A-Z]{6}\+")


def _face(font) -> tuple | None:
    """The key by which two units' fonts are one face and may be joined (None: keep as it is)."""
    if font.get("/Subtype") != "/Type0" or font.get("/Encoding") != "/Identity-H":
        return None
    descendant = font.DescendantFonts[0]
    descriptor = descendant.get("/FontDescriptor")
    if (descendant.get("/Subtype") != "/CIDFontType2" or descendant.get("/CIDToGIDMap") != "/Identity"
            or descriptor is None or "/FontFile2" not in descriptor):
        return None
    return (_TAG.sub("", str(descriptor.FontName)), str(descendant.Subtype))


def _join_fonts(out, run: Callable) -> None:
    """Every face embedded once: fonts grouped by :func:`_face`, each group made one font (the
    first's objects, its program, widths and Unicode map now those of the whole group), every
    font resource pointing at it; fonts kept apart still share identical programs."""
    font_dicts = _resource_dicts(out, "/Font")
    fonts: dict[tuple[int, int], object] = {}
    for entries in font_dicts:
        for _, font in sorted(entries.items()):
            fonts.setdefault(font.objgen, font)
    groups: dict[tuple, list] = {}
    for objgen in sorted(fonts):
        face = _face(fonts[objgen])
        if face is not None:
            groups.setdefault(face, []).append(fonts[objgen])
    replacement: dict[tuple[int, int], object] = {}
    for face in sorted(groups):
        group = groups[face]
        if len(group) > 1:
            _merge_group(out, group, run)
            for font in group[1:]:
                replacement[font.objgen] = group[0]
    for entries in font_dicts:
        for key, font in sorted(entries.items()):
            if font.objgen in replacement:
                entries[key] = replacement[font.objgen]
    _share_identical_programs(out, [fonts[objgen] for objgen in sorted(fonts) if objgen not in replacement])


def _share_identical_programs(out, fonts) -> None:
    """Font descriptors whose embedded programs are byte-identical point at one stream."""
    seen: dict[str, object] = {}
    for font in fonts:
        descendants = font.get("/DescendantFonts")
        descriptor = descendants[0].get("/FontDescriptor") if descendants is not None else font.get("/FontDescriptor")
        if descriptor is None:
            continue
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if key in descriptor:
                stream = descriptor[key]
                digest = hashlib.sha256(stream.read_raw_bytes() + repr(sorted(
                    (str(k), str(v)) for k, v in stream.stream_dict.items() if k != "/Length")).encode()).hexdigest()
                descriptor[key] = seen.setdefault(digest, stream)


def _widths(array) -> dict[int, float]:
    """A CID font's ``/W`` array as glyph id → width (both of its forms: ``c [w…]``, ``c1 c2 w``)."""
    import pikepdf

    out: dict[int, float] = {}
    items = list(array)
    i = 0
    while i < len(items):
        first = int(items[i])
        following = items[i + 1]
        if isinstance(following, pikepdf.Array):
            for offset, width in enumerate(following):
                out.setdefault(first + offset, float(width))
            i += 2
        else:
            for cid in range(first, int(following) + 1):
                out.setdefault(cid, float(items[i + 2]))
            i += 3
    return out


def _number(value: float):
    """A width as WeasyPrint writes it (an int when whole)."""
    return int(value) if float(value).is_integer() else value


def _widths_array(widths: dict[int, float]):
    """``/W`` in WeasyPrint's form: for each run of consecutive glyph ids, ``first [w w …]``."""
    import pikepdf

    array = pikepdf.Array()
    run = None
    for gid in sorted(widths):
        if gid - 1 not in widths:
            run = pikepdf.Array()
            array.append(gid)
            array.append(run)
        run.append(_number(widths[gid]))
    return array


_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_BLOCK = re.compile(rb"beginbf(char|range)(.*?)endbf\1", re.DOTALL)
_RANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])")


def _unicode_map(stream) -> dict[int, str]:
    """A ``/ToUnicode`` CMap as glyph id → hex UTF-16BE text (bfchar and bfrange entries)."""
    data = stream.read_bytes()
    out: dict[int, str] = {}
    for kind, body in _BLOCK.findall(data):
        if kind == b"char":
            for glyph, text in _BFCHAR.findall(body):
                out.setdefault(int(glyph, 16), text.decode().lower())
        else:
            for low, high, target in _RANGE.findall(body):
                low_i, high_i = int(low, 16), int(high, 16)
                if target.startswith(b"["):
                    for offset, text in enumerate(re.findall(rb"<([0-9a-fA-F]*)>", target)):
                        out.setdefault(low_i + offset, text.decode().lower())
                else:
                    base = int(target[1:-1], 16)
                    width = len(target) - 2
                    for offset in range(high_i - low_i + 1):
                        out.setdefault(low_i + offset, f"{base + offset:0{width}x}")
    return out


def _unicode_cmap(mapping: dict[int, str]) -> bytes:
    """A ``/ToUnicode`` CMap in WeasyPrint's words, its entries sorted, 100 to a block (PDF 32000-1, 9.10.3)."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap", b"/CIDSystemInfo",
             b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def", b"1 begincodespacerange",
             b"<0000> <ffff>", b"endcodespacerange"]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        batch = items[start:start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{glyph:04x}> <{text}>".encode() for glyph, text in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _merge_group(out, group, run: Callable) -> None:
    """Make ``group[0]`` (a Type 0 font with a TrueType descendant) the font of the whole group:
    its program the union of the group's programs, its ``/W`` and ``/ToUnicode`` the union of
    theirs (the first font's entry wins where two disagree, as WeasyPrint keeps the first text a
    glyph was set for), its descriptor's ``/FontBBox``, fixed-pitch flag and ``/CIDSet`` remade."""
    import pikepdf

    head = group[0]
    descendant = head.DescendantFonts[0]
    descriptor = descendant.FontDescriptor
    widths: dict[int, float] = {}
    unicode: dict[int, list[str]] = {}  # glyph id → its text in each font that maps it, in order
    programs: dict[str, tuple[bytes, set[int]]] = {}  # digest → (program, glyph ids its fonts use)
    for font in group:
        font_widths = _widths(font.DescendantFonts[0].get("/W", pikepdf.Array()))
        for gid, width in font_widths.items():
            widths.setdefault(gid, width)
        if "/ToUnicode" in font:
            for gid, text in _unicode_map(font.ToUnicode).items():
                unicode.setdefault(gid, []).append(text)
        program = font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
        programs.setdefault(hashlib.sha256(program).hexdigest(), (program, set()))[1].update(font_widths)
    ordered = list(programs.values())  # in the group's order: the first font's program first
    program = ordered[0][0] if len(ordered) == 1 else run(
        union_truetype, tuple(program for program, _ in ordered), tuple(tuple(sorted(gids)) for _, gids in ordered))
    descriptor.FontFile2 = out.make_stream(program, Length1=len(program))  # compressed when saved
    descendant.W = _widths_array(widths)
    if unicode:
        # With whole fonts each unit maps every glyph from the font's cmap and then the glyphs it set
        # to the text it set them for (pydyf.complete_unicode_maps: "fi" for the ligature, not "ﬁ"):
        # the set text wins over the cmap's, as in one document.
        defaults = _cmap_text(program)
        head.ToUnicode = out.make_stream(_unicode_cmap({
            gid: next((text for text in texts if text != defaults.get(gid)), texts[0])
            for gid, texts in unicode.items()}))
    # As WeasyPrint sets them (pdf/fonts.py, _build_vector_font_dictionary), for the joined widths.
    bbox = [_number(v) for v in descriptor.FontBBox]
    bbox[2] = _number(max(widths.values())) if widths else 0
    descriptor.FontBBox = pikepdf.Array(bbox)
    flags = int(descriptor.Flags) & ~1
    if len(widths) > 1 and len(set(widths.values())) == 1:
        flags |= 1  # FixedPitch
    descriptor.Flags = flags
    if "/CIDSet" in descriptor:
        cids = sorted(widths)
        size = (cids[-1] + 1 + 7) // 8
        bits = bytearray(size)
        for cid in cids:
            bits[cid // 8] |= 0x80 >> (cid % 8)
        descriptor.CIDSet = out.make_stream(bytes(bits))


def _cmap_text(program: bytes) -> dict[int, str]:
    """Glyph id → hex UTF-16BE text as WeasyPrint maps a whole font's glyphs from its cmap
    (``pdf/fonts.py``: the first character of the best cmap that reaches the glyph)."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(program), lazy=True)
    out: dict[int, str] = {}
    for code, name in font.getBestCmap().items():
        out.setdefault(font.getGlyphID(name), chr(code).encode("utf-16-be").hex())
    return out


def union_truetype(programs: Sequence[bytes], used: Sequence[Collection[int]]) -> bytes:
    """One TrueType program holding every glyph of ``programs`` that its PDF font uses (``used[i]``:
    the glyph ids of program ``i``'s ``/W``): subsets of one font made by WeasyPrint 70 with
    retained glyph ids, so a used glyph id ``g`` is the same glyph in each.

    Only ids up to a subset's last used one are retained: HarfBuzz's second pass (``keep =
    range(last used + 1)``, without ``RETAIN_GIDS``) renumbers the components of composite glyphs
    that lay beyond it to the ids after it, so two subsets hold different glyphs there (one unit's
    "i" draws its dot from id 2427, another unit's 2427 is the no-break space). So: the base is the
    program whose last used id is highest; each used id takes its glyph from the first program
    that uses it; a composite's component keeps its id when its program retained it, else (a
    renumbered one, from a program other than the base) it is added after the base's glyphs, once
    for equal outlines, and the composite renamed to it; every other id but ``.notdef`` is emptied
    (HarfBuzz also leaves stray outlines there). ``cmap`` keeps every program's used glyphs; the
    other tables are the base's, with ``maxp``, ``loca`` and the bounds in ``head`` and ``hhea``
    recomputed and the font's time stamp kept (deterministic output)."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    fonts = [TTFont(io.BytesIO(data), recalcTimestamp=False) for data in programs]
    last = [max(gids, default=0) for gids in used]
    base_index = max(range(len(fonts)), key=lambda i: (last[i], -i))
    base = fonts[base_index]
    order = list(base.getGlyphOrder())
    slots: dict[int, tuple[int, int]] = {}  # union glyph id → (program, its glyph id there)
    added: dict[bytes, int] = {}  # a renumbered component's outline → its union glyph id
    queue: list[int] = []
    for index, gids in enumerate(used):
        count = fonts[index]["maxp"].numGlyphs  # the length of its glyph order, without naming every glyph
        for gid in sorted(gids):
            if gid < count and gid not in slots:
                slots[gid] = (index, gid)
                queue.append(gid)
    renames: dict[int, dict[str, int]] = {}  # union glyph id → {component name in its program: union id}
    while queue:
        union_gid = queue.pop(0)
        index, gid = slots[union_gid]
        font = fonts[index]
        glyph = font["glyf"][font.getGlyphOrder()[gid]]
        if not glyph.isComposite():
            continue
        for component in glyph.components:
            component_gid = font.getGlyphID(component.glyphName)
            if component_gid <= last[index] or index == base_index:
                target = component_gid  # retained (or the base's own renumbered one, kept in place)
            else:
                component_glyph = font["glyf"][component.glyphName]
                key = component_glyph.compile(font["glyf"], recalcBBoxes=False) + repr(font["hmtx"][component.glyphName]).encode()
                target = added.get(key)
                if target is None:
                    target = added[key] = len(order)
                    order.append(f"joined{target:05d}")
            renames.setdefault(union_gid, {})[component.glyphName] = target
            if target not in slots:
                slots[target] = (index, component_gid)
                queue.append(target)
    glyf, hmtx = base["glyf"], base["hmtx"]
    glyphs, metrics = {}, {}
    for union_gid, name in enumerate(order):
        if union_gid not in slots:
            if union_gid:  # .notdef stays as the base has it
                glyphs[name], metrics[name] = Glyph(), (0, 0)
            continue
        index, gid = slots[union_gid]
        font = fonts[index]
        other_name = font.getGlyphOrder()[gid]
        glyph = font["glyf"][other_name]
        if glyph.isComposite() and index != base_index:
            for component in glyph.components:
                component.glyphName = order[renames[union_gid][component.glyphName]]
        glyphs[name], metrics[name] = glyph, font["hmtx"][other_name]
    base.setGlyphOrder(order)
    glyf.glyphOrder = order
    for name in order:
        if name in glyphs:
            glyf.glyphs[name], hmtx.metrics[name] = glyphs[name], metrics[name]
    owners = {index for index, _ in slots.values()}
    if "cmap" in base:
        for table in base["cmap"].tables:
            joined: dict[int, str] = {}
            for index, font in enumerate(fonts):
                if index not in owners:  # none of its glyphs is the union's (most units': 0.1 s on a long book)
                    continue
                other = font["cmap"].getcmap(table.platformID, table.platEncID) if "cmap" in font else None
                for code, other_name in sorted((other.cmap if other else {}).items()):
                    gid = font.getGlyphID(other_name)
                    if gid in used[index] and slots.get(gid) == (index, gid):
                        joined.setdefault(code, order[gid])
            table.cmap = joined
    if "hdmx" in base:
        del base["hdmx"]  # per-glyph device widths of the base alone; optional, and no PDF reader uses them
    buffer = io.BytesIO()
    base.save(buffer, reorderTables=True)
    return buffer.getvalue()


def _digest(obj) -> str | None:
    """A digest of an object that holds no reference to another (a stream: its data and dictionary),
    so that two equal ones may be one; None for an object that refers to others."""
    import pikepdf

    if isinstance(obj, pikepdf.Stream):
        head = obj.stream_dict
        if any(isinstance(value, pikepdf.Object) and value.is_indirect for value in head.values()):
            return None
        extra = repr(sorted((str(key), repr(value)) for key, value in head.items() if key != "/Length"))
        return hashlib.sha256(obj.read_raw_bytes() + extra.encode()).hexdigest()
    text = obj.unparse(resolved=False)
    if b" R" in text:  # refers to another object (or a string holds " R": then simply not shared)
        return None
    return hashlib.sha256(text).hexdigest()


def _share_identical_objects(out) -> None:
    """What each unit wrote for itself and the units share, made one object: the images of
    ``/XObject`` resources (an ornament), the ``/ColorSpace`` resources, and the streams of a page's
    ``/Contents`` array (the print marks, drawn once per page size and unit)."""
    import pikepdf

    seen: dict[str, object] = {}

    def shared(obj):
        if not (isinstance(obj, pikepdf.Object) and obj.is_indirect):
            return obj
        digest = _digest(obj)
        return obj if digest is None else seen.setdefault(digest, obj)

    for entries in _resource_dicts(out, "/XObject"):
        for key, stream in sorted(entries.items()):
            if stream.get("/Subtype") == "/Image":
                entries[key] = shared(stream)
    for obj in list(out.objects):
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)) and "/Resources" in obj:
            resources = obj.Resources
            if "/ColorSpace" in resources:
                resources.ColorSpace = shared(resources.ColorSpace)
    for page in out.pages:
        contents = page.obj.get("/Contents")
        if isinstance(contents, pikepdf.Array):
            page.obj.Contents = pikepdf.Array([shared(stream) for stream in contents])


# ---------------------------------------------------------------- tagged PDF


def _join_structure(out, sources, first_page: Sequence[int]) -> None:
    """One structure tree for the joined pages: the first unit's ``/Document`` element holds every
    unit's elements in order; the parent tree's keys are renumbered (every page its index in the
    book, then every annotation after the last page, in unit order, as WeasyPrint numbers them),
    each page's ``/StructParents`` and annotation's ``/StructParent`` with them; ``/ID``s of
    elements in units after the first get the unit's prefix (WeasyPrint makes them from object
    numbers, which repeat across units), and so do the ``/Headers`` naming them."""
    import pikepdf

    root = out.Root.StructTreeRoot
    document = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
    total_pages = len(out.pages)
    nums = pikepdf.Array()
    annotations: list[tuple[object, object]] = []
    role_map, class_map, id_tree = {}, {}, {}
    for index, source in enumerate(sources):
        source_root = source.Root.StructTreeRoot
        local = source_root if index == 0 else out.copy_foreign(source_root)
        for key, target in ((("/RoleMap"), role_map), ("/ClassMap", class_map)):
            if key in local:
                for name, value in sorted(local[key].items()):
                    target.setdefault(name, value)
        source_document = local.K[0] if isinstance(local.K, pikepdf.Array) else local.K
        prefix = "" if index == 0 else f"u{index}-"
        if index:
            for element in list(source_document.K):
                element.P = document
                document.K.append(element)
            _prefix_ids(source_document.K, prefix)
        if "/IDTree" in local:
            for name, element in pikepdf.NameTree(local.IDTree).items():
                id_tree[prefix + str(name)] = element
        entries = dict(_number_tree_items(local.ParentTree))
        count = first_page[index + 1] - first_page[index]
        for page_offset in range(count):
            page = out.pages[first_page[index] + page_offset].obj
            old = int(page.get("/StructParents", page_offset))
            nums.append(first_page[index] + page_offset)
            nums.append(entries.get(old, pikepdf.Array()))
            page.StructParents = first_page[index] + page_offset
        marked: dict[int, list] = {}  # an annotation's number in its unit → the annotations with it
        for page_offset in range(count):
            for annotation in out.pages[first_page[index] + page_offset].obj.get("/Annots", ()):
                if "/StructParent" in annotation:
                    marked.setdefault(int(annotation.StructParent), []).append(annotation)
        for key in sorted(k for k in entries if k >= count):
            annotations.append((entries[key], marked.get(key, [])))
    for offset, (element, marked_annotations) in enumerate(annotations):
        number = total_pages + offset  # the value is the annotation's parent element (its /Link)
        nums.append(number)
        nums.append(element)
        for annotation in marked_annotations:
            annotation.StructParent = number
    root.ParentTree = out.make_indirect(pikepdf.Dictionary(Nums=nums))
    if "/ParentTreeNextKey" in root:
        root.ParentTreeNextKey = total_pages + len(annotations)
    if role_map:
        root.RoleMap = pikepdf.Dictionary({key: value for key, value in sorted(role_map.items())})
    if class_map:
        root.ClassMap = pikepdf.Dictionary({key: value for key, value in sorted(class_map.items())})
    if id_tree:
        array = pikepdf.Array()
        for name, element in sorted(id_tree.items()):
            array.append(pikepdf.String(name))
            array.append(element)
        root.IDTree = pikepdf.Dictionary(Names=array)


def _number_tree_items(tree) -> list[tuple[int, object]]:
    """(key, value) of a number tree (``/Nums`` and ``/Kids``), in key order."""
    items = []
    stack = [tree]
    while stack:
        node = stack.pop()
        nums = node.get("/Nums")
        if nums is not None:
            items += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
        stack.extend(node.get("/Kids", ()))
    return sorted(items, key=lambda item: item[0])


def _prefix_ids(kids, prefix: str) -> None:
    """Prefix the ``/ID`` of every structure element under ``kids``, and the ``/Headers`` naming them."""
    import pikepdf

    stack = list(kids)
    seen: set[tuple[int, int]] = set()
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or element.get("/Type") == "/OBJR" or "/S" not in element:
            continue
        if element.is_indirect:
            if element.objgen in seen:
                continue
            seen.add(element.objgen)
        if "/ID" in element:
            element.ID = pikepdf.String(prefix + str(element.ID))
        attributes = element.get("/A")
        for owner in (attributes if isinstance(attributes, pikepdf.Array) else [attributes]):
            if isinstance(owner, pikepdf.Dictionary) and "/Headers" in owner:
                owner.Headers = pikepdf.Array([pikepdf.String(prefix + str(h)) for h in owner.Headers])
        children = element.get("/K")
        if isinstance(children, pikepdf.Array):
            stack.extend(children)
        elif isinstance(children, pikepdf.Dictionary):
            stack.append(children)
