"""URL canonicalisation: the same page under two URLs is fetched and stored once.

``canonical_url`` gives the URL we fetch and record (fragment dropped, host lower-cased, default port
dropped, tracking parameters removed, remaining parameters sorted, trailing slash removed except at
the root). ``url_key`` is the identity used for de-duplication and state: the canonical URL without
its scheme, so ``http://`` and ``https://`` copies of a page count as one.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

# Query parameters that identify the click, not the page. Prefixes end with "_".
TRACKING_PARAMS = frozenset({
    "gclid", "fbclid", "msclkid", "dclid", "yclid", "igshid", "mc_cid", "mc_eid", "_hsenc", "_hsmi",
    "spm", "scm", "from", "isappinstalled", "share_token", "sharer_shareid", "sharer_sharetime",
    "wfr", "tt_from", "ivk_sa", "wxshare_count", "share_from", "shareid", "ref",
    "ref_src", "cmpid", "mkt_tok", "s_cid", "ncid", "sr_share",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmsr", "hmpl", "hmcu", "hmkw", "hmci", "__")
DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    n = name.lower()
    return n in TRACKING_PARAMS or n.startswith(TRACKING_PREFIXES)


def _norm_path(path: str) -> str:
    # Re-quote so that "%7E" and "~", or raw and percent-encoded CJK, compare equal.
    path = quote(unquote(path), safe="/:@!$&'()*+,;=-._~")
    if not path:
        return "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return path


@lru_cache(maxsize=65536)
def canonical_url(url: str) -> str:
    """The canonical form of an http(s) URL; other strings come back stripped and unchanged."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return url
    host = parts.hostname.lower().rstrip(".")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    query.sort()
    return urlunsplit((scheme, netloc, _norm_path(parts.path), urlencode(query, doseq=True), ""))


@lru_cache(maxsize=65536)
def url_key(url: str) -> str:
    """Identity of a page for de-duplication: canonical URL without the scheme."""
    c = canonical_url(url)
    return c.split(":", 1)[1] if c.startswith(("http://", "https://")) else c


def host_of(url: str) -> str:
    """scheme://host[:port] of a URL: the unit of politeness (robots.txt, per-host limits)."""
    p = urlsplit(url)
    return f"{p.scheme.lower()}://{p.netloc.rsplit('@', 1)[-1].lower()}"  # never user:password@
