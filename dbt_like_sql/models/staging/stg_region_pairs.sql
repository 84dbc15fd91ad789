-- Pairs of regions named in the same article (region_a < region_b), with the number of sentences naming
-- both. A region and the province or country that contains it are not a pair.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='publish_date') }}
with m as (
    select distinct article_id, publish_date, sentence_id, region_code
    from {{ ref('stg_region_mentions') }}
    {% if is_incremental() %}where {{ changed_dates_filter('publish_date') }}{% endif %}
),
per_article as (select distinct article_id, publish_date, region_code from m),
sentence_pairs as (
    select a.article_id, a.region_code as region_a, b.region_code as region_b, count(*) as n_sentences
    from m a join m b
      on a.article_id = b.article_id and a.sentence_id = b.sentence_id and a.region_code < b.region_code
    group by all
)
select
    a.article_id,
    a.publish_date,
    a.region_code as region_a,
    b.region_code as region_b,
    coalesce(sp.n_sentences, 0) as n_sentences
from per_article a
join per_article b on a.article_id = b.article_id and a.region_code < b.region_code
left join sentence_pairs sp
    on sp.article_id = a.article_id and sp.region_a = a.region_code and sp.region_b = b.region_code
left join {{ ref('dim_regions') }} ra on ra.region_code = a.region_code
left join {{ ref('dim_regions') }} rb on rb.region_code = b.region_code
where coalesce(ra.province_code, '') <> b.region_code
  and coalesce(rb.province_code, '') <> a.region_code
  and not (a.region_code = 'CN' and coalesce(rb.kind, '') = 'division')
  and not (b.region_code = 'CN' and coalesce(ra.kind, '') = 'division')
