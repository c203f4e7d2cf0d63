"""Values ↔ bytes for the memo's entries on disk: data that cannot run code when read.

``encode(value) -> bytes`` and ``decode(bytes) -> value`` handle ``None``, booleans,
numbers, strings, bytes, tuples, lists, dicts, frozensets and the frozen dataclasses of a
closed registry (the book model's, and the few stage results the driver keeps). The text is
JSON: every container is an object with one member whose name says what it is
(``{"(": […]}`` a tuple, ``{"Text": ["word"]}`` a ``model.Text``), so reading an entry back
is ``json.loads`` with a hook that can only build these types. A name outside the registry,
or anything malformed, raises :class:`CodecError`; nothing read ever names a callable.

Why not pickle: unpickling calls whatever the data names, so a crafted entry in a book's
``.cache/`` would run code when the book is built (issue 12). Why hand-written rather than
msgspec or cattrs: the model's unions (``Inline``, ``Block``) are plain dataclasses with no tag
field, which those libraries only decode as tagged unions of their own kinds of classes.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Callable

from . import model as m


class CodecError(ValueError):
    """An entry that is not a value this codec writes (corrupt, forged, or from other code)."""


def _registry() -> dict[str, type]:
    """The closed set of dataclasses an entry may hold, by name: every dataclass of the model."""
    found = {name: value for name, value in vars(m).items()
             if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == m.__name__}
    return dict(sorted(found.items()))


TYPES: dict[str, type] = _registry()
_FIELDS: dict[type, tuple[str, ...]] = {cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in TYPES.values()}
_NAMES: dict[type, str] = {cls: name for name, cls in TYPES.items()}
_SCALARS = (str, int, float, bool, type(None))

# Container tags: none of them is a valid Python class name, so none can clash with the registry.
_TUPLE, _LIST, _DICT, _SET, _BYTES = "(", "[", "{", "s", "b"


def register(cls: type) -> type:
    """Add a frozen dataclass (a stage's result type) to the registry; usable as a class decorator."""
    if not (dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen):
        raise TypeError(f"{cls.__name__} is not a frozen dataclass")
    name = cls.__name__
    if TYPES.get(name, cls) is not cls:
        raise TypeError(f"two codec types named {name}")
    TYPES[name] = cls
    _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    _NAMES[cls] = name
    return cls


def to_data(value, known: Callable[[object], str | None] | None = None):
    """The JSON-ready form of a value (see the module's docstring); TypeError for anything else.

    ``known(value)``, if given, may name a value by an identity instead (``{"#": identity}``): the
    memo's content addresses, so values it already identified are not encoded again. A recursion
    over Python values of any kind (not over the model's node types, which it knows only as
    registered dataclasses), like ``pickle`` or ``json`` themselves."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if known is not None:
        found = known(value)
        if found is not None:
            return {"#": found}
    if kind is tuple:
        return {_TUPLE: [to_data(item, known) for item in value]}
    if kind in _FIELDS:
        return {_NAMES[kind]: [to_data(getattr(value, name), known) for name in _FIELDS[kind]]}
    if kind is dict:
        return {_DICT: [[to_data(k, known), to_data(v, known)] for k, v in value.items()]}
    if kind is list:
        return {_LIST: [to_data(item, known) for item in value]}
    if kind is frozenset:
        return {_SET: sorted((to_data(item, known) for item in value), key=lambda d: json.dumps(d, sort_keys=True))}
    if kind is bytes:
        return {_BYTES: [base64.b64encode(value).decode("ascii")]}
    raise TypeError(f"the memo cannot store a {kind.__name__}")


def encode(value) -> bytes:
    return json.dumps(to_data(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _tagged(pairs: list[tuple[str, object]]):
    """``json.loads``'s hook: one tagged object → the value it stands for."""
    if len(pairs) != 1 or not isinstance(pairs[0][1], list):
        raise CodecError("not an entry of this codec")
    tag, items = pairs[0]
    if tag == _TUPLE:
        return tuple(items)
    if tag == _LIST:
        return items
    if tag == _DICT:
        return {key: value for key, value in items}
    if tag == _SET:
        return frozenset(items)
    if tag == _BYTES:
        return base64.b64decode(items[0], validate=True) if len(items) == 1 else _bad()
    cls = TYPES.get(tag)
    if cls is None or len(items) != len(_FIELDS[cls]):
        raise CodecError(f"not a type this codec writes: {tag[:40]!r}")
    return cls(*items)


def _bad():
    raise CodecError("not an entry of this codec")


def decode(data: bytes):
    """The value ``encode`` made; :class:`CodecError` for anything else (never runs code)."""
    try:
        return json.loads(data.decode("utf-8"), object_pairs_hook=_tagged)
    except CodecError:
        raise
    except (ValueError, TypeError, RecursionError) as error:  # bad UTF-8, JSON, base64, or field values
        raise CodecError(f"not an entry of this codec: {error}") from None
