{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='publish_date') }}
select m.* replace (cast(m.publish_date as date) as publish_date)
from {{ source('lake', 'date_mentions') }} m
semi join {{ ref('stg_articles') }} a
    on a.article_id = m.article_id and a.publish_date = cast(m.publish_date as date)
{% if is_incremental() %}where {{ changed_dates_filter('cast(m.publish_date as date)') }}{% endif %}
