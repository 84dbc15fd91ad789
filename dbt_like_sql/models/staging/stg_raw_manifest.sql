-- Every discovered URL and how its fetch ended.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='publish_date') }}
select
    cast(publish_date as date) as publish_date,
    source,
    url,
    final_url,
    status,
    outcome,
    reason,
    fetched_at,
    content_type,
    declared_charset,
    detected_charset,
    size,
    sha256,
    error,
    date_source
from {{ source('lake', 'raw_html') }}
{% if is_incremental() %}where {{ changed_dates_filter('cast(publish_date as date)') }}{% endif %}
