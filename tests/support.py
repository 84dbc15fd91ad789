"""Helpers shared by the tests: folder sources built from the bundled sample pages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from news_assets.sources.config import bundled_sample_dir

SAMPLE = bundled_sample_dir()
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
