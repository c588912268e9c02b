"""YAML read with its line numbers, shared by every data file OpenITA validates (frameworks,
measure catalogs, plan files): each problem names the line it is on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

# libyaml's parser when PyYAML was built with it (about ten times faster than the pure-Python
# one); the same documents, the same error classes with their marks.
SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the data of one YAML document, parsed once: the
    data is constructed from the very nodes. ``(None, None)`` for an empty document; raises
    ``yaml.YAMLError`` as ``yaml.safe_load`` does."""
    loader = SafeLoader(text)
    try:
        root = loader.get_single_node()
        data = None if root is None else loader.construct_document(root)
    finally:
        loader.dispose()
    return root, data


def locate(node: yaml.Node | None, path: Sequence[str | int]) -> int:
    """The 1-based line of the node at ``path``, or of its nearest existing ancestor.

    A scalar is named by its own line; a mapping or list by the line of its key.
    """
    if node is None:
        return 1
    line = node.start_mark.line + 1
    for key in path:
        child: yaml.Node | None = None
        at: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if str(k.value) == str(key)), None)
            if pair is not None:
                child = pair[1]
                at = child if isinstance(child, yaml.ScalarNode) else pair[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            child = at = node.value[key] if 0 <= key < len(node.value) else None
        if child is None or at is None:
            break
        node = child
        line = at.start_mark.line + 1
    return line


def duplicate_keys(node: yaml.Node | None) -> list[tuple[int, str]]:
    """(line, message) for every key written twice in one mapping: YAML keeps only the last."""
    found: list[tuple[int, str]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key, value in node.value:
            if key.value in seen:
                found.append((key.start_mark.line + 1, f"key '{key.value}' appears twice"))
            seen.add(key.value)
            found += duplicate_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for value in node.value:
            found += duplicate_keys(value)
    return found


def pydantic_message(err: Any) -> str:
    """``field.path: message (got value)`` from one pydantic error."""
    loc = ".".join(str(p) for p in err["loc"]) or "(top)"
    value = err.get("input")
    shown = "" if isinstance(value, dict | list) or value is None else f" (got {value!r})"
    return f"{loc}: {err['msg'].removeprefix('Value error, ')}{shown}"
