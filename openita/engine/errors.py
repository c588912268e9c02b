"""Problems the engine finds in its input.

The engine names codes; the importers add the files and rows they came from.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    message: str
    code: str | None = None
    respondent: int | None = None  # 0-based index of a respondent in raw answers

    def __str__(self) -> str:
        return self.message


class ScoringError(ValueError):
    """The input cannot be scored; ``problems`` lists every reason, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems
