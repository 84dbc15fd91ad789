"""The one fault policy for every call site that parses a page.

Hopeless input raises ``ParseError`` (its ``kind`` is the quarantine reason); anything else raised by
the parser is a bug and becomes a ``parser_crash`` fault carrying ``"<Type>: <message>"``. Neither
sinks a partition and neither is only logged: the caller turns the fault into a quarantine or
``skipped`` row. A parser that swallows a bug into ``reject_reason="internal_error:<Type>"`` is
treated the same way, so the policy holds whichever way the parser reports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PARSER_CRASH = "parser_crash"
_SWALLOWED = "internal_error:"  # the parser's old way of reporting its own bug


@dataclass(frozen=True)
class Fault:
    kind: str  # ParseError.kind (not_html, empty, too_large, ...) or parser_crash
    message: str

    def row(self, url: str | None, raw_sha256: str | None) -> dict:
        """The quarantine row for this fault."""
        return {"url": url, "raw_sha256": raw_sha256, "error_kind": self.kind, "message": self.message}


def crash(exc: BaseException) -> Fault:
    return Fault(PARSER_CRASH, f"{type(exc).__name__}: {exc}")


def parse_page(data: bytes, url: str | None, **kwargs: Any):
    """``parse_html(data, url, **kwargs)`` under the policy: ``(article, None)`` or ``(None, fault)``."""
    from .parse import ParseError, parse_html

    try:
        art = parse_html(data, url, **kwargs)
    except ParseError as e:
        return None, Fault(getattr(e, "kind", None) or "parse_error", str(e))
    except Exception as e:  # a parser bug: this page is quarantined with it, the partition goes on
        return None, crash(e)
    reason = getattr(art, "reject_reason", None) or ""
    if not art.is_article and reason.startswith(_SWALLOWED):
        return None, Fault(PARSER_CRASH, reason[len(_SWALLOWED):] or "internal error")
    return art, None
