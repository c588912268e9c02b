"""The database as a framework provider for ``openita.frameworks.loader``.

Every look-up of a framework asks ``versions()``: the list of (id, version, digest) is read with
one small query and kept for ``ttl`` seconds, so a page costs at most one query every few
seconds; the process that stores a new version forgets it at commit, other app servers see it
within ``ttl``. The loader keeps each parsed version by (id, version, digest), so a text is read
and validated once per process.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from openita.web.frameworks.models import FrameworkVersion

TTL_SECONDS = 5.0


class DatabaseFrameworks:
    def __init__(self, ttl: float = TTL_SECONDS) -> None:
        self.ttl = ttl
        self._index: dict[str, dict[int, str]] | None = None
        self._read_at = 0.0
        self.reads = 0  # how many times the index was read (for tests of the cache)

    def versions(self) -> Mapping[str, Mapping[int, str]]:
        index = self._index
        if index is None or time.monotonic() - self._read_at >= self.ttl:
            index = {}
            rows = FrameworkVersion.objects.values_list("framework_id", "version", "sha256")
            for framework_id, version, digest in rows:
                index.setdefault(framework_id, {})[version] = digest
            self._index, self._read_at = index, time.monotonic()
            self.reads += 1
        return index

    def text(self, framework_id: str, version: int) -> str | None:
        found = (
            FrameworkVersion.objects.filter(framework_id=framework_id, version=version)
            .values_list("text", flat=True)
            .first()
        )
        if found is None:
            self.forget()  # the index named a version that is not there (rolled back)
        return found

    def forget(self) -> None:
        self._index = None


PROVIDER = DatabaseFrameworks()
