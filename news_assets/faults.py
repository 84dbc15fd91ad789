"""The one fault policy for every call site that parses a page.

Hopeless input raises ``ParseError`` (its ``kind`` is the quarantine reason); anything else raised by
the parser is a bug and becomes a ``parser_crash`` fault carrying ``"<Type>: <message>"``. Neither
sinks a partition and neither is only logged: the caller turns the fault into a quarantine or
``skipped`` row. The parser itself catches nothing: this module is the one place that decides.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .lake import Lake

PARSER_CRASH = "parser_crash"


@dataclass(frozen=True)
class Fault:
    kind: str  # ParseError.kind (not_html, empty, too_large, ...) or parser_crash
    message: str

    def row(self, url: str | None, raw_sha256: str | None) -> dict:
        """The quarantine row for this fault."""
        return {"url": url, "raw_sha256": raw_sha256, "error_kind": self.kind, "message": self.message}


def crash(exc: BaseException) -> Fault:
    return Fault(PARSER_CRASH, f"{type(exc).__name__}: {exc}")


@dataclass(frozen=True)
class ParseCache:
    """Parses kept in the lake, content-addressed by raw sha256, parser version, URL and limits, so a page
    dated at fetch time is not parsed again by ``articles``. Only answers are kept (an article or a
    ParseError's fault), never a crash: a bug fixed without a version bump is not remembered.
    The files are pickles the project itself wrote under the lake's _state/; one that does not
    load is a miss."""

    lake: Lake
    keep: bool = True  # False: only read (articles, whose answer lands in its own table anyway)

    def _parts(self, sha256: str, url: str | None) -> tuple[str, ...]:
        from .parse import PARSER_VERSION, ParseLimits

        limits = ParseLimits.from_env()  # raising a limit must reach pages it refused
        key = hashlib.sha256(f"{sha256}\x1f{url or ''}\x1f{limits.max_bytes}\x1f{limits.max_depth}".encode()).hexdigest()
        return ("parse", f"v{PARSER_VERSION}", key[:2], f"{key}.pickle")

    def _path(self, sha256: str, url: str | None):
        return self.lake.state_path(*self._parts(sha256, url))

    def get(self, sha256: str, url: str | None, charset: str | None = None):
        """The kept (article, fault) for these bytes, or None; a parse under another charset is a miss."""
        try:
            art, fault = pickle.loads(self.lake.read_state(*self._parts(sha256, url)))
        except Exception:  # absent, partly written elsewhere, or from an older layout: parse again
            return None
        if charset and art is not None and art.charset != charset:
            return None
        return art, fault

    def put(self, sha256: str, url: str | None, result: tuple) -> None:
        art, fault = result
        if self.keep and (fault is None or fault.kind != PARSER_CRASH):
            self.lake.write_bytes(self._path(sha256, url), pickle.dumps((art, fault), pickle.HIGHEST_PROTOCOL))


def parse_page(data: bytes | Callable[[], bytes], url: str | None, *, cache: ParseCache | None = None,
               sha256: str | None = None, **kwargs: Any):
    """``parse_html(data, url, **kwargs)`` under the policy: ``(article, None)`` or ``(None, fault)``.
    With a ``cache`` the parse is read from (and kept in) it, keyed by the bytes' sha256; `data` may
    then be a function that reads the bytes, called only when the cache has no answer."""
    if cache is not None:
        if sha256 is None:
            data = data() if callable(data) else data
            sha256 = hashlib.sha256(data).hexdigest()
        hit = cache.get(sha256, url, kwargs.get("charset"))
        if hit is not None:
            return hit
    result = _parse_page(data() if callable(data) else data, url, **kwargs)
    if cache is not None:
        cache.put(sha256, url, result)
    return result


def _parse_page(data: bytes, url: str | None, **kwargs: Any):
    from .parse import ParseError, parse_html

    try:
        art = parse_html(data, url, **kwargs)
    except ParseError as e:
        return None, Fault(getattr(e, "kind", None) or "parse_error", str(e))
    except Exception as e:  # a parser bug: this page is quarantined with it, the partition goes on
        return None, crash(e)
    return art, None
