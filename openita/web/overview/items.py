"""The weakest items across agencies: the item scores each result was given (``scores``),
averaged per item. On PostgreSQL the database does it (``jsonb_each`` and GROUP BY, nothing per
agency crosses the wire); elsewhere one pass over the stored scores."""

from __future__ import annotations

from django.db import connection

from openita import frameworks
from openita.web.overview.scope import Scope, targets
from openita.web.overview.selectors import IndicatorStat, results


def _names(fws: list[frameworks.Framework]) -> dict[str, str]:
    return {i.code: i.text for fw in fws for i in fw.items}


def _pg_rows(scope: Scope, mark: float) -> list[tuple[str, float, int, int]]:
    ids = results(scope).values("id")
    inner, params = ids.query.sql_with_params()
    sql = (
        "SELECT e.key, AVG((e.value)::text::float8), COUNT(*), "
        "SUM(CASE WHEN (e.value)::text::float8 < %s THEN 1 ELSE 0 END) "
        "FROM results_assessment a CROSS JOIN LATERAL jsonb_each(a.scores) e "
        f"WHERE a.id IN ({inner}) AND jsonb_typeof(e.value) = 'number' GROUP BY e.key"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [mark, *params])
        return [(str(k), float(m), int(n), int(b)) for k, m, n, b in cursor.fetchall()]


def _python_rows(
    scope: Scope, mark: float, names: dict[str, str]
) -> list[tuple[str, float, int, int]]:
    sums: dict[str, list[float]] = {}
    for scores in results(scope).values_list("scores", flat=True):
        for code, value in (scores or {}).items():
            if code in names and isinstance(value, (int, float)):
                acc = sums.setdefault(code, [0.0, 0, 0])
                acc[0] += value
                acc[1] += 1
                acc[2] += value < mark
    return [(k, s / n, int(n), int(b)) for k, (s, n, b) in sums.items()]


def weakest(scope: Scope, fws: list[frameworks.Framework], limit: int) -> list[IndicatorStat]:
    names = _names(fws)
    mark = float(targets()["pass_mark"])
    if connection.vendor == "postgresql":
        rows = _pg_rows(scope, mark)
    else:
        rows = _python_rows(scope, mark, names)
    stats = [
        IndicatorStat(code, names[code], round(mean, 2), round(below / n, 4), n)
        for code, mean, n, below in rows
        if code in names and n
    ]
    return sorted(stats, key=lambda i: (i.mean, i.code))[:limit]
