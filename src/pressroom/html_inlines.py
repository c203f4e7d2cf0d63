"""A small HTML fragment (as a CSL processor prints it) → model inlines."""

from __future__ import annotations

from . import model as m


def html_to_inlines(html: str) -> tuple[m.Inline, ...]:
    """``'Trotsky, <i>The Revolution Betrayed</i>'`` → ``(Text('Trotsky, '), Emph((Text(...),)))``.

    ``<i>``/``<em>`` become :class:`Emph`, ``<b>``/``<strong>`` :class:`Strong`;
    any other tag keeps only its text.
    """
    if "<" not in html and "&" not in html:
        return (m.Text(html),) if html else ()
    from lxml import html as lxml_html

    root = lxml_html.fragment_fromstring(html, create_parent="span")
    return _children(root)


def _children(element) -> tuple[m.Inline, ...]:
    out: list[m.Inline] = []

    def text(value: str | None) -> None:
        if value:
            if out and isinstance(out[-1], m.Text):
                out[-1] = m.Text(out[-1].text + value)
            else:
                out.append(m.Text(value))

    text(element.text)
    for child in element:
        kids = _children(child)
        if child.tag in ("i", "em"):
            out.append(m.Emph(kids))
        elif child.tag in ("b", "strong"):
            out.append(m.Strong(kids))
        else:
            for kid in kids:
                text(kid.text) if isinstance(kid, m.Text) else out.append(kid)
        text(child.tail)
    return tuple(out)
