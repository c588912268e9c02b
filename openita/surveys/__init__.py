"""The agency's own IIT and EIT surveys, as pure functions: the form built from a framework's
items, single-use access codes, plausibility checks, target samples, and the answers turned into
item scores for the engine. The web app (openita/web/surveys) stores and serves them.
"""
