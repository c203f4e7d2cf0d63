"""The paperback's cover (``build --format cover``): its sheet sized from the printers' table and the
interior's page count, the barcode read back with zbar, the spine text by the printer's minimum, the
proof's guides in their pixels, the EPUB's cover the same front, and the refusals of bad input.

Expected values are derived here from the printers' figures (``pressroom.cover_rules.COVER_RULES``),
the trim (``pressroom.trim``) and the page count of the print layout, never written as constants.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from epubtools import build, copy_book
from pressroom.bookfiles import book_files
from pressroom.build import prepare_book, print_layout
from pressroom.cover_rules import COVER_RULES, PAPERS, spine_has_text
from pressroom.trim import trim_points
from pressroom.writers import WriteOptions
from pressroom.writers.cover import write_cover

MM = 25.4
PT_MM = MM / 72
ISBN, PRICE = "978-1-4028-9462-6", "51495"  # a made-up ISBN whose check digit holds, and US$14.95


def with_settings(book_dir: Path, text: str) -> Path:
    """Add ``text`` ("[table]\nkey = value…", tables apart by a blank line) to the book's config, into
    the table where the config has it already."""
    config = book_dir / "manuscript" / "book.toml"
    current = config.read_text(encoding="utf-8")
    for block in text.strip().split("\n\n"):
        header, _, body = block.partition("\n")
        if f"\n{header}\n" in current:
            current = current.replace(f"\n{header}\n", f"\n{header}\n{body}\n", 1)
        else:
            current += f"\n{block}\n"
    config.write_text(current, encoding="utf-8")
    return book_dir


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The shipped book with an ISBN, a price code and a blurb (its own config has no ISBN)."""
    return with_settings(copy_book(tmp_path_factory.mktemp("shipped")),
                         f'[print]\nisbn = "{ISBN}"\nprice_code = "{PRICE}"\n\n'
                         '[cover]\nblurb = "A history of the Soviet Union from the *Five-Year Plans* to the purges."\n')


@pytest.fixture(scope="module")
def laid_out(shipped):
    """profile → (the finished book, its print layout for that printer): one layout per printer."""
    book = prepare_book(shipped)
    return {name: (book, print_layout(book, name, book_files(book))[0]) for name in sorted(COVER_RULES)}


def cover_for(book, layout, profile: str, out: Path, **settings) -> dict[str, Path]:
    written = write_cover(replace(book, settings=replace(book.settings, **settings)), layout,
                          WriteOptions(profile=profile))
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, data in written.files.items():
        (out / name).write_bytes(data)
        paths["proof" if name.endswith("-proof.pdf") else "cover"] = out / name
    return paths


def expected_size(profile: str, paper: str, pages: int, trim: str) -> tuple[float, float, float]:
    """(width, height, spine) in mm from the printer's figures: 2 × trim + spine + 2 × bleed by
    trim height + 2 × bleed."""
    rules = COVER_RULES[profile]
    width_pt, height_pt = trim_points(trim)
    bleed = rules.bleed_in * MM
    spine = (pages * dict(rules.inch_per_page)[paper] + rules.spine_extra_in) * MM
    return 2 * width_pt * PT_MM + spine + 2 * bleed, height_pt * PT_MM + 2 * bleed, spine


def page_size_mm(path: Path) -> tuple[float, float]:
    box = pypdf.PdfReader(path).pages[0].mediabox
    return float(box.width) * PT_MM, float(box.height) * PT_MM


