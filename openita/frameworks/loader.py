"""Reading framework files: YAML with line numbers, strict validation, and the registry of
built-in and local frameworks.

Local frameworks live in the directory named by ``OPENITA_FRAMEWORKS_DIR`` or, when that is
unset, ``~/.config/openita/frameworks`` (``$XDG_CONFIG_HOME/openita/frameworks``). A local
file with the id of a built-in one replaces it: that is how a user corrects a methodology.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from openita.frameworks import rules
from openita.frameworks.schema import Framework
from openita.yamlsource import duplicate_keys, locate, pydantic_message

BUILTIN_DIR = Path(__file__).parent
# libyaml's loader when PyYAML was built with it (several times faster); same results
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class FrameworkError:
    """One problem in a framework file, at a line (1-based; 0 when unknown)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class FrameworkInvalid(Exception):
    def __init__(self, errors: list[FrameworkError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


class FrameworkNotFound(Exception):
    pass


def local_dir() -> Path:
    env = os.environ.get("OPENITA_FRAMEWORKS_DIR")
    if env:
        return Path(env)
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "openita" / "frameworks"


def parse(text: str, filename: str) -> Framework:
    """Validate a framework text; raise FrameworkInvalid listing every problem."""
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # a safe loader (C or Python)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrameworkInvalid(
            [FrameworkError(filename, line, f"not valid YAML: {problem}")]
        ) from None
    if root is None:
        raise FrameworkInvalid([FrameworkError(filename, 1, "the file is empty")])
    errors = [FrameworkError(filename, ln, msg) for ln, msg in duplicate_keys(root)]
    for path, message in rules.check(data):
        errors.append(FrameworkError(filename, locate(root, path), message))
    framework: Framework | None = None
    try:
        framework = Framework.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            line = locate(root, tuple(err["loc"]))
            errors.append(FrameworkError(filename, line, pydantic_message(err)))
    if errors or framework is None:
        errors.sort(key=lambda e: e.line)
        raise FrameworkInvalid(errors)
    return framework


def load_file(path: Path) -> Framework:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FrameworkNotFound(
            f"{path}: cannot read the framework file ({exc.strerror})"
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FrameworkInvalid(
            [FrameworkError(str(path), 0, f"not UTF-8 text (byte {exc.start}); save it as UTF-8")]
        ) from None
    return parse(text, str(path))


def _mtime(directory: Path) -> float:
    try:
        return directory.stat().st_mtime
    except OSError:
        return -1.0


_listing: dict[tuple[str, float, float], dict[str, Path]] = {}


def _files() -> dict[str, Path]:
    """Framework id -> file, local files replacing built-in ones of the same id.

    The listing is kept while neither directory changes (a file added or removed changes
    its directory's time; a file edited is caught by ``_cached``)."""
    local = local_dir()
    key = (str(local), _mtime(BUILTIN_DIR), _mtime(local))
    found = _listing.get(key)
    if found is None:
        found = {}
        for directory in (BUILTIN_DIR, local):
            if directory.is_dir():
                for path in sorted(directory.glob("*.yaml")):
                    found[path.stem] = path
        _listing.clear()
        _listing[key] = found
    return dict(found)


def available() -> dict[str, Path]:
    return _files()


_cache: dict[tuple[str, float], Framework] = {}


def get(ref: str) -> Framework:
    """A framework by id (built-in or local) or by the path of a YAML file."""
    path = Path(ref)
    if ref.endswith((".yaml", ".yml")) or path.exists():
        return _cached(path)
    files = _files()
    if ref not in files:
        known = ", ".join(sorted(files)) or "none"
        raise FrameworkNotFound(f"unknown framework '{ref}' (known: {known})")
    return _cached(files[ref])


def _cached(path: Path) -> Framework:
    try:
        key = (os.path.abspath(path), path.stat().st_mtime)
    except OSError as exc:
        raise FrameworkNotFound(
            f"{path}: cannot read the framework file ({exc.strerror})"
        ) from None
    if key not in _cache:
        _cache[key] = load_file(path)
    return _cache[key]


def _valid() -> list[Framework]:
    """Every framework that validates; a broken local file must not stop the others
    (``openita frameworks list`` shows it with its problems)."""
    found = []
    for path in _files().values():
        try:
            found.append(_cached(path))
        except (FrameworkInvalid, FrameworkNotFound):
            continue
    return found


def default() -> Framework:
    """The latest verified framework, by the last fiscal year it covers."""
    verified = [fw for fw in _valid() if fw.status == "verified"]
    if not verified:
        raise FrameworkNotFound("no verified framework is installed")
    return max(verified, key=lambda f: (max(f.fiscal_years), f.version))


def for_year(fiscal_year: int) -> Framework | None:
    """The framework that covers a fiscal year, verified ones first."""
    matching = [f for f in _valid() if fiscal_year in f.fiscal_years]
    if not matching:
        return None
    return max(matching, key=lambda f: (f.status == "verified", f.version))
