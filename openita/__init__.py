"""OpenITA: the ITA cycle of Thai public agencies as software."""

__version__ = "0.1.0"