@pytest.mark.parametrize("profile", sorted(COVER_RULES))
def test_the_sheet_is_both_panels_the_spine_and_the_bleed_for_each_printer_and_paper(laid_out, profile, tmp_path):
    book, layout = laid_out[profile]
    pages = len(layout.pages)
    for paper in PAPERS:
        cover = cover_for(book, layout, profile, tmp_path / paper, paper=paper)
        width, height, spine = expected_size(profile, paper, pages, book.settings.trim_size)
        for path in cover.values():
            got = page_size_mm(path)
            assert abs(got[0] - width) <= 0.5 and abs(got[1] - height) <= 0.5, (profile, paper, pages, got,
                                                                                (width, height))
            # The trimmed sheet (back + spine + front) is the /TrimBox, the bleed round it the /BleedBox:
            # a printer's preflight reads the trim size there.
            page = pypdf.PdfReader(path).pages[0]
            bleed = COVER_RULES[profile].bleed_in * MM
            trim = [float(v) * PT_MM for v in page.trimbox]
            assert [round(v, 1) for v in trim] == [round(bleed, 1), round(bleed, 1), round(got[0] - bleed, 1),
                                                   round(got[1] - bleed, 1)], (profile, trim)
            assert [float(v) for v in page.bleedbox] == [float(v) for v in page.mediabox]
        assert len(pypdf.PdfReader(cover["cover"]).pages) == 1


def spine_characters(path: Path, profile: str, book, pages: int) -> list[str]:
    from pressroom.cover_check import characters
    from pressroom.cover_sheet import book_sheet

    panel = book_sheet(book, pages, profile).spine_panel
    return [c for c, x0, y0, x1, y1 in characters(path) if x1 > panel.x and x0 < panel.right]


def test_spine_text_only_from_the_printers_minimum_page_count_and_clear_of_the_folds(laid_out, tmp_path):
    from pressroom.cover_check import characters
    from pressroom.cover_sheet import book_sheet

    seen = set()
    for profile, (book, layout) in sorted(laid_out.items()):
        pages = len(layout.pages)
        path = cover_for(book, layout, profile, tmp_path / profile)["cover"]
        on_spine = spine_characters(path, profile, book, pages)
        allowed = spine_has_text(COVER_RULES[profile], pages)
        seen.add(allowed)
        if not allowed:
            assert on_spine == [], (profile, pages, on_spine)
            continue
        assert "".join(on_spine).startswith("".join(book.metadata.title.split())[:10]), on_spine
        safe = book_sheet(book, pages, profile).spine_safe  # 0.0625 in clear of each fold
        panel = book_sheet(book, pages, profile).spine_panel
        for char, *box in characters(path):
            if box[2] > panel.x and box[0] < panel.right:
                assert safe.holds(*box), (profile, char, box, safe)
    assert seen == {True, False}, "the shipped book should fall below one printer's minimum and above another's"
    for rules in COVER_RULES.values():  # the rule at its edge, from the table
        assert not spine_has_text(rules, rules.spine_text_pages - 1) and spine_has_text(rules, rules.spine_text_pages)


def zbar(png: Path) -> set[str]:
    if not shutil.which("zbarimg"):
        pytest.fail("zbarimg is missing: install zbar-tools (scripts/system-deps.sh --test)")
    result = subprocess.run(["zbarimg", "--quiet", "--set", "ean5.enable=1", str(png)], capture_output=True,
                            text=True, check=False)
    return set(result.stdout.split())


def render(pdf: Path, dpi: int, stem: str) -> Path:
    out = pdf.parent / stem
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(pdf), str(out)], check=True)
    return out.with_suffix(".png")


def test_the_barcode_read_back_at_300_dpi_gives_the_isbn_and_the_price_add_on(laid_out, tmp_path):
    book, layout = laid_out["kdp"]
    cover = cover_for(book, layout, "kdp", tmp_path / "addon")["cover"]
    assert zbar(render(cover, 300, "cover")) == {"EAN-13:" + ISBN.replace("-", ""), "EAN-5:" + PRICE}
    # without the add-on, and from an ISBN-10 (978 and a new check digit: 1-4028-9462-7 is 978-1-4028-9462-6)
    plain = replace(book, metadata=replace(book.metadata, isbn_print="1-4028-9462-7"))
    cover = cover_for(plain, layout, "kdp", tmp_path / "plain", price_code="")["cover"]
    assert zbar(render(cover, 300, "cover")) == {"EAN-13:" + ISBN.replace("-", "")}


