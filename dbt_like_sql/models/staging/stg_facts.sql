-- Facts of the articles that survived staging, typed for analysis.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='publish_date') }}
select
    f.fact_id,
    f.article_id,
    cast(f.publish_date as date) as publish_date,
    f.kind,
    f.text,
    f.start,
    f."end",
    f.value,
    f.value_high,
    f.currency,
    f.unit,
    f.qualifier,
    f.change,
    f.change_basis,
    f.metric,
    f.region_code,
    f.region_source,
    f.period_start,
    f.period_end,
    f.period_source,
    f.cumulative,
    f.sentence,
    f.sentence_start,
    f.sentence_end,
    f.extractor_version
from {{ source('lake', 'facts') }} f
semi join {{ ref('stg_articles') }} a
    on a.article_id = f.article_id and a.publish_date = cast(f.publish_date as date)
{% if is_incremental() %}where {{ changed_dates_filter('cast(f.publish_date as date)') }}{% endif %}
