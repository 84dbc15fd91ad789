"""Source configuration: one YAML file, a list of entries the user edits.

Default location: `sources.yaml` in the working directory, or the file named by NEWS_SOURCES.
When neither exists, the bundled sample folder is the only source, so a fresh clone runs as is.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .kinds import KINDS, setting_types

SOURCES_ENV = "NEWS_SOURCES"
DEFAULT_SOURCES_FILE = "sources.yaml"
SOURCE_TYPES = tuple(KINDS)  # folder, listing, sitemap, rss: one class each in kinds.py
FOLDER_KEYS = {"name", "type", "path", *setting_types(KINDS["folder"].settings)}


class SourceConfigError(ValueError):
    """A sources file or one of its entries is wrong; the message names the entry and line."""


@dataclass(frozen=True)
class SourceConfig:
    name: str
    type: str
    path: str | None = None
    url: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    line: int | None = None  # where the entry starts in the YAML file, for error messages


def bundled_sample_dir() -> Path:
    return Path(str(resources.files("news_assets") / "data" / "sample" / "pages"))


def default_sources() -> list[SourceConfig]:
    return [SourceConfig(name="sample", type="folder", path=str(bundled_sample_dir()))]


def sources_file() -> Path | None:
    env = os.environ.get(SOURCES_ENV)
    if env:
        p = Path(env)
        if not p.exists():
            raise SourceConfigError(f"{SOURCES_ENV}={env}: no such file")
        return p
    p = Path(DEFAULT_SOURCES_FILE)
    return p if p.exists() else None


def load_sources(path: str | os.PathLike[str] | None = None) -> list[SourceConfig]:
    """Read and validate a sources file; no file at all means the bundled sample."""
    p = Path(path) if path else sources_file()
    if p is None:
        return default_sources()
    text = _read_utf8(p)
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as e:
        raise SourceConfigError(f"{p}: not valid YAML: {e}") from e
    data = yaml.safe_load(text)
    if data is None:
        return []
    if isinstance(data, dict) and "sources" in data:
        data = data["sources"]
        node = next(v for k, v in node.value if k.value == "sources")
    if not isinstance(data, list):
        raise SourceConfigError(f"{p}: expected a list of sources (or a mapping with key 'sources')")
    out: list[SourceConfig] = []
    seen: set[str] = set()
    for i, entry in enumerate(data):
        line = node.value[i].start_mark.line + 1
        key_lines = {k.value: k.start_mark.line + 1 for k, _ in getattr(node.value[i], "value", [])
                     if isinstance(k, yaml.ScalarNode)}
        where = f"{p}:{line}"
        if not isinstance(entry, dict):
            raise SourceConfigError(f"{where}: entry {i + 1} is not a mapping")
        name = entry.get("name")
        if not name or not isinstance(name, str):
            raise SourceConfigError(f"{where}: entry {i + 1} has no 'name'")
        at = functools.partial(_where_key, p, key_lines, line, name)
        where = f"{where} (source {name!r})"
        if name in seen:
            raise SourceConfigError(f"{where}: duplicate source name")
        seen.add(name)
        typ = entry.get("type")
        if typ not in SOURCE_TYPES:
            raise SourceConfigError(f"{where}: 'type' must be one of {', '.join(SOURCE_TYPES)}, got {typ!r}")
        if typ == "folder":
            if not entry.get("path"):
                raise SourceConfigError(f"{where}: a folder source needs 'path'")
            path_value = str((p.parent / entry["path"]).resolve()) if not os.path.isabs(entry["path"]) else entry["path"]
            url_value = None
        else:
            url_value = entry.get("url")
            if not url_value or not str(url_value).startswith(("http://", "https://")):
                raise SourceConfigError(f"{where}: a {typ} source needs an http(s) 'url'")
            path_value = None
        options = {k: v for k, v in entry.items() if k not in ("name", "type", "path", "url")}
        if typ == "folder":
            _check_folder_keys(at, entry)
        else:
            if "path" in entry:
                raise SourceConfigError(f"{at('path')}: 'path' is for folder sources; a {typ} source reads 'url'")
            _check_web_options(at, typ, options)
            if options.get("ca_bundle"):
                options["ca_bundle"] = _ca_bundle(where, p.parent, options["ca_bundle"])
        out.append(SourceConfig(name=name, type=typ, path=path_value, url=url_value, options=options, line=line))
    return out


def _ca_bundle(where: str, base: Path, value: str) -> str:
    """The CA file as an absolute path (relative to the sources file), checked to load."""
    import ssl

    path = value if os.path.isabs(value) else str((base / value).resolve())
    try:
        ssl.create_default_context().load_verify_locations(cafile=path)
    except (OSError, ssl.SSLError) as e:
        raise SourceConfigError(f"{where}: 'ca_bundle' {value!r} is not a readable PEM file of certificates: {e}") from e
    return path


def _where_key(p: Path, key_lines: dict[str, int], line: int, name: str, key: str) -> str:
    """file:line (source name) of a key: the offending key's own line, else the entry's."""
    return f"{p}:{key_lines.get(key, line)} (source {name!r})"


def _read_utf8(p: Path) -> str:
    """The file's text; a file in another encoding is an error naming the line (and the source)."""
    data = p.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        name = _name_before(data[: e.start].decode("utf-8", "replace"))
        who = f" (source {name!r})" if name else ""
        raise SourceConfigError(
            f"{p}:{line}{who}: not UTF-8 text (byte 0x{data[e.start]:02x} at column {col}); "
            "save the sources file as UTF-8") from None


