"""Reading framework files: YAML with line numbers, strict validation, and the registry of
built-in and local frameworks.

Local frameworks live in the directory named by ``OPENITA_FRAMEWORKS_DIR`` or, when that is
unset, ``~/.config/openita/frameworks`` (``$XDG_CONFIG_HOME/openita/frameworks``). A local
file with the id of a built-in one replaces it: that is how a user corrects a methodology.

A provider (``register_provider``; the web app registers its database) adds framework versions
held elsewhere: an id resolves to its highest version among files and providers (a tie goes to
the provider), and ``ID@N`` names version N exactly (a result pinned to the version it was
scored with).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

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


class Provider(Protocol):
    """Framework versions held outside the files (the web app's database)."""

    def versions(self) -> Mapping[str, Mapping[int, str]]:
        """id -> {version: digest of its text} of every version held; called on every look-up,
        so it must be cheap (cached)."""
        ...

    def text(self, framework_id: str, version: int) -> str | None:
        """The YAML text of one version; None when it is not held (any more)."""
        ...


_providers: list[Provider] = []


def register_provider(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def unregister_provider(provider: Provider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def providers() -> tuple[Provider, ...]:
    return tuple(_providers)


def _provided(framework_id: str) -> dict[int, tuple[Provider, str]]:
    """version -> (provider, digest) of one framework id; a later provider wins a tie."""
    found: dict[int, tuple[Provider, str]] = {}
    for provider in _providers:
        for version, digest in provider.versions().get(framework_id, {}).items():
            found[version] = (provider, digest)
    return found


_provided_cache: dict[tuple[str, int, str], Framework] = {}


def _from_provider(framework_id: str, version: int, held: tuple[Provider, str]) -> Framework:
    provider, digest = held
    key = (framework_id, version, digest)
    if key not in _provided_cache:
        text = provider.text(framework_id, version)
        if text is None:
            raise FrameworkNotFound(f"version {version} of framework '{framework_id}' is gone")
        _provided_cache[key] = parse(text, f"{framework_id}@{version}")
    return _provided_cache[key]


def available() -> dict[str, Path | str]:
    """Framework id -> its file, or the id itself when only a provider holds it."""
    found: dict[str, Path | str] = dict(_files())
    for provider in _providers:
        for framework_id in provider.versions():
            found.setdefault(framework_id, framework_id)
    return found


_cache: dict[tuple[str, float], Framework] = {}


def get(ref: str) -> Framework:
    """A framework by id (built-in, local or provided), by ``ID@VERSION``, or by the path of a
    YAML file."""
    path = Path(ref)
    if ref.endswith((".yaml", ".yml")) or path.exists():
        return _cached(path)
    framework_id, pin, wanted = ref.partition("@")
    files = _files()
    provided = _provided(framework_id) if _providers else {}
    if pin:
        if not wanted.isdigit():
            raise FrameworkNotFound(f"'{ref}': the version after @ must be a number")
        if int(wanted) in provided:
            return _from_provider(framework_id, int(wanted), provided[int(wanted)])
        if framework_id in files and _cached(files[framework_id]).version == int(wanted):
            return _cached(files[framework_id])
        raise FrameworkNotFound(f"version {wanted} of framework '{framework_id}' is not on file")
    return _current(framework_id, files, provided)


def _current(
    framework_id: str, files: dict[str, Path], provided: dict[int, tuple[Provider, str]]
) -> Framework:
    """The highest version of an id among its file and what providers hold."""
    if provided:
        top = max(provided)
        if framework_id not in files or _cached(files[framework_id]).version <= top:
            return _from_provider(framework_id, top, provided[top])
    if framework_id not in files:
        known = ", ".join(sorted(available())) or "none"
        raise FrameworkNotFound(f"unknown framework '{framework_id}' (known: {known})")
    return _cached(files[framework_id])


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
    files = _files()
    ids = dict.fromkeys([*files, *(i for p in _providers for i in p.versions())])
    for framework_id in ids:
        try:
            provided = _provided(framework_id) if _providers else {}
            found.append(_current(framework_id, files, provided))
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
