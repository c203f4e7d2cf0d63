"""What the EPUB says about its own accessibility, derived from what the book contains.

``contents_of(book, page_list)`` surveys a finished :class:`pressroom.model.Book` (one walk) into
:class:`A11yContents`; ``accessibility_metadata(book, page_list)`` turns that into EPUB
Accessibility 1.1 metadata, as (property, value) pairs for the OPF, in a fixed order.

What is claimed, and when:

- ``schema:accessMode`` / ``accessModeSufficient`` / ``accessibilityFeature`` name only what the
  book has (images, a page list, an index); the summary is written from the same survey.
- ``dcterms:conformsTo`` (EPUB Accessibility 1.1, WCAG 2.1 AA) only when the build's own checks
  pass: every image has a text alternative (:func:`has_text_alternative`, the same rule as lint's
  M011: the one WCAG criterion that depends on what the author wrote and the build can see).
  Everything else the claim rests on (language of package and pages, headings, reading order, the
  nav, links told apart from text, contrast) is the templates', and the test suite runs Ace by
  DAISY on every book of the corpus to hold them to it.
- ``a11y:certifiedBy`` (and ``a11y:certifierCredential``) only when ``[accessibility]`` in
  book.toml names who evaluated the book: EPUB Accessibility 1.1 §2.1 says it names "the party
  responsible for the evaluation", which a build tool cannot be.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import model as m
from .isbn import compact
from .walk import query

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def has_text_alternative(image: m.Image) -> bool:
    """True when the image has alternative text (not only spaces)."""
    return bool(image.alt.strip())


@dataclass(frozen=True)
class A11yContents:
    """What the book holds, as far as its accessibility metadata is concerned."""

    images: int  # in the chapters (the cover not counted)
    images_without_alt: int
    notes: int
    citations: int
    index: bool
    page_list: bool  # the EPUB carries the print edition's page breaks and a page-list
    tables: int = 0
    formulas: int = 0  # TeX formulas, in the EPUB as MathML with the TeX as alttext

    @property
    def conforms(self) -> bool:
        """The build's own checks pass: every image has a text alternative."""
        return self.images_without_alt == 0


def contents_of(book: m.Book, page_list: bool = False) -> A11yContents:
    """The survey of ``book`` (every chapter's text and notes) for its accessibility metadata."""
    content = tuple(node for chapter in book.chapters for node in chapter.blocks + chapter.notes)
    found = list(query(content, m.Image, m.Table, m.Math))  # one walk of the book for the three
    images = [node for node in found if isinstance(node, m.Image)]
    return A11yContents(
        tables=sum(isinstance(node, m.Table) for node in found),
        formulas=sum(isinstance(node, m.Math) for node in found),
        images=len(images),
        images_without_alt=sum(not has_text_alternative(image) for image in images),
        notes=sum(len(chapter.notes) for chapter in book.chapters),
        citations=len(book.citations()),
        index=bool(book.index),
        page_list=page_list,
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary(contents: A11yContents, meta: m.Metadata) -> str:
    """``schema:accessibilitySummary``: plain sentences saying what the book has and what is claimed."""
    c = contents
    sentences = []
    if c.conforms:
        sentences.append(f"This publication conforms to {CONFORMS_TO.replace(' - ', ' at ')} as far as "
                         "automated checks can tell: its build finds a text alternative for every image, "
                         "and its templates are tested with Ace by DAISY.")
    else:
        sentences.append("This publication makes no claim to conform to WCAG: "
                         f"{_count(c.images_without_alt, 'image has', 'images have')} no text alternative.")
    has = ["a table of contents", "a logical reading order", "structured headings"]
    if c.notes:
        has.append(_count(c.notes, "footnote linked to and from its call", "footnotes linked to and from their calls"))
    if c.citations:
        has.append("citations linked to the bibliography")
    if c.index:
        has.append("an index whose entries link to the text")
    if c.page_list:
        has.append("page break markers and a page list following the print edition")
    sentences.append(f"It has {', '.join(has[:-1])}, and {has[-1]}.")
    described = c.images - c.images_without_alt
    if c.images == 0:
        sentences.append("The only image, the cover, has a text alternative.")
    elif described == c.images:
        sentences.append(f"Besides the cover, it has {_count(c.images, 'image', 'images')}; "
                         "every image, the cover included, has a text alternative.")
    else:
        sentences.append(f"Besides the cover, it has {_count(c.images, 'image', 'images')}, "
                         f"{described} of them with a text alternative.")
    if c.tables:
        sentences.append(f"It has {_count(c.tables, 'table', 'tables')}, each with a header row.")
    if c.formulas:
        sentences.append(f"It has {_count(c.formulas, 'formula', 'formulas')} in MathML, "
                         f"{'its' if c.formulas == 1 else 'each with its'} TeX source as the text a reader hears.")
    missing = [what for what, n in (("tables", c.tables), ("mathematics", c.formulas)) if not n]
    if missing:
        sentences.append(f"It has no {' and no '.join(missing)}.")
    sentences.append("There are no hazards (no sound, motion or flashing).")
    if meta.certified_by:
        sentences.append(f"Its accessibility was evaluated by {meta.certified_by}.")
    else:
        sentences.append("No evaluator of its accessibility is named.")
    return " ".join(sentences)


def accessibility_metadata(book: m.Book, page_list: bool = False) -> list[tuple[str, str]]:
    """EPUB Accessibility 1.1 metadata (schema.org, dcterms, a11y) of ``book`` as (property, value)
    pairs; ``page_list``: the EPUB carries the print edition's page breaks."""
    c = contents_of(book, page_list)
    meta = book.metadata
    pairs = [("schema:accessMode", "textual"), ("schema:accessMode", "visual")]  # the cover is an image
    pairs.append(("schema:accessModeSufficient", "textual" if c.conforms else "textual,visual"))
    features = ["displayTransformability", "readingOrder", "structuralNavigation", "tableOfContents"]
    if c.images_without_alt == 0:
        features.append("alternativeText")
    if c.index:
        features.append("index")
    if c.formulas:
        features += ["MathML", "describedMath"]  # schema.org accessibilityFeature vocabulary
    if c.page_list:
        features += ["pageBreakMarkers", "pageNavigation", "printPageNumbers"]
    pairs += [("schema:accessibilityFeature", feature) for feature in sorted(features)]
    if c.page_list:
        # "pageBreakSource" (W3C page-source-id, incubated by EPUBCheck) names the edition the page-list follows.
        source = (f"urn:isbn:{compact(meta.isbn_print)}" if meta.isbn_print
                  else f"{meta.title} (print edition, {meta.publisher or meta.author})")
        pairs.append(("pageBreakSource", source))
    pairs += [
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", summary(c, meta)),
    ]
    if c.conforms:
        pairs.append(("dcterms:conformsTo", CONFORMS_TO))
    if meta.certified_by:
        pairs.append(("a11y:certifiedBy", meta.certified_by))
        if meta.certifier_credential:
            pairs.append(("a11y:certifierCredential", meta.certifier_credential))
    return pairs