def test_the_barcode_is_vector_100_percent_black_in_the_printers_box(laid_out, tmp_path):
    from pressroom.cover_html import barcode_drawing
    from pressroom.cover_sheet import book_sheet

    book, layout = laid_out["kdp"]
    sheet = book_sheet(book, len(layout.pages), "kdp")
    box = sheet.barcode
    assert (round(box.w / MM, 3), round(box.h / MM, 3)) == COVER_RULES["kdp"].barcode_in
    offset = COVER_RULES["kdp"].barcode_offset_in * MM
    assert abs(sheet.folds[0] - box.right - offset) < 1e-6 and abs(sheet.back.bottom - box.bottom - offset) < 1e-6
    drawing = barcode_drawing(ISBN, PRICE, box)
    assert all(box.holds(b.x, b.y, b.right, b.bottom) for b in drawing.bars)
    assert 0.8 * 0.33 <= drawing.module <= 0.33  # GS1: 80 % to 200 % of the 0.33 mm module; we keep ≤ 100 %
    # In the printed file: each bar a rectangle filled in DeviceCMYK 0 0 0 1, vector (no image there)
    import re

    cover = cover_for(book, layout, "kdp", tmp_path)["cover"]
    content = pypdf.PdfReader(cover).pages[0].get_contents().get_data().decode("latin-1")
    filled = re.findall(r"/DeviceCMYK cs\s+0 0 0 1 scn\s+[\d.]+ [\d.]+ ([\d.]+) ([\d.]+) re", content)
    widths = sorted(round(float(w) * MM / 96, 3) for w, h in filled)  # WeasyPrint draws in CSS px
    assert widths == sorted(round(b.w, 3) for b in drawing.bars), (len(filled), len(drawing.bars))


def test_the_proof_has_its_guides_where_they_belong_and_the_cover_none(laid_out, tmp_path):
    from pressroom.cover_sheet import book_sheet

    book, layout = laid_out["kdp"]
    sheet = book_sheet(book, len(layout.pages), "kdp")
    paths = cover_for(book, layout, "kdp", tmp_path)
    dpi = 150  # a 0.4 mm guide covers at least two whole pixels
    proof = Image.open(render(paths["proof"], dpi, "proof")).convert("RGB")
    plain = Image.open(render(paths["cover"], dpi, "cover")).convert("RGB")

    def px(mm: float) -> int:
        return round(mm / MM * dpi)

    def share(image, colour, column=None, row=None) -> float:
        """The share of a column's (or row's) pixels near ``colour``, within two pixels of it."""
        best = 0.0
        for d in (-2, -1, 0, 1, 2):
            if column is not None:
                pixels = [image.getpixel((px(column) + d, y)) for y in range(image.height)]
            else:
                pixels = [image.getpixel((x, px(row) + d)) for x in range(image.width)]
            near = sum(all(abs(a - b) < 70 for a, b in zip(p, colour)) for p in pixels)
            best = max(best, near / len(pixels))
        return best

    magenta, cyan, green, red = (236, 0, 140), (0, 174, 239), (0, 166, 81), (237, 28, 36)
    for fold in sheet.folds:
        assert share(proof, magenta, column=fold) > 0.9 and share(plain, magenta, column=fold) == 0
    for row in (sheet.bleed, sheet.bleed + sheet.trim_h):  # the trim, top and bottom
        assert share(proof, cyan, row=row) > 0.8 and share(plain, cyan, row=row) == 0
    for area in (sheet.back_safe, sheet.front_safe):  # dashed: a good part of the edge
        assert share(proof, green, column=area.x) > 0.3 and share(plain, green, column=area.x) == 0
    box = sheet.barcode
    for y in (box.y, box.bottom):
        edge = [[proof.getpixel((x, px(y) + d)) for x in range(px(box.x) + 3, px(box.right) - 3)] for d in range(-2, 3)]
        assert max(sum(all(abs(a - b) < 70 for a, b in zip(p, red)) for p in row) for row in edge) > 0.9 * len(edge[0])


