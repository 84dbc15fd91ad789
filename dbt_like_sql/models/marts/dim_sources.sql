-- Source dimension: one row per site the warehouse has articles from, with the outlets it names.
select
    coalesce(a.site, '(unknown)') as site,
    count(*) as n_articles,
    min(a.publish_date) as first_publish_date,
    max(a.publish_date) as last_publish_date,
    mode(a.source_name) as main_source_name,
    list_sort(list_distinct(list(a.source_name))) as source_names,
    count(*) filter (where a.origin_name is not null) as n_declared_reprints,
    count(*) filter (where not s.is_first_copy) as n_reprints
from {{ ref('stg_articles') }} a
join {{ ref('article_stories') }} s using (article_id)
group by all
