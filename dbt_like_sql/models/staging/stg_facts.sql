-- Facts of the articles that survived staging, typed for analysis.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='publish_date') }}
select f.* replace (cast(f.publish_date as date) as publish_date)
from {{ source('lake', 'facts') }} f
semi join {{ ref('stg_articles') }} a
    on a.article_id = f.article_id and a.publish_date = cast(f.publish_date as date)
{% if is_incremental() %}where {{ changed_dates_filter('cast(f.publish_date as date)') }}{% endif %}
