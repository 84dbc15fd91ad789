"""Per-site profiles: data plus a few functions, used only where the generic rules need help.

A profile never forks the extractor: it can name the body container, or supply one field function.
Keep this small; every entry here is a site the generic rules got wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    hosts: tuple[str, ...]
    body_selector: str | None = None
    title: Callable | None = None
    source: Callable | None = None


PROFILES: list[Profile] = []


def profile_for(site: str | None) -> Profile | None:
    if not site:
        return None
    for p in PROFILES:
        for h in p.hosts:
            if site == h or site.endswith("." + h):
                return p
    return None
