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
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import yaml
from pydantic import ValidationError

from openita.frameworks import rules
from openita.frameworks.schema import Framework
from openita.yamlsource import duplicate_keys, locate, pydantic_message, read

BUILTIN_DIR = Path(__file__).parent


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
        root, data = read(text)  # parsed once, with libyaml when PyYAML has it
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


def _listing(local: Path) -> tuple[dict[str, Path], tuple[tuple[str, int], ...]]:
    """Framework id -> file, local files replacing built-in ones of the same id; and the stamp
    of what was listed (each directory and file with its modification time), to tell when
    anything was added, removed or edited."""
    found: dict[str, Path] = {}
    stamp: list[tuple[str, int]] = []
    for directory in (BUILTIN_DIR, local):
        try:
            stamp.append((str(directory), directory.stat().st_mtime_ns))
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            stamp.append((str(directory), -1))
            continue
        for entry in entries:
            if entry.name.endswith(".yaml") and entry.is_file():
                path = directory / entry.name
                found[path.stem] = path
                stamp.append((entry.path, entry.stat().st_mtime_ns))
    return found, tuple(stamp)


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
        refresh()


def unregister_provider(provider: Provider) -> None:
    if provider in _providers:
        _providers.remove(provider)
        refresh()


def providers() -> tuple[Provider, ...]:
    return tuple(_providers)


# --- the index: every look-up by id is one dict look-up -----------------------------------

# Every look-up checks, cheaply, the setting of the local directory (OPENITA_FRAMEWORKS_DIR)
# and each provider's list of versions (a version stored in the database: the web app's
# provider re-reads it at commit, other app servers within its TTL). The directories are
# listed again every FILES_RECHECK_SECONDS: a running server sees a local file added, removed
# or edited within that time; a command is a fresh process; ``refresh()`` forgets everything
# at once (a test that writes a local file, say).
FILES_RECHECK_SECONDS = 1.0


class _Index:
    """What was resolved since the files and the providers' versions last changed: ref ->
    framework, fiscal year -> framework, the valid frameworks and the default."""

    def __init__(
        self,
        local_env: str | None,
        held: list[Mapping[str, Mapping[int, str]]],
        local: Path,
        files: dict[str, Path],
        stamp: tuple[tuple[str, int], ...],
    ) -> None:
        self.local_env = local_env
        self.held = held
        self.local = local
        self.files = files
        self.stamp = stamp
        self.checked_at = time.monotonic()
        self.refs: dict[str, Framework] = {}
        self.years: dict[int, Framework | None] = {}
        self.valid: list[Framework] | None = None
        self.default: Framework | None = None


_index: _Index | None = None


def refresh() -> None:
    """Forget every look-up: the next one lists the directories and asks the providers again
    (parsed texts stay cached by file time and by version digest)."""
    global _index
    _index = None


def _same_held(
    now: list[Mapping[str, Mapping[int, str]]], before: list[Mapping[str, Mapping[int, str]]]
) -> bool:
    if len(now) != len(before):
        return False
    for n, (new, old) in enumerate(zip(now, before, strict=True)):
        if new is old:
            continue
        if new != old:
            return False
        before[n] = new  # equal content: the next check is by identity
    return True


def _current_index() -> _Index:
    """The index, rebuilt when the local directory setting or a provider's versions (a
    version stored or deleted) changed, or, looked at every FILES_RECHECK_SECONDS, the files."""
    global _index
    index = _index
    local_env = os.environ.get("OPENITA_FRAMEWORKS_DIR")
    held = [p.versions() for p in _providers] if _providers else []
    if index is not None and local_env == index.local_env and _same_held(held, index.held):
        if time.monotonic() - index.checked_at < FILES_RECHECK_SECONDS:
            return index
        local = local_dir()
        files, stamp = _listing(local)
        if local == index.local and stamp == index.stamp:
            index.checked_at = time.monotonic()
            return index
    else:
        local = local_dir()
        files, stamp = _listing(local)
    index = _Index(local_env, list(held), local, files, stamp)
    _index = index
    return index


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


def _files() -> dict[str, Path]:
    """Framework id -> file, local files replacing built-in ones of the same id."""
    return dict(_current_index().files)


def available() -> dict[str, Path | str]:
    """Framework id -> its file, or the id itself when only a provider holds it."""
    found: dict[str, Path | str] = dict(_current_index().files)
    for provider in _providers:
        for framework_id in provider.versions():
            found.setdefault(framework_id, framework_id)
    return found


_cache: dict[tuple[str, int], Framework] = {}


def _is_path(ref: str) -> bool:
    return ref.endswith((".yaml", ".yml")) or os.sep in ref or Path(ref).exists()


def get(ref: str) -> Framework:
    """A framework by id (built-in, local or provided), by ``ID@VERSION``, or by the path of a
    YAML file. By id, once resolved: one dict look-up (see ``_current_index``)."""
    index = _current_index()
    found = index.refs.get(ref)
    if found is not None:
        return found
    if _is_path(ref):
        return _cached(Path(ref))  # a file named by the user: read again when it changes
    found = _resolve(ref, index.files)
    index.refs[ref] = found
    return found


def _resolve(ref: str, files: dict[str, Path]) -> Framework:
    framework_id, pin, wanted = ref.partition("@")
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
        key = (os.path.abspath(path), path.stat().st_mtime_ns)
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
    index = _current_index()
    if index.valid is not None:
        return index.valid
    found = []
    files = index.files
    ids = dict.fromkeys([*files, *(i for p in _providers for i in p.versions())])
    for framework_id in ids:
        try:
            framework = index.refs.get(framework_id)
            if framework is None:
                provided = _provided(framework_id) if _providers else {}
                framework = _current(framework_id, files, provided)
                index.refs[framework_id] = framework
            found.append(framework)
        except (FrameworkInvalid, FrameworkNotFound):
            continue
    index.valid = found
    return found


def default() -> Framework:
    """The latest verified framework, by the last fiscal year it covers."""
    index = _current_index()
    if index.default is not None:
        return index.default
    verified = [fw for fw in _valid() if fw.status == "verified"]
    if not verified:
        raise FrameworkNotFound("no verified framework is installed")
    index.default = max(verified, key=lambda f: (max(f.fiscal_years), f.version))
    return index.default


def for_year(fiscal_year: int) -> Framework | None:
    """The framework that covers a fiscal year, verified ones first."""
    index = _current_index()
    if fiscal_year in index.years:
        return index.years[fiscal_year]
    matching = [f for f in _valid() if fiscal_year in f.fiscal_years]
    found = max(matching, key=lambda f: (f.status == "verified", f.version)) if matching else None
    index.years[fiscal_year] = found
    return found
