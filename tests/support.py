"""Helpers shared by the tests: folder sources built from the bundled sample pages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from news_assets.sources.config import bundled_sample_dir

SAMPLE = bundled_sample_dir()
FETCH_FIX = Path(__file__).parent / "fixtures" / "fetch"  # real pages for the web tests (ATTRIBUTION.md)
UTF8_PAGE = (FETCH_FIX / "yangzi_utf8.html").read_bytes()  # 2022-02-13 23:37, UTF-8
GBK_PAGE = (FETCH_FIX / "cbzw_gbk.html").read_bytes()  # 2021-01-29 13:18, GBK with <meta charset=gbk>
SEED = "seed_23808ed94ab39eb3.html"


def make_folder(dest: Path, pages: list[str], extra: dict[str, tuple[bytes, dict]] | None = None) -> Path:
    """A source folder holding some bundled sample pages plus extra files (name -> (bytes, index entry))."""
    dest.mkdir(parents=True, exist_ok=True)
    sample_index = json.loads((SAMPLE / "index.json").read_text(encoding="utf-8"))
    index = {}
    for name in pages:
        shutil.copy(SAMPLE / name, dest / name)
        index[name] = sample_index[name]
    for name, (data, meta) in (extra or {}).items():
        (dest / name).write_bytes(data)
        index[name] = meta
    (dest / "index.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    return dest


def write_sources(path: Path, folder: Path, name: str = "test") -> Path:
    path.write_text(f"- name: {name}\n  type: folder\n  path: {folder}\n", encoding="utf-8")
    return path


def sitemap(base: str, items: list[tuple[str, str | None]], news: bool = True) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
           'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">']
    for path, day in items:
        loc = path if path.startswith("http") else base + path
        loc = loc.replace("&", "&amp;")
        if day and news:
            out.append(f"<url><loc>{loc}</loc><news:news><news:publication>"
                       f"<news:name>Test</news:name><news:language>zh</news:language></news:publication>"
                       f"<news:publication_date>{day}T10:00:00+08:00</news:publication_date>"
                       f"<news:title>t</news:title></news:news></url>")
        elif day:
            out.append(f"<url><loc>{loc}</loc><lastmod>{day}</lastmod></url>")
        else:
            out.append(f"<url><loc>{loc}</loc></url>")
    out.append("</urlset>")
    return "\n".join(out).encode()
