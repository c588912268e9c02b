"""The package's layers, read from the imports: each layer imports only from layers below it.

text (Thai helpers) and engine at the bottom; frameworks, importers, measures and plans above
them; documents and oit above those; the command line and the web app on top. A feature that
reached up (the engine importing Django, plans importing documents) fails here, naming the file.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "openita"

# package -> what it must never import (prefixes)
FORBIDDEN = {
    "text": ("openita.plans", "openita.documents", "openita.web", "openita.cli", "openita.oit",
             "openita.importers", "openita.measures", "django"),
    "geography": ("openita.engine", "openita.frameworks", "openita.plans", "openita.documents",
                  "openita.web", "openita.cli", "openita.oit", "openita.importers",
                  "openita.measures", "django"),
    "engine": ("openita.plans", "openita.documents", "openita.web", "openita.cli", "openita.oit",
               "openita.importers", "django"),
    "frameworks": ("openita.plans", "openita.documents", "openita.web", "openita.cli", "django"),
    "plans": ("openita.documents", "openita.web", "openita.cli", "openita.oit", "django"),
    "measures": ("openita.documents", "openita.web", "openita.cli", "django"),
    "importers": ("openita.documents", "openita.web", "openita.cli", "openita.plans", "django"),
    "documents": ("openita.web", "openita.cli", "openita.oit", "django"),
    "oit": ("openita.web", "openita.cli", "openita.documents", "django"),
}  # fmt: skip


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_layer_imports_from_above(layer: str) -> None:
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files, layer
    wrong = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {name}"
        for path in files
        for line, name in _imports(path)
        if name.startswith(FORBIDDEN[layer])
    ]
    assert wrong == []
