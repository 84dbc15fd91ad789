-- Every discovered URL and how its fetch ended.
{{ config(materialized='incremental') }}
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
