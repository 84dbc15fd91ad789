{{ config(materialized='incremental') }}
select
    m.article_id,
    cast(m.publish_date as date) as publish_date,
    m.start,
    m."end",
    m.text,
    m.start_date,
    m.end_date,
    m.granularity
from {{ source('lake', 'date_mentions') }} m
semi join {{ ref('stg_articles') }} a
    on a.article_id = m.article_id and a.publish_date = cast(m.publish_date as date)
