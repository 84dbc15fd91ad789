-- Which story each article tells: reprints of one story (本文转自 / 转载, exact or near-duplicate bodies)
-- share a story_id, the article_id of its earliest copy.
-- Exact copies share body_sha256; near copies (a different header or footer) have simhashes at most
-- 3 bits apart (found through four 16-bit bands: two such hashes agree on at least one band)
-- and were published within 30 days of each other. A chain of copies (a ~ b ~ c) is one story however
-- long it is.
with recursive a as (
    select
        article_id, publish_date, publish_time, body_sha256, simhash, length(body) as body_chars,
        row_number() over (order by publish_time nulls last, publish_date, article_id) as ord
    from {{ ref('stg_articles') }}
),
long as (select article_id, ord, simhash, publish_date from a where body_chars >= 100),
-- Near copies, as a sparse set of edges with the same chains as all pairs (a wire story reprinted a
-- thousand times would otherwise be a million pairs): the pairs of distinct simhashes within 3 bits
-- (through the bands), then each copy links to the next copy of its own simhash in time and to the
-- nearest copy before and after it of each close simhash, when within 30 days. Any pair within 30
-- days is then joined through copies between them, which are within 30 days of each other too.
hash_bands as (
    select simhash, b.band, (simhash >> (16 * b.band)) & 65535 as bits
    from (select distinct simhash from long), (select unnest([0, 1, 2, 3]) as band) b
),
close_hashes as (
    select distinct x.simhash as s, y.simhash as t
    from hash_bands x
    join hash_bands y on x.band = y.band and x.bits = y.bits and x.simhash <> y.simhash
    where bit_count(xor(x.simhash, y.simhash)) <= 3
),
same_next as (
    select article_id, ord, publish_date,
           lead(article_id) over w as next_id, lead(ord) over w as next_ord, lead(publish_date) over w as next_date
    from long
    window w as (partition by simhash order by publish_date, ord)
),
sided as (select x.article_id, x.publish_date, c.t from long x join close_hashes c on c.s = x.simhash),
nearest as (
    select x.article_id, y.ord as other_ord, x.publish_date as xd, y.publish_date as yd
    from sided x asof join long y on y.simhash = x.t and x.publish_date >= y.publish_date
    union all
    select x.article_id, y.ord, x.publish_date, y.publish_date
    from sided x asof join long y on y.simhash = x.t and x.publish_date <= y.publish_date
),
near as (
    select distinct article_id, other_ord from (
        select article_id, next_ord as other_ord from same_next
        where next_id is not null and datediff('day', publish_date, next_date) <= 30
        union all
        select next_id, ord from same_next
        where next_id is not null and datediff('day', publish_date, next_date) <= 30
        union all
        select article_id, other_ord from nearest where abs(datediff('day', xd, yd)) <= 30
    )
),
exact as (  -- exact copies: each linked to the earliest copy of its body (a star, not all pairs)
    select x.article_id, f.first_ord as other_ord
    from a x
    join (select body_sha256, min(ord) as first_ord, count(*) as n from a group by body_sha256) f using (body_sha256)
    where f.n > 1 and x.ord <> f.first_ord
    union all
    select y.article_id, x.ord
    from a x
    join (select body_sha256, min(ord) as first_ord, count(*) as n from a group by body_sha256) f using (body_sha256)
    join a y on y.ord = f.first_ord
    where f.n > 1 and x.ord <> f.first_ord
),
edges as (
    select article_id, other_ord, 'near' as how from near
    union all
    select article_id, other_ord, 'exact' from exact
),
-- every article takes the earliest copy reachable through any chain of copies (connected components
-- by label propagation: each round, an article whose neighbour has an earlier root takes it)
roots(article_id, root) using key (article_id) as (
    select article_id, ord from a
    union
    (select e.article_id, min(r.root)
     from roots r
     join a n on n.article_id = r.article_id
     join edges e on e.other_ord = n.ord
     join recurring.roots cur on cur.article_id = e.article_id
     group by e.article_id
     having min(r.root) < min(cur.root))
),
linked as (
    select a.article_id, bool_or(e.how = 'exact') as has_exact, count(e.other_ord) as n_neighbours
    from a left join edges e using (article_id)
    group by a.article_id
)
select
    l.article_id,
    f.article_id as story_id,
    l.article_id = f.article_id as is_first_copy,
    case when l.n_neighbours = 0 then 'unique' when l.has_exact then 'exact' else 'near' end as match_kind,
    count(*) over (partition by f.article_id) as n_copies
from linked l
join roots r using (article_id)
join a f on f.ord = r.root