def test_the_epub_cover_is_the_print_covers_front(shipped, tmp_path):
    from pressroom.cover_sheet import book_sheet

    result = build(shipped, "--format", "epub", "--format", "cover", "--profile", "kdp")
    assert result.returncode == 0, result.stderr
    dist = shipped / "dist"
    with zipfile.ZipFile(dist / "russia-part-three.epub") as epub:
        ebook = Image.open(io.BytesIO(epub.read("EPUB/images/cover.jpg"))).convert("L")
    book = prepare_book(shipped)
    pages = len(pypdf.PdfReader(next(dist.glob("*-cover.pdf"))).pages)  # one page
    assert pages == 1
    interior_pages = len(print_layout(book, "kdp", book_files(book))[0].pages)
    sheet = book_sheet(book, interior_pages, "kdp")
    dpi = 100
    printed = Image.open(render(next(dist.glob("*-cover.pdf")), dpi, "front")).convert("L")
    front = sheet.front
    panel = printed.crop(tuple(round(v / MM * dpi) for v in (front.x, front.y, front.right, front.bottom)))
    assert abs(ebook.width / ebook.height - panel.width / panel.height) < 0.01  # the trim's proportions
    ebook = ebook.resize(panel.size)
    from PIL import ImageChops, ImageStat

    assert ImageStat.Stat(ImageChops.difference(ebook, panel)).mean[0] < 4  # only resampling differs
    # The light ink (title, rule, author) over the same pixels: about 0.74 for the same design, under
    # 0.4 for the design with another subtitle, or in 1600 × 2560 (the EPUB's cover before).
    ink_e, ink_p = (image.point(lambda v: 255 if v > 128 else 0) for image in (ebook, panel))
    both = ImageStat.Stat(ImageChops.multiply(ink_e, ink_p)).sum[0]
    either = ImageStat.Stat(ImageChops.lighter(ink_e, ink_p)).sum[0]
    assert both / either > 0.6, both / either


def test_check_measures_the_cover_against_the_interior(shipped, laid_out, tmp_path):
    from pressroom.cover_check import check_cover

    book, layout = laid_out["kdp"]
    long_blurb = " ".join(["The third part of a history of the Soviet Union."] * 120)
    result = build(shipped, "--format", "pdf", "--format", "cover", "--profile", "kdp")
    assert result.returncode == 0, result.stderr
    interior, cover = shipped / "dist" / "russia-part-three-kdp.pdf", shipped / "dist" / "russia-part-three-cover.pdf"
    assert check_cover(cover, interior, book, "kdp") == []
    # measured as Lulu's: the interior's pages make a wider spine there
    wrong = check_cover(cover, interior, book, "lulu")
    assert [f.code for f in wrong] == ["K004"] and "Lulu: spine = pages ÷ 444 + 0.06 in" in wrong[0].message
    # a blurb too long for the back runs out of the safe area
    overflowing = cover_for(book, layout, "kdp", tmp_path, cover_blurb=long_blurb)["cover"]
    found = check_cover(overflowing, interior, book, "kdp")
    assert [f.code for f in found] == ["K005"] and "safe area" in found[0].message


def config_line(book_dir: Path, key: str) -> int:
    lines = (book_dir / "manuscript" / "book.toml").read_text().splitlines()
    return next(i + 1 for i, line in enumerate(lines) if line.startswith(f"{key} ="))


def test_a_cover_image_too_small_for_print_names_the_setting_and_the_rule(tmp_path):
    book_dir = with_settings(copy_book(tmp_path), '[cover]\nimage = "small.jpg"\n')
    Image.new("RGB", (800, 1280), (20, 40, 60)).save(book_dir / "small.jpg")
    result = build(book_dir, "--format", "cover", "--profile", "kdp")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"manuscript/book.toml:{config_line(book_dir, 'image')}: error K002" in result.stderr
    assert "small.jpg is 800×1280 px" in result.stderr and "at least 300 ppi" in result.stderr
    # large enough: built, and placed as it is
    Image.new("RGB", (1800, 2700), (20, 40, 60)).save(book_dir / "small.jpg")
    assert build(book_dir, "--format", "cover", "--profile", "kdp").returncode == 0


