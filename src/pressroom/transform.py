"""Helpers to rewrite the inline content of a model, for the transforms
(citation rendering, typography) that turn a read book into a finished one."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from . import model as m

InlineFn = Callable[[tuple[m.Inline, ...]], tuple[m.Inline, ...]]


def map_blocks(blocks: tuple[m.Block, ...], fn: InlineFn) -> tuple[m.Block, ...]:
    """Apply ``fn`` to the inline sequence of every paragraph and heading, in reading order."""
    out: list[m.Block] = []
    for block in blocks:
        if isinstance(block, (m.Paragraph, m.Heading)):
            block = replace(block, inlines=fn(block.inlines))
        elif isinstance(block, m.BlockQuote):
            block = replace(block, blocks=map_blocks(block.blocks, fn))
        elif isinstance(block, m.ListBlock):
            block = replace(block, items=tuple(map_blocks(item, fn) for item in block.items))
        out.append(block)
    return tuple(out)


def map_chapter(chapter: m.Chapter, fn: InlineFn) -> m.Chapter:
    """Apply ``fn`` to the title, the body and the notes of a chapter, in that order."""
    return replace(
        chapter,
        title=fn(chapter.title),
        blocks=map_blocks(chapter.blocks, fn),
        notes=tuple(replace(note, blocks=map_blocks(note.blocks, fn)) for note in chapter.notes),
    )
