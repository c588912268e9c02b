"""The ``openita`` command line (a documented contract: docs/cli.md)."""