@pytest.mark.parametrize("setting, expected", [
    ('isbn = "978-1-4028-9462-5"', "the check digit is wrong: 978-1-4028-9462-5 should end in 6"),
    ('isbn = "978-1-4028-9462-6"\nprice_code = "1495"', "'price_code' '1495' must be 5 digits"),
    ('paper = "glossy"', "'paper' must be one of: white, cream, colour"),
])
def test_bad_print_settings_name_their_line_and_what_is_expected(tmp_path, setting, expected):
    book_dir = copy_book(tmp_path)
    config = book_dir / "manuscript" / "book.toml"
    config.write_text(config.read_text().replace('[print]\n', f'[print]\n{setting}\n'))
    result = build(book_dir, "--format", "cover", "--profile", "kdp")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    key = setting.splitlines()[-1].split(" =")[0]
    assert f"manuscript/book.toml:{config_line(book_dir, key)}: error C001" in result.stderr
    assert expected in result.stderr


def test_a_page_count_the_printer_does_not_bind_and_a_profile_without_paper_are_refused(tmp_path):
    from bookmaker import make_book

    book_dir = make_book(tmp_path / "small", {"one.md": "# One\n\nA page.\n"})
    with_settings(book_dir, '[print]\nprofile = "kdp"\n')
    result = build(book_dir, "--format", "cover")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"manuscript/book.toml:{config_line(book_dir, 'profile')}: error K003" in result.stderr
    assert "KDP paperback: 24 to 828 pages" in result.stderr
    result = build(book_dir, "--format", "cover", "--profile", "proof")
    assert result.returncode != 0 and "error K001" in result.stderr and "kdp, ingramspark, lulu" in result.stderr


def test_build_without_a_format_makes_the_cover_for_a_printers_profile_only(tmp_path):
    from pressroom.writers import default_formats

    assert default_formats("kdp") == ["epub", "pdf", "cover"]
    assert default_formats("proof") == default_formats("screen") == ["epub", "pdf"]


def test_the_cover_rebuilds_byte_for_byte(shipped, tmp_path):
    built = []
    for attempt in range(2):  # SOURCE_DATE_EPOCH set by epubtools.build; no cache, so drawn again
        result = build(shipped, "--format", "cover", "--profile", "kdp", "--no-cache")
        assert result.returncode == 0, result.stderr
        built.append({p.name: p.read_bytes() for p in sorted((shipped / "dist").glob("*-cover*.pdf"))})
    assert len(built[0]) == 2 and built[0] == built[1]


def test_the_corpus_books_cover_carries_its_configured_isbn_and_passes_check(tmp_path):
    """parts-and-matter's own settings ([print] isbn, price_code, paper, [cover] blurb from a file)."""
    from pressroom.config import load_config
    from pressroom.cover_check import check_cover

    book_dir = tmp_path / "parts-and-matter"
    shutil.copytree(Path(__file__).parent / "corpus" / "parts-and-matter", book_dir,
                    ignore=shutil.ignore_patterns("dist", ".cache", "golden"))
    config = load_config(book_dir)
    result = build(book_dir, "--format", "pdf", "--format", "cover", "--profile", "kdp")
    assert result.returncode == 0, result.stderr
    assert f"{config.settings.paper} paper" in result.stdout
    dist = book_dir / "dist"
    cover = dist / "keepers-of-carrow-point-cover.pdf"
    assert zbar(render(cover, 300, "cover")) == {"EAN-13:" + config.metadata.isbn_print.replace("-", ""),
                                                 "EAN-5:" + config.settings.price_code}
    from pressroom.cover_check import characters

    text = "".join(c for c, *_ in characters(cover))
    assert "Forninetyyearsalightburned" in text  # the blurb, read from blurb.md
    assert check_cover(cover, dist / "keepers-of-carrow-point-kdp.pdf", prepare_book(book_dir), "kdp") == []


