"""Recommended integrity measures (a catalog as data) and drafting a measures plan from the analysis."""  # noqa: E501

from openita.measures.catalog import (
    KNOWN_UNITS,
    Catalog,
    CatalogInvalid,
    CatalogNotFound,
    Entry,
    Measure,
    available_catalogs,
    catalog_for,
    check_coverage,
    load_catalog,
    local_catalog_dir,
    parse_catalog,
)

__all__ = [
    "KNOWN_UNITS",
    "Catalog",
    "CatalogInvalid",
    "CatalogNotFound",
    "Entry",
    "Measure",
    "available_catalogs",
    "catalog_for",
    "check_coverage",
    "load_catalog",
    "local_catalog_dir",
    "parse_catalog",
]
