-- Pages that did not become articles or facts, with the stage and the reason.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='publish_date') }}
select * from (
    select * replace (cast(publish_date as date) as publish_date)
    from {{ source('lake', 'quarantine_raw_html') }}
    union all by name
    select * replace (cast(publish_date as date) as publish_date)
    from {{ source('lake', 'quarantine_articles') }}
    union all by name
    select * replace (cast(publish_date as date) as publish_date)
    from {{ source('lake', 'quarantine_facts') }}
) q
{% if is_incremental() %}where {{ changed_dates_filter('q.publish_date') }}{% endif %}
