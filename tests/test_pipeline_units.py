"""Small pure functions of the pipeline."""

from news_assets.pipeline import simhash64, stable_id

BODY = ("西洽会上公布的数据显示,香港已成为重庆第一大境外投资来源地和第一大境外投资目的地,"
        "重庆已累计设立港资企业超3500家,合同金额721亿美元。今年一季度,重庆新设港资企业25家、同比增长56%。")


def test_simhash_is_stable_and_near_duplicates_are_close():
    h = simhash64(BODY)
    assert h == simhash64(BODY) and 0 < h < 2**64
    near = simhash64(BODY.replace("25家", "26家"))
    other = simhash64("美联储维持联邦基金利率目标区间不变,年内预将再加息。" * 3)
    assert bin(h ^ near).count("1") <= 8
    assert bin(h ^ other).count("1") >= 16
    assert simhash64("") == 0


def _reference_simhash(text: str) -> int:
    """The definition, one trigram at a time: splitmix64 of c0*2**42 + c1*2**21 + c2 per distinct
    trigram of the \\w characters, bit b set when more than half the hashes have it."""
    import re

    def mix(z: int) -> int:
        m = (1 << 64) - 1
        z = (z + 0x9E3779B97F4A7C15) & m
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & m
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & m
        return z ^ (z >> 31)

    chars = re.sub(r"\W+", "", text)
    if not chars:
        return 0
    chars = chars.ljust(3, "\0")
    keys = {ord(a) * 2**42 + ord(b) * 2**21 + ord(c) for a, b, c in zip(chars, chars[1:], chars[2:], strict=False)}
    hashes = [mix(k) for k in keys]
    return sum(1 << b for b in range(64) if 2 * sum(h >> b & 1 for h in hashes) > len(hashes))


def test_simhash_is_its_definition_computed_in_bulk():
    texts = [BODY, "中", "重庆", "GDP增长5.2%,CPI上涨0.2%。", "𠀀𠀁𠀂 emoji 😀 and 中文", "同比增长" * 5000,
             "".join(chr(0x4E00 + i * 7919 % 20000) for i in range(5000))]  # > 255 hashes per counter
    for t in texts:
        assert simhash64(t) == _reference_simhash(t), t[:20]
    assert simhash64("重庆") != simhash64("重") != 0


def test_stable_id_depends_on_every_part():
    assert stable_id("a", "b") == stable_id("a", "b")
    assert stable_id("a", "b") != stable_id("ab", "")
    assert len(stable_id("https://example.cn/x")) == 16


def test_every_url_not_fetched_is_quarantined_unless_it_lives_on_elsewhere(tmp_path):
    from news_assets.lake import Lake
    from news_assets.pipeline import record_raw_partition
    from news_assets.sources.manifest import ManifestEntry

    day = "2024-05-26"
    entries = [
        ManifestEntry(day, "s", "https://a.cn/1", "fetched", sha256="ab" * 32),
        ManifestEntry(day, "s", "https://a.cn/2", "failed", reason="timeout", error="read timed out"),
        ManifestEntry(day, "s", "https://a.cn/3", "skipped", reason="robots_disallowed"),
        ManifestEntry(day, "s", "https://a.cn/4", "skipped", reason="not_html"),
        ManifestEntry(day, "s", "https://a.cn/1?utm_source=x", "skipped", reason="duplicate"),
        ManifestEntry(day, "s", "https://a.cn/5", "skipped", reason="dated_elsewhere"),
    ]
    lake = Lake(tmp_path)
    res = record_raw_partition(lake, day, entries)
    assert res.counts == {"fetched": 1, "failed": 1, "skipped": 4}
    assert lake.read_partition("raw_html", day).height == 6
    q = lake.read_partition("quarantine_raw_html", day).sort("url")
    assert list(zip(q["url"], q["error_kind"], strict=True)) == [
        ("https://a.cn/2", "timeout"), ("https://a.cn/3", "robots_disallowed"), ("https://a.cn/4", "not_html")]
