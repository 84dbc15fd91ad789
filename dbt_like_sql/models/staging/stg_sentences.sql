{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='publish_date') }}
-- Sentence spans of every staged article body (split after 。！？!?；; and line breaks), character offsets.
with parts as (
    select article_id, publish_date, string_split_regex(body, '[。！？!?；;\n]') as parts
    from {{ ref('stg_articles') }}
    {% if is_incremental() %}where {{ changed_dates_filter('publish_date') }}{% endif %}
),
numbered as (
    select article_id, publish_date, unnest(range(1, len(parts) + 1)) as sentence_no, unnest(parts) as part
    from parts
)
select
    article_id,
    publish_date,
    sentence_no,
    cast(sum(length(part) + 1) over (partition by article_id order by sentence_no) - length(part) - 1 as integer) as start,
    cast(sum(length(part) + 1) over (partition by article_id order by sentence_no) as integer) as "end"
from numbered
