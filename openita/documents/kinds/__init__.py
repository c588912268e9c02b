"""Builders of each document kind: results analysis, measures plan, progress report, memo."""
