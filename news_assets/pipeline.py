"""One partition's work for each stage, as plain functions over the lake (no Dagster here).

Assets call these; so can scripts and benchmarks. Each function reads one publish date's input,
writes that date's output files (data and quarantine) atomically and returns counts, so a stage's
memory is bounded by one partition and days can run in parallel processes.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from . import schemas
from .lake import Lake
from .records import TABLES

ACCOUNTED_ELSEWHERE = {"duplicate", "dated_elsewhere"}  # skipped URLs that are not lost


PREVIEW_ROWS = 5


@dataclass
class StageResult:
    publish_date: str
    rows: int = 0
    quarantined: int = 0
    inputs: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)  # raw_html: why URLs failed, by reason
    seconds: float = 0.0  # wall time inside the stage function, as the process that ran it saw it
    heads: dict[str, pl.DataFrame] = field(default_factory=dict)  # table -> its first rows as written

    def write(self, lake: Lake, table: str, df: pl.DataFrame) -> None:
        """Write this day's partition of `table`, keeping its head for the UI's preview (which
        then needs no second read of the file in the process that reports)."""
        lake.write_partition(table, self.publish_date, df)
        self.heads[table] = df.head(PREVIEW_ROWS)


def _timed(fn: Callable[..., StageResult]) -> Callable[..., StageResult]:
    """Stamp a stage function's own wall time on its result: the run's share spent in this
    project's code, as opposed to Dagster's and the process pool's, is then a reading, not a guess."""
    @functools.wraps(fn)
    def run(*args, **kwargs) -> StageResult:
        t0 = time.perf_counter()
        res = fn(*args, **kwargs)
        res.seconds = time.perf_counter() - t0
        return res
    return run


def stable_id(*parts: str | None) -> str:
    return hashlib.sha256("\x1f".join(p or "" for p in parts).encode("utf-8")).hexdigest()[:16]


_NON_WORD = re.compile(r"\W+", re.UNICODE)  # what is left is exactly the \w characters, in order
_U64 = pa.uint64()
_SHIFT = [pa.scalar(j, _U64) for j in range(32)]
_LANES = pa.scalar(0x0001_0001_0001_0001, _U64)  # bits 0, 16, 32, 48: four 16-bit counters in one sum
_MIX = [pa.scalar(v, _U64) for v in (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB)]
_CODE = [pa.scalar(1 << 42, _U64), pa.scalar(1 << 21, _U64)]  # code points are < 2**21
SIMHASH_CHARS = 60000  # < 65536 trigrams, so no 16-bit counter overflows


def _splitmix64(z: pa.Array) -> pa.Array:
    """splitmix64's finaliser (Steele, Lea & Flood 2014) in wrapping uint64 arithmetic."""
    z = pc.add(z, _MIX[0])
    z = pc.multiply(pc.bit_wise_xor(z, pc.shift_right(z, _SHIFT[30])), _MIX[1])
    z = pc.multiply(pc.bit_wise_xor(z, pc.shift_right(z, _SHIFT[27])), _MIX[2])
    return pc.bit_wise_xor(z, pc.shift_right(z, _SHIFT[31]))


def trigram_hashes(text: str) -> pa.Array:
    r"""splitmix64 of each distinct character trigram of the text's \w characters, the trigram
    packed as c0 * 2**42 + c1 * 2**21 + c2 (a text of 1-2 such characters is one NUL-padded trigram)."""
    chars = _NON_WORD.sub("", text)[:SIMHASH_CHARS]
    if not chars:
        return pa.array([], _U64)
    chars = chars.ljust(3, "\0")
    c = pa.Array.from_buffers(pa.uint32(), len(chars), [None, pa.py_buffer(chars.encode("utf-32-le"))]).cast(_U64)
    keys = pc.add(pc.add(pc.multiply(c[:-2], _CODE[0]), pc.multiply(c[1:-1], _CODE[1])), c[2:])
    return _splitmix64(pc.unique(keys))


def simhash64(text: str) -> int:
    """64-bit simhash over distinct character trigrams: reprints of a story land a few bits apart.

    Bit b is set when more than half the trigram hashes have it. Vectorised in Arrow: per-trigram
    Python work (a hash call and a dict lookup each) cost ~3 ms a body; this is ~0.5 ms. Bit j of
    each 16-bit quarter is counted in one sum, four counters side by side (h >> j & 0x0001000100010001).
    """
    h = trigram_hashes(text)
    n, out = len(h), 0
    for j in range(16):
        total = pc.sum(pc.bit_wise_and(pc.shift_right(h, _SHIFT[j]), _LANES)).as_py() or 0
        for lane in range(4):
            if 2 * ((total >> (16 * lane)) & 0xFFFF) > n:
                out |= 1 << (16 * lane + j)
    return out