def test_the_authors_photo_and_the_publishers_logo_stand_on_the_back_sharp_enough(laid_out, tmp_path):
    from pressroom.cover_html import back_places
    from pressroom.cover_sheet import book_sheet

    book, layout = laid_out["kdp"]
    root = Path(book.root)
    Image.new("RGB", (600, 768), (200, 190, 170)).save(root / "author.jpg")  # 25 mm wide: 610 ppi
    Image.new("RGBA", (720, 288), (250, 250, 250, 255)).save(root / "logo.png")
    cover = cover_for(book, layout, "kdp", tmp_path / "pictures", cover_author_photo="author.jpg",
                      cover_logo="logo.png")["cover"]
    sheet = book_sheet(book, len(layout.pages), "kdp")
    places = back_places(sheet)
    from pressroom.cover_check import check_cover, images

    boxes = [box for _, box in images(cover)]
    for key in ("author_photo", "logo"):
        place = places[key]
        assert sheet.back_safe.holds(place.x, place.y, place.right, place.bottom)
        assert any(place.holds(*box, slack=0.1) and box[2] - box[0] > place.w * 0.9 or
                   place.holds(*box, slack=0.1) and box[3] - box[1] > place.h * 0.9 for box in boxes), (key, boxes)
    # check measures every image's resolution in the printed file: a photo of 120 × 154 px, let through
    # by a build whose minimum is lowered, is found in the PDF
    import pressroom.cover_html as cover_html

    interior = pypdf.PdfWriter()
    for _ in layout.pages:  # a stand-in interior with the layout's page count
        interior.add_blank_page(100, 100)
    interior.write(tmp_path / "interior.pdf")
    Image.new("RGB", (120, 154), (200, 190, 170)).save(root / "author.jpg")
    try:
        cover_html.MIN_PPI, kept = 50, cover_html.MIN_PPI
        blurry = cover_for(book, layout, "kdp", tmp_path / "blurry", cover_author_photo="author.jpg")["cover"]
    finally:
        cover_html.MIN_PPI = kept
        (root / "author.jpg").unlink()
        (root / "logo.png").unlink()
    assert check_cover(cover, tmp_path / "interior.pdf", book, "kdp") == []
    found = check_cover(blurry, tmp_path / "interior.pdf", book, "kdp")
    assert [f.code for f in found] == ["K002"] and "120×154 px" in found[0].message, found


def test_a_photo_too_small_for_its_place_names_its_setting(tmp_path):
    book_dir = with_settings(copy_book(tmp_path), '[cover]\nauthor_photo = "me.jpg"\n')
    Image.new("RGB", (120, 150), (200, 190, 170)).save(book_dir / "me.jpg")
    result = build(book_dir, "--format", "cover", "--profile", "kdp")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"manuscript/book.toml:{config_line(book_dir, 'author_photo')}: error K002" in result.stderr
    assert "[cover] author_photo me.jpg is 120×150 px" in result.stderr and "at least 300 ppi" in result.stderr


def colour_operators_and_images(path: Path):
    """(every content-stream operator, every image XObject) of the PDF's pages and the forms they draw."""
    import pikepdf

    pdf = pikepdf.open(path)
    operators, images, seen = set(), [], set()

    def visit(owner) -> None:
        operators.update(str(op) for _, op in pikepdf.parse_content_stream(owner))
        resources = owner.get("/Resources", {})
        for _, xobject in sorted(resources.get("/XObject", {}).items()):
            if xobject.objgen in seen:
                continue
            seen.add(xobject.objgen)
            if xobject.Subtype == "/Image":
                images.append(xobject)
            else:
                visit(xobject)

    for page in pdf.pages:
        visit(page.obj)
    return pdf, operators, images


