-- One row per article. A page re-parsed into another partition keeps its earliest publish date.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='publish_date') }}
-- every lake column (news_assets/records.py ArticleRow), the partition key typed
select * replace (cast(publish_date as date) as publish_date)
from {{ source('lake', 'articles') }} s
{% if is_incremental() %}
where {{ changed_dates_filter('cast(s.publish_date as date)') }}
  -- a page kept under an earlier publish date that is not rebuilt stays there (the unique test on
  -- article_id catches the rarer case of a new copy earlier than the kept one)
  and not exists (
    select 1 from {{ this }} t
    where t.article_id = s.article_id and t.publish_date < cast(s.publish_date as date)
      and not {{ changed_dates_filter('t.publish_date') }})
{% endif %}
qualify row_number() over (partition by article_id order by publish_date, raw_sha256) = 1
