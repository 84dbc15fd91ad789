"""Fetch-path throughput on loopback: `raw_html` for one day vs the raw rate of the same server.

    python benchmarks/fetch_speed.py [--pages 1000] [--concurrency 16] [--size 12000] [--gzip]

A server process (news_assets.sources.testserver: stdlib ThreadingHTTPServer, HTTP/1.1 keep-alive)
serves N real-looking Chinese news pages and a news sitemap listing them, all published on one day.
Each measurement runs in its own child process, so the client never shares a GIL with the server and
its peak RSS is its own:

  raw httpx     a bare httpx.AsyncClient (httpx's own httpcore transport) GETs every page at the same
                concurrency and discards them
  raw aiohttp   the same with a bare aiohttp.ClientSession: the transport the Fetcher uses underneath
  raw stdlib    N threads of http.client keep-alive connections
  raw_html      news_assets.pipeline.run_raw_html for the day with a sources file pointing at the
                sitemap (politeness delay 0 and per-host limit = concurrency: loopback is one host):
                robots.txt, discovery, fetch, decompress/size cap, charset detection, sha256, raw
                store writes, state and manifest partition
  raw_html again  the same day re-run: conditional requests (ETag) answered 304, nothing re-stored
  Fetcher only  news_assets.sources.fetch.Fetcher.get over the same URLs, nothing stored: the
                share of the gap that is the HTTP client path rather than storage and bookkeeping

Each path runs --rounds times (fresh child process and, for raw_html, a fresh warehouse each time);
the best round is reported. The ratios compare raw_html's pages/s with each raw client; the
target is >= 50 % of the server's own rate, taken as the fastest raw client's rate.

CPU columns: the client's CPU time (all its threads) inside the timed window, and the server
process's CPU time over the same run (Linux /proc), both per page. They show what bounds each
path: a client at ~1 core of CPU per wall second is limited by its own per-page cost, not by the
server.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DAY = "2024-05-25"
PARAGRAPH = ("新华社重庆5月25日电 重庆市商务委员会25日发布数据显示，截至今年4月，重庆已累计设立港资企业超3500家，"
             "合同金额721亿美元。今年一季度，重庆新设港资企业25家、同比增长56%，实际利用外资3.7亿美元、同比增长145.8%。")


def page(i: int, size: int) -> bytes:
    body = "".join(f"<p>{PARAGRAPH}（{i}-{k}）</p>" for k in range(max(1, size // 330)))
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>重庆港资企业第{i}篇</title></head>"
            f"<body><h1>重庆港资企业第{i}篇</h1><div class=\"info\">发布时间：{DAY} 10:00 来源：新华网</div>"
            f"<div class=\"content\">{body}</div></body></html>").encode()


def serve(n: int, size: int, use_gzip: bool, q) -> None:
    from news_assets.sources.testserver import LoopbackServer, Reply

    srv = LoopbackServer()
    for i in range(n):
        data = page(i, size)
        headers = {"ETag": f'"p{i}"'}
        if use_gzip:
            data, headers["Content-Encoding"] = gzip.compress(data, 6), "gzip"

        def route(h, data=data, headers=headers):
            if h.get("if-none-match") == headers["ETag"]:
                return Reply(status=304, headers={"ETag": headers["ETag"]}, content_type=None)
            return Reply(data, headers=headers)

        srv.routes[f"/news/{i}.html"] = route
    urls = "".join(f"<url><loc>{srv.base}/news/{i}.html</loc><news:news><news:publication_date>{DAY}T10:00:00+08:00"
                   f"</news:publication_date></news:news></url>" for i in range(n))
    srv.routes["/sitemap.xml"] = Reply(
        ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
         f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>').encode(),
        content_type="application/xml")
    srv.routes["/robots.txt"] = Reply(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    q.put(srv.base)
    srv.serve_forever(poll_interval=0.05)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def raw_httpx(base: str, n: int, conc: int, q) -> None:
    import httpx

    async def go():
        # httpx at its fastest here: small pools with one request slot per connection (httpcore
        # scans every pooled connection per request) and sniffio installed (the [bench] extra;
        # without it httpcore pays a failed import per request)
        k = max(1, conc // 2)
        clients = [httpx.AsyncClient(limits=httpx.Limits(max_connections=-(-conc // k))) for _ in range(k)]
        slots: asyncio.LifoQueue = asyncio.LifoQueue()
        for i in range(conc):
            slots.put_nowait(clients[i % k])

        async def one(i):
            c = await slots.get()
            try:
                r = await c.get(f"{base}/news/{i}.html")
                assert r.status_code == 200 and r.content
            finally:
                slots.put_nowait(c)

        t, c0 = time.perf_counter(), time.process_time()
        await asyncio.gather(*(one(i) for i in range(n)))
        elapsed, cpu = time.perf_counter() - t, time.process_time() - c0
        for c in clients:
            await c.aclose()
        return elapsed, cpu

    elapsed, cpu = asyncio.run(go())
    q.put((elapsed, n, _peak_mb(), cpu))


def raw_aiohttp(base: str, n: int, conc: int, q) -> None:
    import aiohttp

    async def go():
        conn = aiohttp.TCPConnector(limit=conc)
        async with aiohttp.ClientSession(connector=conn, auto_decompress=False) as session:
            sem = asyncio.Semaphore(conc)

            async def one(i):
                async with sem, session.get(f"{base}/news/{i}.html") as r:
                    data = await r.read()
                    assert r.status == 200 and data

            t, c = time.perf_counter(), time.process_time()
            await asyncio.gather(*(one(i) for i in range(n)))
            return time.perf_counter() - t, time.process_time() - c

    elapsed, cpu = asyncio.run(go())
    q.put((elapsed, n, _peak_mb(), cpu))


def raw_stdlib(base: str, n: int, conc: int, q) -> None:
    import http.client
    from urllib.parse import urlsplit

    host, port = urlsplit(base).hostname, urlsplit(base).port
    todo = list(range(n))
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection(host, port)
        while True:
            with lock:
                if not todo:
                    break
                i = todo.pop()
            conn.request("GET", f"/news/{i}.html", headers={"Accept-Encoding": "gzip"})
            r = conn.getresponse()
            data = r.read()
            if r.getheader("content-encoding") == "gzip":
                data = gzip.decompress(data)
            assert r.status == 200 and data
        conn.close()

    t, c = time.perf_counter(), time.process_time()
    threads = [threading.Thread(target=worker) for _ in range(conc)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    q.put((time.perf_counter() - t, n, _peak_mb(), time.process_time() - c))


def fetcher_only(base: str, n: int, conc: int, q) -> None:
    """The Fetcher alone (robots.txt, slots, per-host limit, size cap, charset-free): no storage."""
    from news_assets.sources.fetch import Fetcher, FetchSettings

    async def go():
        async with Fetcher(FetchSettings(concurrency=conc, per_host=conc, delay=0)) as f:
            t, c = time.perf_counter(), time.process_time()
            rs = await asyncio.gather(*(f.get(f"{base}/news/{i}.html") for i in range(n)))
            assert all(r.body for r in rs)
            return time.perf_counter() - t, time.process_time() - c

    elapsed, cpu = asyncio.run(go())
    q.put((elapsed, n, _peak_mb(), cpu))


def fetch_path(base: str, conc: int, warehouse: str, q) -> None:
    from news_assets import pipeline
    from news_assets.lake import Lake
    from news_assets.sources import load_sources

    cfg = Path(warehouse).parent / "sources.yaml"
    cfg.write_text(f"- name: bench\n  type: sitemap\n  url: {base}/sitemap.xml\n"
                   f"  delay: 0\n  per_host: {conc}\n  concurrency: {conc}\n", encoding="utf-8")
    lake = Lake(warehouse)
    sources = load_sources(cfg)
    t, c = time.perf_counter(), time.process_time()
    res = pipeline.run_raw_html(lake, DAY, sources)
    elapsed = time.perf_counter() - t
    q.put((elapsed, res.counts.get("fetched", 0), _peak_mb(), time.process_time() - c))


def _cpu_of(pid: int) -> float | None:
    """User+system CPU seconds of a running process (Linux), else None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_child(target, *args, server_pid: int | None = None):
    """(seconds, pages, peak MB, client CPU s, server CPU s or None) of one measurement."""
    q = mp.Queue()
    p = mp.Process(target=target, args=(*args, q))
    before = _cpu_of(server_pid) if server_pid else None
    p.start()
    out = q.get()
    p.join()
    after = _cpu_of(server_pid) if server_pid else None
    return (*out, after - before if before is not None and after is not None else None)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--size", type=int, default=12000, help="approximate page size in bytes")
    ap.add_argument("--gzip", action="store_true", help="serve pages gzip-compressed")
    ap.add_argument("--rounds", type=int, default=3, help="runs per path; the best is reported")
    ap.add_argument("--tmp", default=None, help="where the throw-away warehouses go (default: the system temp "
                    "dir; /dev/shm takes the disk out of the measurement)")
    args = ap.parse_args(argv)
    n, conc = args.pages, args.concurrency
    mp.set_start_method("fork")
    sq = mp.Queue()
    server = mp.Process(target=serve, args=(n, args.size, args.gzip, sq), daemon=True)
    server.start()
    base = sq.get()
    best: dict[str, tuple] = {}

    def keep(name, result):
        if name not in best or result[0] < best[name][0]:
            best[name] = result

    # every round's warehouse is kept until the end: deleting thousands of files between rounds
    # makes the file system stall the next round's writes (seen on ext4 with discard)
    scratch = tempfile.TemporaryDirectory(dir=args.tmp)
    try:
        sp = server.pid
        run_child(raw_httpx, base, min(n, 50), conc)  # warm-up
        for r in range(args.rounds):
            keep("raw httpx", run_child(raw_httpx, base, n, conc, server_pid=sp))
            keep("raw aiohttp", run_child(raw_aiohttp, base, n, conc, server_pid=sp))
            keep("raw stdlib", run_child(raw_stdlib, base, n, conc, server_pid=sp))
            keep("Fetcher only", run_child(fetcher_only, base, n, conc, server_pid=sp))
            wh = os.path.join(scratch.name, f"warehouse-{r}")  # fresh warehouse: every page new
            keep("raw_html", run_child(fetch_path, base, conc, wh, server_pid=sp))
            keep("raw_html re-run (304s)", run_child(fetch_path, base, conc, wh, server_pid=sp))
    finally:
        server.terminate()
        scratch.cleanup()
    raws = ["raw httpx", "raw aiohttp", "raw stdlib"]
    order = [*raws, "raw_html", "raw_html re-run (304s)", "Fetcher only"]
    print(f"pages={n} concurrency={conc} page_size~{len(page(0, args.size))} B gzip={args.gzip} rounds={args.rounds} "
          f"cpus={os.cpu_count()} python={sys.version.split()[0]} warehouse in {args.tmp or tempfile.gettempdir()}")
    print(f"{'path':<24} {'pages':>6} {'seconds':>8} {'pages/s':>9} {'peak RSS MB':>12} "
          f"{'client CPU ms/page':>19} {'server CPU ms/page':>19}")
    for name in order:
        secs, pages, peak, cpu, server_cpu = best[name]
        srv = f"{server_cpu * 1000 / max(1, pages):>19.3f}" if server_cpu is not None else f"{'n/a':>19}"
        print(f"{name:<24} {pages:>6} {secs:>8.2f} {pages / secs:>9.0f} {peak:>12.0f} "
              f"{cpu * 1000 / max(1, pages):>19.3f} {srv}")
    secs, pages = best["raw_html"][:2]
    rate = pages / secs
    for name in raws:
        other = best[name][1] / best[name][0]
        print(f"raw_html / {name} = {rate:.0f} / {other:.0f} pages/s = {rate / other:.0%}")
    limit = max(best[name][1] / best[name][0] for name in raws)
    print(f"raw_html / server limit (fastest raw client) = {rate / limit:.0%} (target >= 50%)")
    return 0 if pages == n else 1


if __name__ == "__main__":
    sys.exit(main())
