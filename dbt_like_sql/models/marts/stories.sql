-- One row per story: reprints on many sites collapsed into their earliest copy.
select
    s.story_id,
    arg_min(a.title, a.publish_time) filter (where s.is_first_copy) as title,
    min(a.publish_date) as first_publish_date,
    max(a.publish_date) as last_publish_date,
    any_value(a.site) filter (where s.is_first_copy) as first_site,
    first(a.origin_name order by a.origin_name is null, a.publish_time, a.article_id) as origin_name,
    count(*) as n_copies,
    count(distinct a.site) as n_sites,
    list_sort(list_distinct(list(a.site))) as sites
from {{ ref('article_stories') }} s
join {{ ref('stg_articles') }} a using (article_id)
group by s.story_id
