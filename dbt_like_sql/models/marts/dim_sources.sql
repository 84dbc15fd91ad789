-- Source dimension: one row per site the warehouse has articles from, with the outlets it names.
with named as (  -- how often each site names each outlet, for a deterministic most-named one
    select coalesce(site, '(unknown)') as site, source_name, count(*) as n
    from {{ ref('stg_articles') }}
    where source_name is not null
    group by all
),
main as (select site, first(source_name order by n desc, source_name) as main_source_name from named group by site)
select
    coalesce(a.site, '(unknown)') as site,
    count(*) as n_articles,
    min(a.publish_date) as first_publish_date,
    max(a.publish_date) as last_publish_date,
    any_value(m.main_source_name) as main_source_name,
    list_sort(list_distinct(list(a.source_name) filter (where a.source_name is not null))) as source_names,
    count(*) filter (where a.origin_name is not null) as n_declared_reprints,
    count(*) filter (where not s.is_first_copy) as n_reprints
from {{ ref('stg_articles') }} a
join {{ ref('article_stories') }} s using (article_id)
left join main m on m.site = coalesce(a.site, '(unknown)')
group by 1
