"""ITA methodologies as versioned, validated data (one YAML file per framework version)."""

from openita.frameworks.loader import (
    FrameworkError,
    FrameworkInvalid,
    FrameworkNotFound,
    available,
    default,
    for_year,
    get,
    load_file,
    local_dir,
    parse,
    refresh,
    register_provider,
    unregister_provider,
)
from openita.frameworks.schema import Framework, Indicator, Item, Scale, SubIndicator, Tool

__all__ = [
    "Framework",
    "FrameworkError",
    "FrameworkInvalid",
    "FrameworkNotFound",
    "Indicator",
    "Item",
    "Scale",
    "SubIndicator",
    "Tool",
    "available",
    "default",
    "for_year",
    "get",
    "load_file",
    "local_dir",
    "parse",
    "refresh",
    "register_provider",
    "unregister_provider",
]