def test_the_ingramspark_cover_is_pdf_x_1a_in_cmyk_only_with_the_interiors_output_intent(laid_out, tmp_path):
    """IngramSpark's File Creation Guide: cover PDF/X-1a, CMYK, no RGB. Both files (the proof is the
    printed file with its guides), with an author's photo and a transparent logo on the back."""
    import pikepdf

    from pressroom.printers import printer
    from pressroom.writers.pdf import write_pdf

    book, layout = laid_out["ingramspark"]
    root = Path(book.root)
    Image.new("RGB", (600, 768), (200, 190, 170)).save(root / "author.jpg")
    logo = Image.new("RGBA", (720, 288), (0, 0, 0, 0))
    logo.paste((250, 250, 250, 255), (100, 50, 620, 238))
    logo.save(root / "logo.png")
    try:
        paths = cover_for(book, layout, "ingramspark", tmp_path / "cmyk", cover_author_photo="author.jpg",
                          cover_logo="logo.png")
    finally:
        (root / "author.jpg").unlink()
        (root / "logo.png").unlink()
    interior = tmp_path / "interior.pdf"
    interior.write_bytes(next(iter(write_pdf(book, layout, WriteOptions(profile="ingramspark")).files.values())))
    inside = pikepdf.open(interior)
    intent = printer("ingramspark").output_intent
    for kind, path in sorted(paths.items()):
        pdf, operators, images = colour_operators_and_images(path)
        assert not operators & {"rg", "RG"}, (kind, operators)
        assert "scn" in operators or "sc" in operators or "k" in operators  # colours are set, in CMYK
        whole = io.BytesIO()
        pdf.save(whole, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.generalized)
        assert b"DeviceRGB" not in whole.getvalue() and b"/ICCBased" not in whole.getvalue(), kind
        assert len(images) == 3, (kind, len(images))  # the front, the photo, the logo
        for image in images:
            assert image.ColorSpace == "/DeviceCMYK" and "/SMask" not in image and "/Mask" not in image, kind
        # PDF/X-1a as the interior declares it: the same output intent, version and conformance
        (cover_intent,) = pdf.Root.OutputIntents
        (interior_intent,) = inside.Root.OutputIntents
        assert cover_intent.S == "/GTS_PDFX" and str(cover_intent.OutputConditionIdentifier) == intent.identifier
        assert {k: str(v) for k, v in cover_intent.items()} == {k: str(v) for k, v in interior_intent.items()}
        assert pdf.pdf_version == inside.pdf_version == "1.4"
        version = str(inside.docinfo["/GTS_PDFXVersion"])
        assert version.startswith("PDF/X-1a") and str(pdf.docinfo["/GTS_PDFXVersion"]) == version
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfxid:GTS_PDFXVersion") == version
    # KDP takes RGB and keeps it: its cover is as before (no PDF/X, the front an RGB JPEG)
    book, layout = laid_out["kdp"]
    kdp, _, (front,) = colour_operators_and_images(cover_for(book, layout, "kdp", tmp_path / "kdp")["cover"])
    assert front.ColorSpace == "/DeviceRGB" and "/OutputIntents" not in kdp.Root


def rendered(path: Path, dpi: int) -> Image.Image:
    return Image.open(render(path, dpi, path.stem + "-rendered")).convert("RGB")


