"""A covering index for the overview's aggregates on PostgreSQL: every result's year, agency
and stored figures in the index itself, so counts, sums and breakdowns of a year are
index-only scans instead of reads of the wide rows (each row carries its item scores).

PostgreSQL only (SQLite has no INCLUDE); the model does not declare it, being a read path's
concern of this app (decision 0022)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

NAME = "overview_result_year_cover"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {NAME} ON results_assessment (fiscal_year, agency_id) "
    "INCLUDE (id, total, rating, level, passed, framework_id, updated, figures)"
)


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("results", "0003_stored_figures")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