def write_quarantine(lake: Lake, stage: str, day: str, rows: list[dict]) -> None:
    for r in rows:
        r.setdefault("publish_date", day)
        r.setdefault("stage", stage)
    lake.write_partition(TABLES.quarantine(stage), day, schemas.frame(rows, schemas.QUARANTINE))


# ---- raw_html ------------------------------------------------------------------------------
@_timed
def run_raw_html(lake: Lake, day: str, sources, cache=None) -> StageResult:
    """`cache`: one sources.RunCache shared by the days of a run (folders indexed once, discovery reused)."""
    from .sources import collect_partition

    return record_raw_partition(lake, day, collect_partition(sources, day, lake, cache=cache))


def record_raw_partition(lake: Lake, day: str, entries) -> StageResult:
    """Write a day's fetch manifest and its quarantine rows (also used by `news-warehouse fetch`)."""
    rows = [e.as_row() for e in entries]
    res = StageResult(day, rows=len(rows), inputs=len(rows))
    res.write(lake, TABLES.raw_html, schemas.frame(rows, schemas.MANIFEST))
    # Every URL that will not become an article here is a quarantine row, except those that live
    # on elsewhere: a duplicate of a URL fetched once, or a page that belongs to another day.
    bad = [
        {"url": e.url, "raw_sha256": e.sha256, "error_kind": e.reason or e.outcome, "message": e.error}
        for e in entries
        if e.outcome != "fetched" and e.reason not in ACCOUNTED_ELSEWHERE
    ]
    write_quarantine(lake, TABLES.raw_html, day, bad)
    res.quarantined = len(bad)
    for e in entries:
        res.counts[e.outcome] = res.counts.get(e.outcome, 0) + 1
        if e.outcome == "failed":
            res.reasons[e.reason or "unknown"] = res.reasons.get(e.reason or "unknown", 0) + 1
    return res


# ---- articles ------------------------------------------------------------------------------
# Row-layout versions, part of the stage assets' code versions: a bump marks every partition stale.
# articles 2: article_id from the normalised URL key; articles 3: simhash over splitmix64 trigram hashes; facts 2: the sentences table and facts.sentence_id.
ARTICLES_ROWS_VERSION = "3"
FACTS_ROWS_VERSION = "2"


def article_id(canonical_url: str | None, url: str | None) -> str:
    """The article's identity: the normalised key (sources.canonical.url_key) that de-duplication uses,
    so two spellings of one canonical URL are one article."""
    from .sources.canonical import url_key

    return stable_id(url_key(canonical_url or url or ""))


def article_row(art, day: str, raw_sha256: str) -> dict:
    from .parse import PARSER_VERSION

    pt = art.publish_time
    dl = art.dateline
    body = art.body or ""
    return {
        "article_id": article_id(art.canonical_url, art.url),
        "publish_date": day,
        "url": art.url,
        "canonical_url": art.canonical_url,
        "site": art.site,
        "title": art.title,
        "publish_time": pt.astimezone(UTC) if pt else None,
        "publish_time_local": pt.isoformat() if pt else None,
        "category": art.category,
        "source_name": art.source_name,
        "origin_name": art.origin_name,
        "dateline_agency": dl.agency if dl else None,
        "dateline_place": dl.place if dl else None,
        "dateline_date": dl.date if dl else None,
        "authors": list(art.authors or []),
        "body": body,
        "related": [{"title": r.title, "url": r.url, "date": r.date} for r in art.related or []],
        "language": art.language,
        "script": art.script,
        "body_sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
        "simhash": simhash64(body),
        "parser": art.parser,
        "parser_version": art.parser_version or PARSER_VERSION,
        "raw_sha256": raw_sha256,
        "charset": art.charset,
    }


@_timed
def run_articles(lake: Lake, day: str) -> StageResult:
    from .faults import Fault, ParseCache, parse_page

    cache = ParseCache(lake, keep=False)  # the fetch-time parse of a page, when it had one
    manifest = lake.read_partition(TABLES.raw_html, day)
    res = StageResult(day)
    rows: list[dict] = []
    bad: list[dict] = []
    seen: set[str] = set()
    if manifest is not None:
        for m in manifest.filter(pl.col("outcome") == "fetched").iter_rows(named=True):
            res.inputs += 1
            url, sha = m["final_url"] or m["url"], m["sha256"]

            def quarantine(kind: str, msg: str, url=url, sha=sha) -> None:
                bad.append(Fault(kind, msg).row(url, sha))

            # the charset the fetch recorded (parse.charset's answer) decodes it again, unchanged
            art, fault = parse_page(lambda sha=sha: lake.get_raw(sha), url, cache=cache, sha256=sha,
                                    declared_charset=m["declared_charset"], charset=m["detected_charset"])
            if fault is not None:
                bad.append(fault.row(url, sha))
                continue
            if not art.is_article:
                quarantine("not_article", art.reject_reason or "not an article page")
                continue
            if art.publish_time is None:
                quarantine("no_publish_date", "no publish time found on the page")
                continue
            if not (art.body or "").strip():
                quarantine("empty_body", "no main text found")
                continue
            row = article_row(art, day, sha)
            if row["article_id"] in seen:
                quarantine("duplicate", f"same canonical URL as an earlier page: {art.canonical_url or url}")
                continue
            seen.add(row["article_id"])
            rows.append(row)
    res.write(lake, TABLES.articles, schemas.frame(rows, schemas.ARTICLES))
    write_quarantine(lake, TABLES.articles, day, bad)
    res.rows, res.quarantined = len(rows), len(bad)
    for b in bad:
        res.counts[b["error_kind"]] = res.counts.get(b["error_kind"], 0) + 1
    return res


