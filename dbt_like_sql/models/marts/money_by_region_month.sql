-- Money by region, publish month and currency, each story counted once (reprints collapsed).
select
    cast(date_trunc('month', f.publish_date) as date) as month,
    coalesce(f.region_code, 'unknown') as region_code,
    coalesce(r.name, f.region_name, '(no region stated)') as region_name,
    r.level as region_level,
    r.province_code,
    f.currency,
    count(*) filter (where s.is_first_copy) as n_facts,
    count(distinct s.story_id) as n_stories,
    count(distinct f.article_id) as n_articles,
    sum(f.value) filter (where s.is_first_copy) as total_value,
    max(f.value) as max_value,
    count(*) filter (where s.is_first_copy and f.cumulative) as n_cumulative
from {{ ref('facts') }} f
join {{ ref('article_stories') }} s using (article_id)
left join {{ ref('dim_regions') }} r on r.region_code = f.region_code
where f.kind = 'money'
group by all
