"""Numeric limits read from the environment: one parser, so every setting fails the same clear way."""

from __future__ import annotations

import os


def env_int(name: str, default: int, *, minimum: int = 1, meaning: str = "") -> int:
    """`name`'s whole-number value, `default` when unset or empty; a clear ValueError otherwise.
    `meaning` is appended to the message (e.g. "0 = no cap")."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    note = f" ({meaning})" if meaning else ""
    try:
        value = int(raw)
    except ValueError as e:
        raise ValueError(f"{name} must be a whole number{note}, got {raw!r}") from e
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}{note}, got {value}")
    return value
