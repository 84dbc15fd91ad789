"""The one exception parse/ raises: input that is not an HTML page at all."""

from __future__ import annotations


class ParseError(ValueError):
    """Hopeless input: empty bytes, not HTML, undecodable. ``kind`` is a short machine reason."""

    def __init__(self, kind: str, message: str | None = None):
        super().__init__(message or kind)
        self.kind = kind
