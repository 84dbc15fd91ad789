-- Which story each article tells: reprints of one story (本文转自 / 转载, exact or near-duplicate bodies)
-- share a story_id, the article_id of its earliest copy.
-- Exact copies share body_sha256; near copies (a different header or footer) have simhashes at most
-- 3 bits apart (found through four 16-bit bands: two such hashes agree on at least one band)
-- and were published within 30 days of each other.
with a as (
    select
        article_id, publish_date, publish_time, body_sha256, simhash, length(body) as body_chars,
        row_number() over (order by publish_time nulls last, publish_date, article_id) as ord
    from {{ ref('stg_articles') }}
),
bands as (
    select article_id, ord, simhash, publish_date, b.band, (simhash >> (16 * b.band)) & 65535 as bits
    from a, (select unnest([0, 1, 2, 3]) as band) b
    where body_chars >= 100
),
near as (
    select distinct x.article_id, y.ord as other_ord
    from bands x
    join bands y on x.band = y.band and x.bits = y.bits and x.article_id <> y.article_id
    where bit_count(xor(x.simhash, y.simhash)) <= 3
      and abs(datediff('day', x.publish_date, y.publish_date)) <= 30
),
exact as (
    select x.article_id, y.ord as other_ord
    from a x join a y on x.body_sha256 = y.body_sha256 and x.article_id <> y.article_id
),
edges as (
    select article_id, other_ord, 'near' as how from near
    union all
    select article_id, other_ord, 'exact' from exact
),
hop1 as (  -- the earliest copy among an article and its neighbours
    select a.article_id, least(a.ord, coalesce(min(e.other_ord), a.ord)) as root,
           bool_or(e.how = 'exact') as has_exact, count(e.other_ord) as n_neighbours
    from a left join edges e using (article_id)
    group by a.article_id, a.ord
),
hop2 as (  -- and once more through the neighbours' earliest copies, so chains of copies agree
    select h.article_id, least(h.root, coalesce(min(n.root), h.root)) as root, h.has_exact, h.n_neighbours
    from hop1 h
    left join edges e using (article_id)
    left join a o on o.ord = e.other_ord
    left join hop1 n on n.article_id = o.article_id
    group by h.article_id, h.root, h.has_exact, h.n_neighbours
)
select
    h.article_id,
    r.article_id as story_id,
    h.article_id = r.article_id as is_first_copy,
    case when h.n_neighbours = 0 then 'unique' when h.has_exact then 'exact' else 'near' end as match_kind,
    count(*) over (partition by r.article_id) as n_copies
from hop2 h
join a r on r.ord = h.root
