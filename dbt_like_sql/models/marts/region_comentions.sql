-- Pairs of regions named together (渝港: 重庆 500000 with 香港 810000): in the same sentence, or
-- anywhere in the same article. A region and the province or country that contains it are not a pair.
with m as (
    select distinct article_id, publish_date, sentence_no, region_code
    from {{ ref('stg_region_mentions') }}
),
per_article as (select distinct article_id, publish_date, region_code from m),
sentence_pairs as (
    select a.article_id, a.region_code as region_a, b.region_code as region_b, count(*) as n_sentences
    from m a join m b
      on a.article_id = b.article_id and a.sentence_no = b.sentence_no and a.region_code < b.region_code
    group by all
),
article_pairs as (
    select a.article_id, a.publish_date, a.region_code as region_a, b.region_code as region_b
    from per_article a join per_article b on a.article_id = b.article_id and a.region_code < b.region_code
)
select
    p.region_a,
    ra.name as name_a,
    p.region_b,
    rb.name as name_b,
    count(*) filter (where sp.n_sentences > 0) as n_articles_same_sentence,
    coalesce(sum(sp.n_sentences), 0) as n_sentences,
    count(*) as n_articles,
    count(distinct s.story_id) as n_stories,
    min(p.publish_date) as first_publish_date,
    max(p.publish_date) as last_publish_date
from article_pairs p
join {{ ref('article_stories') }} s using (article_id)
left join sentence_pairs sp using (article_id, region_a, region_b)
left join {{ ref('dim_regions') }} ra on ra.region_code = p.region_a
left join {{ ref('dim_regions') }} rb on rb.region_code = p.region_b
where coalesce(ra.province_code, '') <> p.region_b
  and coalesce(rb.province_code, '') <> p.region_a
  and not (p.region_a = 'CN' and coalesce(rb.kind, '') = 'division')
  and not (p.region_b = 'CN' and coalesce(ra.kind, '') = 'division')
group by all