# ---- facts ---------------------------------------------------------------------------------
def sentence_rows(base: dict, body: str, spans: list[tuple[int, int]]) -> list[dict]:
    """The sentences table's rows: facts.extract's own spans (SQL reads them, never re-splits)."""
    return [{**base, "sentence_id": i, "start": s, "end": e, "text": body[s:e]} for i, (s, e) in enumerate(spans, 1)]


def fact_row(base: dict, f, extractor_version: str, spans: list[tuple[int, int]]) -> dict:
    """One facts row (records.FactRow) from a facts.Fact; `spans` are the article's sentences."""
    i = bisect.bisect_right(spans, (f.start, float("inf")))  # the sentence starting at or before the fact
    return {
        **base,
        "fact_id": stable_id(base["article_id"], str(f.start), str(f.end), f.kind),
        "kind": f.kind, "text": f.text, "start": f.start, "end": f.end,
        "value": f.value, "value_high": f.value_high, "currency": f.currency, "unit": f.unit,
        "qualifier": f.qualifier, "change": f.change, "change_basis": f.change_basis,
        "metric": f.metric, "region_code": f.region_code, "region_source": f.region_source,
        "period_start": f.period_start, "period_end": f.period_end,
        "period_source": f.period_source, "cumulative": f.cumulative, "sentence": f.sentence,
        "sentence_start": f.sentence_start, "sentence_end": f.sentence_end,
        "sentence_id": i if i and f.start < spans[i - 1][1] else None,
        "extractor_version": extractor_version,
    }


def _extract_article(a: dict, pub: date, cap: int):
    """facts.extract on one articles row; the parser's dateline day anchors 30日 / 今天, so both tables agree."""
    from .facts import extract

    dl_day = date.fromisoformat(a["dateline_date"]) if a["dateline_date"] else None
    return extract(a["body"] or "", pub, dateline_place=a["dateline_place"], dateline_date=dl_day, max_chars=cap)


@_timed
def run_facts(lake: Lake, day: str) -> StageResult:
    from .facts import EXTRACTOR_VERSION, max_chars_setting

    cols = ["article_id", "url", "body", "dateline_place", "dateline_date", "raw_sha256"]
    articles = lake.read_partition(TABLES.articles, day, columns=cols)
    res = StageResult(day)
    out: dict[str, list[dict]] = {t: [] for t in (TABLES.facts, TABLES.sentences, TABLES.region_mentions,
                                                  TABLES.date_mentions)}
    bad: list[dict] = []
    cap = max_chars_setting()  # a bad setting fails the stage here, not every article one by one
    truncated = 0  # bodies over the cap: still articles, their facts from the first `cap` characters
    pub = date.fromisoformat(day)
    for a in articles.iter_rows(named=True) if articles is not None else ():
        res.inputs += 1
        try:
            ex = _extract_article(a, pub, cap)
        except Exception as e:  # one bad article is a quarantine row, not a failed day
            bad.append({"url": a["url"], "raw_sha256": a["raw_sha256"], "error_kind": "extract_crash",
                        "message": f"{type(e).__name__}: {e}"})
            continue
        truncated += ex.truncated
        base = {"article_id": a["article_id"], "publish_date": day}
        out[TABLES.facts] += [fact_row(base, f, EXTRACTOR_VERSION, ex.sentences) for f in ex.facts]
        out[TABLES.sentences] += sentence_rows(base, a["body"] or "", ex.sentences)
        out[TABLES.region_mentions] += [
            {**base, "start": r.start, "end": r.end, "text": r.text, "region_code": r.code, "name": r.name,
             "level": r.level, "province_code": r.province_code} for r in ex.regions]
        out[TABLES.date_mentions] += [
            {**base, "start": d.start, "end": d.end, "text": d.text, "start_date": d.start_date,
             "end_date": d.end_date, "granularity": d.granularity} for d in ex.dates]
    for table, rows in out.items():
        res.write(lake, table, schemas.frame(rows, schemas.for_table(table)))
    write_quarantine(lake, TABLES.facts, day, bad)
    res.rows, res.quarantined = len(out[TABLES.facts]), len(bad)
    res.counts = {**{t: len(rows) for t, rows in out.items()}, "truncated_for_facts": truncated}
    return res
