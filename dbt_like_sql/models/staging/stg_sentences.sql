-- Sentences of the staged articles as the facts step split them (news_assets.facts, the one splitter):
-- read from the lake, never re-split here, so facts.sentence_id and region mentions name the same rows.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='publish_date') }}
select s.* replace (cast(s.publish_date as date) as publish_date)
from {{ source('lake', 'sentences') }} s
semi join {{ ref('stg_articles') }} a
    on a.article_id = s.article_id and a.publish_date = cast(s.publish_date as date)
{% if is_incremental() %}where {{ changed_dates_filter('cast(s.publish_date as date)') }}{% endif %}
