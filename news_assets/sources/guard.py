"""Which addresses a fetch may reach: the public internet only, unless a source says otherwise.

A feed, a listing or a redirect can point anywhere — at 127.0.0.1, at the cloud metadata service on
169.254.169.254, at a database on 10.x. Every request target (first URL, each redirect hop,
robots.txt) is checked twice:

1. before the request, by name (``check_hop``): not http(s) -> ``not_http``; an IP literal that is
   not public, or a host:port seen to resolve privately earlier in the run, -> ``private_address``;
2. at connect time, by address (``socket_factory``, handed to aiohttp's connector): the socket is
   opened only to the address the connection really goes to, so a DNS answer that changes between
   a check and the connect (rebinding) cannot slip through.

A hop is exempt when the source sets ``allow_private: true``, or when the source's own URL is on
such an address and the hop goes to the same host and port (an intranet site fetching its own
pages). Through a forward proxy (HTTP(S)_PROXY) the proxy connects, so only step 1 applies there.
"""

from __future__ import annotations

import contextvars
import ipaddress
import socket
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


class PrivateAddress(OSError):
    """A connection to a non-public address that the hop is not allowed to reach."""


def is_public(ip: str) -> bool:
    """True for a globally routable unicast address (not loopback, private, link-local, shared,
    documentation, multicast, reserved or unspecified)."""
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return addr.is_global and not (addr.is_multicast or addr.is_reserved)


def host_port(url: str) -> tuple[str, int] | None:
    """(lower-cased host, port with the scheme's default) of an http(s) URL, else None."""
    try:
        p = urlsplit(url)
        port = p.port
    except ValueError:
        return None
    scheme = p.scheme.lower()
    if scheme not in DEFAULT_PORTS or not p.hostname:
        return None
    return p.hostname.lower().rstrip("."), port or DEFAULT_PORTS[scheme]


def strip_userinfo(url: str) -> str:
    """The URL without ``user:password@``: credentials found in a feed are never stored or sent."""
    if "@" not in url:
        return url
    try:
        p = urlsplit(url)
    except ValueError:
        return url
    if "@" not in p.netloc:
        return url
    return urlunsplit((p.scheme, p.netloc.rsplit("@", 1)[1], p.path, p.query, p.fragment))


@dataclass
class Hop:
    """The guard's view of one request; set for the task that makes it (a context variable)."""

    host: str
    port: int
    exempt: bool
    via_proxy: bool = False
    refused: list[str] = field(default_factory=list)  # addresses the socket factory would not open
    private: bool = False  # an exempt hop connected to a non-public address


_HOP: contextvars.ContextVar[Hop | None] = contextvars.ContextVar("fetch_hop", default=None)


class HopRefused(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def _via_proxy(scheme: str, host: str, proxies: dict[str, str]) -> bool:
    return scheme in proxies and not urllib.request.proxy_bypass_environment(host, proxies)


def check_hop(url: str, origin: str | None, allow_private: bool, private_hosts: set[tuple[str, int]],
              proxies: dict[str, str] | None = None) -> Hop:
    """The Hop for a request to url on behalf of a source whose own URL is origin; raises HopRefused.
    proxies: urllib.request.getproxies(), read once per run (it scans the environment: ~0.5 ms)."""
    hp = host_port(url)
    if hp is None:
        raise HopRefused("not_http", f"not an http(s) URL: {url[:200]}")
    host, port = hp
    exempt = allow_private or (origin is not None and host_port(origin) == hp)
    if not exempt:
        literal = host.strip("[]")
        try:
            ipaddress.ip_address(literal.split("%", 1)[0])
            is_ip = True
        except ValueError:
            is_ip = False
        if (is_ip and not is_public(literal)) or hp in private_hosts:
            raise HopRefused("private_address", f"{host}:{port} is not a public address (set allow_private "
                                                "on the source to fetch it)")
    return Hop(host, port, exempt, via_proxy=bool(proxies) and _via_proxy(urlsplit(url).scheme.lower(), host,
                                                                         proxies or {}))


def enter(hop: Hop) -> contextvars.Token:
    return _HOP.set(hop)


def leave(token: contextvars.Token) -> None:
    _HOP.reset(token)


def socket_factory(addr_info) -> socket.socket:
    """aiohttp's socket factory: opens the socket only to an address the current hop may reach.

    Outside any hop (someone else's use of the transport) non-public addresses are refused."""
    family, type_, proto, _, sockaddr = addr_info
    ip = str(sockaddr[0])
    hop = _HOP.get()
    if not is_public(ip) and not (hop is not None and hop.via_proxy):
        if hop is None or not hop.exempt:
            if hop is not None:
                hop.refused.append(ip)
            raise PrivateAddress(f"refused to connect to non-public address {ip}")
        hop.private = True
    return socket.socket(family=family, type=type_, proto=proto)