def test_the_ingramspark_front_prints_the_colours_of_the_kdp_front_and_its_barcode_reads(laid_out, tmp_path):
    """The generated front (and the ground round it) separated for FOGRA39 renders within a small distance
    of the RGB one: neither a negative (an Adobe CMYK JPEG read uninverted) nor another colour; an
    author's picture too. The barcode, 100 % K on an unprinted box, still reads."""
    from pressroom.cover_sheet import book_sheet

    dpi = 100  # a title's stroke is several pixels wide: its inside is the ink itself

    def distance(a, b) -> float:
        return sum((x - y) ** 2 for x, y in zip(a, b)) ** 0.5

    def compare(kdp_path: Path, kdp_sheet, ing_path: Path, ing_sheet, points) -> list[float]:
        """The colour distance at ``points`` ((x, y) as fractions of the front panel), each measured in
        each printer's own front panel (their spines differ)."""
        kdp_image, ing_image = rendered(kdp_path, dpi), rendered(ing_path, dpi)
        found = []
        for fx, fy in points:
            at = [(round((s.front.x + fx * s.front.w) / MM * dpi), round((s.front.y + fy * s.front.h) / MM * dpi))
                  for s in (kdp_sheet, ing_sheet)]
            found.append((kdp_image.getpixel(at[0]), ing_image.getpixel(at[1])))
        return found

    sheets = {name: book_sheet(laid_out[name][0], len(laid_out[name][1].pages), name) for name in ("kdp", "ingramspark")}
    covers = {name: cover_for(*laid_out[name], name, tmp_path / name)["cover"] for name in ("kdp", "ingramspark")}
    # The ground (top, bottom, the margins) and the title's ink, the light pixels found in the KDP render
    kdp_image = rendered(covers["kdp"], dpi)
    front = sheets["kdp"].front
    x0, y0 = (round(v / MM * dpi) for v in (front.x, front.y))
    w, h = (round(v / MM * dpi) for v in (front.w, front.h))

    def solid_ink(x: int, y: int) -> bool:  # a pixel inside a stroke, its neighbours light too
        return all(sum(kdp_image.getpixel((x + dx, y + dy))) > 3 * 220 for dx in (-1, 0, 1) for dy in (-1, 0, 1))

    ink = [((x - x0) / w, (y - y0) / h) for y in range(y0 + h // 8, y0 + h // 3, 3) for x in range(x0, x0 + w, 3)
           if solid_ink(x, y)][::7][:12]
    assert len(ink) >= 6, "the title's light ink should stand in the top third of the front"
    ground = [(0.5, 0.02), (0.05, 0.5), (0.95, 0.6), (0.5, 0.98)]
    pairs = compare(covers["kdp"], sheets["kdp"], covers["ingramspark"], sheets["ingramspark"], ground + ink)
    assert all(distance(a, b) < 20 for a, b in pairs[:len(ground)]), pairs[:len(ground)]
    assert all(min(b) > 180 and distance(a, b) < 40 for a, b in pairs[len(ground):]), pairs[len(ground):]
    # The back's ground, set in CSS device-cmyk, is the inks of the front's: no seam at the fold
    ing_image = rendered(covers["ingramspark"], dpi)
    back = sheets["ingramspark"].back
    at_back = ing_image.getpixel((round((back.x + 0.5 * back.w) / MM * dpi), round((back.y + 0.6 * back.h) / MM * dpi)))
    assert distance(at_back, pairs[2][1]) < 6, (at_back, pairs[2][1])
    # An author's picture: four colours within a print gamut, in its quadrants
    book, _ = laid_out["kdp"]
    picture = Image.new("RGB", (1800, 2700))
    quadrants = ((40, 80, 130), (200, 190, 170), (60, 120, 80), (180, 80, 40))
    for i, colour in enumerate(quadrants):
        picture.paste(colour, ((i % 2) * 900, (i // 2) * 1350, (i % 2 + 1) * 900, (i // 2 + 1) * 1350))
    picture.save(Path(book.root) / "front.jpg", quality=95)
    try:
        pictured = {name: cover_for(*laid_out[name], name, tmp_path / f"{name}-picture", cover_image="front.jpg")["cover"]
                    for name in ("kdp", "ingramspark")}
    finally:
        (Path(book.root) / "front.jpg").unlink()
    pairs = compare(pictured["kdp"], sheets["kdp"], pictured["ingramspark"], sheets["ingramspark"],
                    [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)])
    # poppler shows DeviceCMYK with its own fixed formula, not the FOGRA39 profile: near, not equal
    assert all(distance(a, b) < 36 and distance(a, colour) < 12 for (a, b), colour in zip(pairs, quadrants)), pairs
    # Read back through the profile it was separated with, the embedded picture gives the author's colours
    # (an image separated otherwise, or its inks inverted, would not)
    import pikepdf
    from PIL import ImageCms

    from pressroom.printers import printer
    from pressroom.separation import _profile

    separated_pdf, _, (embedded,) = colour_operators_and_images(pictured["ingramspark"])  # the Pdf kept open
    inks = pikepdf.PdfImage(embedded).as_pil_image()
    assert inks.mode == "CMYK"
    seen = ImageCms.applyTransform(inks, ImageCms.buildTransform(_profile(printer("ingramspark").cmyk_profile),
                                                                 ImageCms.createProfile("sRGB"), "CMYK", "RGB",
                                                                 flags=ImageCms.Flags.BLACKPOINTCOMPENSATION))
    for (fx, fy), colour in zip([(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)], quadrants):
        got = seen.getpixel((round(fx * seen.width), round(fy * seen.height)))
        # black-point compensation maps sRGB's black to the darkest the profile's 240 % of ink prints,
        # which lightens the shadows of these colours a little (up to about 13)
        assert distance(got, colour) < 16, (colour, got)
    # The barcode still reads, at 300 dpi, with its add-on
    assert zbar(render(covers["ingramspark"], 300, "barcode")) == {"EAN-13:" + ISBN.replace("-", ""), "EAN-5:" + PRICE}
