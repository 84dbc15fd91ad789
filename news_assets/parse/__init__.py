"""HTML bytes -> Article. Plain Python: no Dagster imports anywhere under parse/.

How a page is read (``parse_html``):

1. ``decode_html``: BOM, strict UTF-8, the HTTP and ``<meta>`` charsets, GB18030 (for every GB2312/GBK
   label), Big5-HKSCS, charset-normalizer last; GB vs Big5 settled by common-character plausibility.
2. One pass over the lexbor DOM (``extract.scan``): text, link text and sentence punctuation per block;
   good paragraphs credit their container ancestors (1, 1/2, 1/4). Candidates are penalised for link
   density, link-only blocks and boilerplate class names, and preferred when they hold or follow the
   headline and contain the first real paragraph after it.
3. The body is read back as lines (one per block / ``<br>``) and cleaned: headline and byline lines at
   the top, 责任编辑/编辑 lines, share/print/pagination junk, snapshot disclaimers and everything after a
   相关新闻/推荐阅读-style marker are dropped.
4. Header fields come from the lines between the headline and the body (the "zone"), then the lines
   before the headline, the footer lines after the body, meta tags / JSON-LD / ``<time>``, the URL:
   publish time (publish labels first, +08:00 unless the page says otherwise), 来源 / 本文转自, media
   accounts, 记者/作者 names (never 编辑), 新华社X月X日电 datelines, 类别 and breadcrumbs.
   Labels are matched on the simplified form of the text (bundled t2s table, one character to one, so
   values are cut from the original). Authors are looked for by an ordered list of steps
   (``core._AUTHOR_STEPS``) and each name must look like a person (``names.is_person``: script and
   length, not a UI word or reporting verb, not an outlet, portal or the site's own name); sources drop a
   bracketed place and placeholders (``names.clean_outlet``). Vocabularies are data files in
   ``news_assets/data/parse/`` (``vocab.py`` loads them).
5. Related lists: three or more sibling items after the body start, each with a date and a link.
6. ``classify``: non-articles (no body, forum, encyclopedia, blog, poetry, novel, book, listing) get
   ``is_article=False`` and a ``reject_reason``.

Limits (``limits.py``, each a setting with a documented default): pages over ``max_bytes`` are refused
with ``ParseError("too_large")``; markup deeper than ``max_depth`` is flattened before the tree is built.

Site profiles (``profiles.py``) are data plus a couple of functions, used only where the generic rules
cannot see the field (WeChat keeps its time and account name in scripts).
"""

from __future__ import annotations

from .charset import decode_html
from .core import PARSER_NAME, PARSER_VERSION, parse_html
from .errors import ParseError
from .limits import ParseLimits
from .model import Article, Dateline, Related

__all__ = [
    "PARSER_NAME",
    "PARSER_VERSION",
    "Article",
    "Dateline",
    "ParseError",
    "ParseLimits",
    "Related",
    "decode_html",
    "parse_html",
]
