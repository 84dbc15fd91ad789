-- Every discovered URL and how its fetch ended.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='publish_date') }}
select * replace (cast(publish_date as date) as publish_date)
from {{ source('lake', 'raw_html') }}
{% if is_incremental() %}where {{ changed_dates_filter('cast(publish_date as date)') }}{% endif %}
