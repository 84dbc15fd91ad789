-- One row per article. A page re-parsed into another partition keeps its earliest publish date.
{{ config(materialized='incremental', unique_key='article_id') }}
select
    article_id,
    cast(publish_date as date) as publish_date,
    url,
    canonical_url,
    site,
    title,
    publish_time,
    publish_time_local,
    category,
    source_name,
    origin_name,
    dateline_agency,
    dateline_place,
    dateline_date,
    authors,
    body,
    related,
    language,
    script,
    body_sha256,
    simhash,
    parser,
    parser_version,
    raw_sha256,
    charset
from {{ source('lake', 'articles') }}
qualify row_number() over (partition by article_id order by publish_date, raw_sha256) = 1
