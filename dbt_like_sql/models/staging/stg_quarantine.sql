-- Pages that did not become articles or facts, with the stage and the reason.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='publish_date') }}
select * from (
    select cast(publish_date as date) as publish_date, stage, url, raw_sha256, error_kind, message
    from {{ source('lake', 'quarantine_raw_html') }}
    union all
    select cast(publish_date as date), stage, url, raw_sha256, error_kind, message
    from {{ source('lake', 'quarantine_articles') }}
    union all
    select cast(publish_date as date), stage, url, raw_sha256, error_kind, message
    from {{ source('lake', 'quarantine_facts') }}
) q
{% if is_incremental() %}where {{ changed_dates_filter('q.publish_date') }}{% endif %}