def _name_before(text: str) -> str | None:
    """The `name:` of the entry that text ends in, when it was read before that point."""
    import re

    starts = [m.start() for m in re.finditer(r"^\s*-\s", text, re.M)]
    entry = text[starts[-1]:] if starts else text
    lines = entry.split("\n")[:-1]  # complete lines only: the one holding the bad byte is unreadable
    names = re.findall(r"""^\s*-?\s*name\s*:\s*["']?([^"'#\n]+?)["']?\s*(?:#.*)?$""", "\n".join(lines), re.M)
    return names[-1].strip() if names else None


def _check_folder_keys(at, entry: dict[str, Any]) -> None:
    """A folder source has name, type and path only: a typo (`incldue:`) or a web key (`url:`) is an error."""
    for key in entry:
        if key not in FOLDER_KEYS:
            hint = "; a folder source reads 'path'" if key == "url" else ""
            raise SourceConfigError(f"{at(key)}: unknown setting {key!r} for a folder source{hint}; "
                                    f"known: {', '.join(sorted(FOLDER_KEYS))}")


def _check_web_options(at, typ: str, options: dict[str, Any]) -> None:
    """Unknown keys and wrong types are errors: a typo must not silently fall back to a default."""
    import re

    from .fetch import FetchSettings

    defaults = FetchSettings()
    allowed: dict[str, type] = {k: type(getattr(defaults, k)) for k in FetchSettings.__dataclass_fields__}
    allowed.update(setting_types(KINDS[typ].settings))  # besides the fetch settings any web source may set
    for key, value in options.items():
        where = at(key)
        if key not in allowed:
            raise SourceConfigError(f"{where}: unknown setting {key!r} for a {typ} source; "
                                    f"known: {', '.join(sorted(allowed))}")
        want = allowed[key]
        ok = isinstance(value, want) and not (want is not bool and isinstance(value, bool))
        if want is float and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        if not ok:
            raise SourceConfigError(f"{where}: setting {key!r} must be {want.__name__}, got {value!r}")
        if want in (int, float) and value < 0:
            raise SourceConfigError(f"{where}: setting {key!r} must not be negative")
        if key in ("include", "exclude"):
            try:
                re.compile(value)
            except re.error as e:
                raise SourceConfigError(f"{where}: setting {key!r} is not a valid regular expression: {e}") from e
        if key == "revalidate" and value not in ("conditional", "always", "never"):
            raise SourceConfigError(f"{where}: 'revalidate' must be conditional, always or never")
