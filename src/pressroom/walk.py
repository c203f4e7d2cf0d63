"""One way to walk the book model: each node type's children declared once, and the walks built on that.

:data:`CHILDREN` says, for every node type of :mod:`pressroom.model`, which of its fields hold
child nodes, in reading order. Everything that looks inside the model goes through this module,
so a new node type is one entry here (and a rendering in each output; tests fail without them):

- :func:`iter_nodes` / :func:`query`: every node (or every node of some types) in reading order,
  depth first, each node before its children (pandoc's ``query``);
- :func:`walk`: a bottom-up rebuild (pandoc's ``walk``): children first, then the node itself is
  given to a function; a node inside a sequence may be replaced by several (a tuple). Whatever
  did not change is returned as the very same object, so an untouched chapter stays cheap;
- :func:`map_inlines`: a function over each outermost inline sequence (a paragraph's, a heading's,
  a chapter title's, a bibliography entry's), for transforms that need the context of the whole
  run of text (the character before a quote, a running counter);
- :func:`walk_inline_sequences`: a function over every inline sequence, innermost first (pandoc's
  ``walk`` with an ``[Inline] -> [Inline]`` function), for rewrites that look at siblings.

Every function takes a node or a tuple of nodes. ``leaves`` names types whose children are not
visited (the node itself still is): an index skips headings and citations, plain text skips a
citation's printed form.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterator, get_args

from . import model as m


@dataclass(frozen=True)
class Child:
    """A field of a node that holds child nodes.

    ``holds``: "inline", "block" or "other" (notes, citation segments, sections…), what its elements
    are; ``nested``: the field is a tuple of such sequences (a list's items, each a tuple of blocks).
    """

    name: str
    holds: str
    nested: bool = False


_INLINES = Child("inlines", "inline")

# The one declaration of the model's shape. Leaves are listed too (with no children), so an
# unknown type is an error, not a silent leaf. Chapter.sections is left out on purpose: the contents
# entries are derived from the headings, and a walk of a chapter visits what it prints, once.
CHILDREN: dict[type, tuple[Child, ...]] = {
    # inlines
    m.Text: (),
    m.Literal: (),
    m.Emph: (Child("children", "inline"),),
    m.Strong: (Child("children", "inline"),),
    m.Styled: (Child("children", "inline"),),
    m.Span: (Child("children", "inline"),),
    m.CrossRef: (Child("text", "inline"),),
    m.Math: (),
    m.Code: (),
    m.Link: (Child("children", "inline"),),
    m.Image: (),
    m.LineBreak: (),
    m.SoftBreak: (),
    m.Abbr: (),
    m.NoteRef: (),
    m.Cite: (Child("rendered", "other"),),
    m.IndexMark: (),
    m.PageBreak: (),
    # blocks
    m.Paragraph: (_INLINES,),
    m.Heading: (_INLINES,),
    m.BlockQuote: (Child("blocks", "block"),),
    m.ListBlock: (Child("items", "block", nested=True),),
    m.CodeBlock: (),
    m.ThematicBreak: (),
    m.Table: (Child("caption", "inline"), Child("head", "other"), Child("body", "other")),
    m.Figure: (Child("image", "inline"), Child("caption", "inline")),
    m.DefinitionList: (Child("items", "other"),),
    m.LineBlock: (Child("lines", "other"),),
    m.Div: (Child("blocks", "block"),),
    # inside inlines and blocks
    m.DefinitionItem: (Child("term", "inline"), Child("definitions", "block", nested=True)),
    m.Line: (_INLINES,),
    m.TableRow: (Child("cells", "other"),),
    m.TableCell: (_INLINES,),
    m.CiteSegment: (_INLINES,),
    # the book
    m.Note: (Child("blocks", "block"),),
    m.Chapter: (Child("title", "inline"), Child("blocks", "block"), Child("notes", "other")),
    m.BibEntry: (_INLINES,),
    m.Section: (Child("children", "other"),),
    m.ScopedBibliography: (Child("entries", "other"),),
    m.Book: (Child("chapters", "other"), Child("bibliography", "other"), Child("scoped_bibliographies", "other")),
}

# What an inline and a block are: the model's unions (a test checks that CHILDREN covers them).
INLINE_TYPES: tuple[type, ...] = get_args(m.Inline)
BLOCK_TYPES: tuple[type, ...] = get_args(m.Block)

# For iter_nodes: (field name, nested) of each type with children, last field first (they go on a stack).
_PUSH: dict[type, tuple[tuple[str, bool], ...]] = {
    kind: tuple((c.name, c.nested) for c in reversed(fields)) for kind, fields in CHILDREN.items()
}
_INLINE_FIELDS: dict[type, tuple[str, ...]] = {
    kind: tuple(c.name for c in fields if c.holds == "inline" and not c.nested) for kind, fields in CHILDREN.items()
}


def _unknown(node) -> TypeError:
    return TypeError(f"{type(node).__name__} is not a node type of the book model (see walk.CHILDREN)")


def children(node) -> tuple:
    """A node's child nodes in reading order (a list's items flattened), ``()`` for a leaf."""
    try:
        fields = CHILDREN[type(node)]
    except KeyError:
        raise _unknown(node) from None
    out: list = []
    for child in fields:
        value = getattr(node, child.name)
        if child.nested:
            for sequence in value:
                out.extend(sequence)
        else:
            out.extend(value)
    return tuple(out)


def iter_nodes(root, leaves: tuple[type, ...] = ()) -> Iterator:
    """Every node of ``root`` (a node or a tuple of nodes), in reading order, depth first, each node
    before its children; the children of ``leaves`` types are not visited.

    A loop over a stack rather than nested generators: whole-book walks (ids, citations, images,
    index marks, page breaks) are on the hot path, and a generator per level costs more.
    """
    stack = list(reversed(root)) if isinstance(root, tuple) else [root]
    pop, extend, push = stack.pop, stack.extend, _PUSH
    while stack:
        node = pop()
        yield node
        try:
            fields = push[type(node)]
        except KeyError:
            raise _unknown(node) from None
        if not fields or (leaves and isinstance(node, leaves)):
            continue
        for name, nested in fields:
            value = getattr(node, name)
            if nested:
                for sequence in reversed(value):
                    extend(reversed(sequence))
            else:
                extend(reversed(value))


def query(root, *types: type, leaves: tuple[type, ...] = ()) -> Iterator:
    """The nodes of ``root`` that are of one of ``types``, in reading order (see :func:`iter_nodes`)."""
    return (node for node in iter_nodes(root, leaves) if isinstance(node, types))


Fn = Callable[[object], object]


def walk(root, fn: Fn, leaves: tuple[type, ...] = ()):
    """``root`` (a node or a tuple of nodes) rebuilt bottom up: each node's children first, then
    ``fn(node)``, whose result takes the node's place. Inside a sequence ``fn`` may return a tuple
    of nodes, spliced in its place (``()`` removes the node). Leaves are given to ``fn`` in reading
    order. Children of ``leaves`` types are not walked. A node or tuple in which nothing changed is
    returned as the same object."""
    if isinstance(root, tuple):
        return _walk_sequence(root, fn, leaves)
    out = _walk_node(root, fn, leaves)
    if isinstance(out, tuple):
        raise TypeError(f"walk: the function replaced the root {type(root).__name__} by a tuple")
    return out


def _walk_node(node, fn: Fn, leaves):
    try:
        fields = CHILDREN[type(node)]
    except KeyError:
        raise _unknown(node) from None
    if fields and not (leaves and isinstance(node, leaves)):
        changes = {}
        for child in fields:
            value = getattr(node, child.name)
            if child.nested:
                new = tuple(_walk_sequence(sequence, fn, leaves) for sequence in value)
                if all(a is b for a, b in zip(new, value)):
                    new = value
            else:
                new = _walk_sequence(value, fn, leaves)
            if new is not value:
                changes[child.name] = new
        if changes:
            node = replace(node, **changes)
    return fn(node)


def _walk_sequence(sequence: tuple, fn: Fn, leaves) -> tuple:
    out: list = []
    changed = False
    for node in sequence:
        new = _walk_node(node, fn, leaves)
        if new is node:
            out.append(node)
        elif isinstance(new, tuple):
            out.extend(new)
            changed = True
        else:
            out.append(new)
            changed = True
    return tuple(out) if changed else sequence


InlinesFn = Callable[[tuple], tuple]


def _is_inline_sequence(root) -> bool:
    return isinstance(root, tuple) and bool(root) and type(root[0]) in _INLINE_SET


_INLINE_SET = frozenset(INLINE_TYPES)


def _with_inline_fields(node, fn: InlinesFn):
    """``node`` with ``fn`` applied to each of its (non-nested) inline sequence fields."""
    names = _INLINE_FIELDS[type(node)]
    if not names:
        return node
    changes = {}
    for name in names:
        value = getattr(node, name)
        new = fn(value)
        if new is not value:
            changes[name] = new
    return replace(node, **changes) if changes else node


def map_inlines(root, fn: InlinesFn, leaves: tuple[type, ...] = ()):
    """``root`` with ``fn`` applied to each outermost inline sequence: those not inside an inline
    (a paragraph's, a heading's, a chapter title's, a bibliography entry's), in reading order.
    ``fn`` gets the whole sequence, nested inlines included (it may :func:`walk` it). Given a tuple
    of inlines, ``fn`` is applied to it. Nodes of ``leaves`` types are left as they are (nothing
    inside them is given to ``fn``)."""
    if _is_inline_sequence(root):
        return fn(root)
    if isinstance(root, tuple):
        return _map_outer_sequence(root, fn, leaves)
    return _map_outer(root, fn, leaves)


def _map_outer(node, fn: InlinesFn, leaves: tuple[type, ...] = ()):
    if leaves and isinstance(node, leaves):
        return node
    try:
        fields = CHILDREN[type(node)]
    except KeyError:
        raise _unknown(node) from None
    changes = {}
    for child in fields:
        value = getattr(node, child.name)
        if child.holds == "inline":
            new = fn(value)  # an outermost inline sequence: fn sees it whole
        elif child.nested:
            new = tuple(_map_outer_sequence(sequence, fn, leaves) for sequence in value)
            if all(a is b for a, b in zip(new, value)):
                new = value
        else:
            new = _map_outer_sequence(value, fn, leaves)
        if new is not value:
            changes[child.name] = new
    return replace(node, **changes) if changes else node


def _map_outer_sequence(sequence: tuple, fn: InlinesFn, leaves: tuple[type, ...] = ()) -> tuple:
    new = tuple(_map_outer(node, fn, leaves) for node in sequence)
    return sequence if all(a is b for a, b in zip(new, sequence)) else new


def walk_inline_sequences(root, fn: InlinesFn):
    """``root`` with ``fn`` applied to every inline sequence, innermost first (an italic's children
    before the paragraph holding it): pandoc's ``walk`` with an ``[Inline] -> [Inline]`` function.
    Given a tuple of inlines, ``fn`` is applied to it last."""
    out = walk(root, lambda node: _with_inline_fields(node, fn))
    return fn(out) if _is_inline_sequence(root) else out


def inline_children(node) -> str:
    """The name of an inline's field of child inlines ("children" of an italic or a link), or ""."""
    names = _INLINE_FIELDS.get(type(node), ())
    return names[0] if names and type(node) in _INLINE_SET else ""
