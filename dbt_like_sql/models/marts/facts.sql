-- The facts analysts start from: one row per money amount, count or percentage, with its evidence.
{{ config(materialized='view') }}
select
    f.fact_id,
    f.article_id,
    f.publish_date,
    f.kind,
    f.text,
    f.value,
    f.value_high,
    f.currency,
    f.unit,
    f.qualifier,
    f.change,
    f.change_basis,
    f.metric,
    f.region_code,
    r.name as region_name,
    f.region_source,
    f.period_start,
    f.period_end,
    f.period_source,
    f.cumulative,
    f.sentence,
    f.start,
    f."end",
    a.title as article_title,
    a.site,
    f.extractor_version
from {{ ref('stg_facts') }} f
join {{ ref('stg_articles') }} a using (article_id)
left join {{ ref('region_names') }} r on r.region_code = f.region_code
