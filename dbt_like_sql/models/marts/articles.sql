-- The articles analysts start from: one row per article.
{{ config(materialized='view') }}
select
    article_id,
    url,
    site,
    title,
    publish_time,
    publish_time_local,
    publish_date,
    category,
    source_name,
    origin_name,
    dateline_agency,
    dateline_place,
    dateline_date,
    authors,
    body,
    related,
    canonical_url,
    language,
    script,
    length(body) as body_chars,
    body_sha256,
    simhash,
    parser,
    parser_version,
    raw_sha256
from {{ ref('stg_articles') }}
