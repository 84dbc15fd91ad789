"""Imported once by the stage pools' fork server (news_assets.stage_pool): loads the stage code and
the parser's and extractor's reference data by parsing one small page and extracting from one
sentence, so every worker forked from the server starts with them in memory. Caches only: no
output depends on this having run."""

import os
from datetime import date
from multiprocessing import process, spawn

from . import pipeline  # noqa: F401  (the stage functions the workers run)
from .facts import extract
from .parse import parse_html

_PAGE = ("<html><head><meta charset='utf-8'><title>重庆新设港资企业</title></head><body><article>"
         "<h1>重庆新设港资企业</h1><p>发布时间:2024-05-25 10:00 来源:新华网</p>"
         "<p>新华社重庆5月25日电 今年一季度,重庆新设港资企业25家、同比增长56%,"
         "实际利用外资3.7亿美元。</p></article></body></html>").encode()

# The caller's main script, imported as each spawned worker would (as __mp_main__): workers forked
# from here then find it imported and skip it (multiprocessing.spawn._fixup_main_from_path).
_main = os.environ.pop("NEWS_STAGE_POOL_MAIN", None)
if _main:
    process.current_process()._inheriting = True
    try:
        spawn.import_main_path(_main)
    except Exception:  # then every worker imports it itself, as before
        pass
    finally:
        del process.current_process()._inheriting

try:
    art = parse_html(_PAGE, "http://example.com/2024-05/25/a.html")
    extract(art.body or "今年一季度,重庆新设港资企业25家、同比增长56%。", date(2024, 5, 25))
except Exception:  # a warm-up that fails leaves the workers cold, never broken
    pass
