-- Region mentions of staged articles, with the sentence (stg_sentences) they stand in.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='publish_date') }}
select
    m.article_id,
    cast(m.publish_date as date) as publish_date,
    m.start,
    m."end",
    s.sentence_id,
    m.text,
    m.region_code,
    m.name,
    m.level,
    m.province_code
from {{ source('lake', 'region_mentions') }} m
semi join {{ ref('stg_articles') }} a
    on a.article_id = m.article_id and a.publish_date = cast(m.publish_date as date)
left join {{ ref('stg_sentences') }} s
    on s.article_id = m.article_id and m.start >= s.start and m.start < s."end"
{% if is_incremental() %}where {{ changed_dates_filter('cast(m.publish_date as date)') }}{% endif %}
