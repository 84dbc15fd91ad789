"""HTML bytes -> Article. Plain Python: no Dagster imports anywhere under parse/."""

from __future__ import annotations

from .charset import decode_html
from .core import PARSER_NAME, PARSER_VERSION, parse_html
from .errors import ParseError
from .model import Article, Dateline, Related

__all__ = [
    "PARSER_NAME",
    "PARSER_VERSION",
    "Article",
    "Dateline",
    "ParseError",
    "Related",
    "decode_html",
    "parse_html",
]
