-- Counts and percentages by metric phrase (新设港资企业, 同比增长 …), each story counted once.
select
    f.kind,
    coalesce(f.metric, '(no metric)') as metric,
    coalesce(f.unit, case when f.kind = 'percent' then '%' end, '') as unit,
    count(*) filter (where s.is_first_copy) as n_facts,
    count(distinct s.story_id) as n_stories,
    count(distinct f.region_code) as n_regions,
    min(f.publish_date) as first_publish_date,
    max(f.publish_date) as last_publish_date,
    sum(f.value) filter (where s.is_first_copy) as total_value,
    median(f.value) filter (where s.is_first_copy) as median_value,
    min(f.value) as min_value,
    max(f.value) as max_value,
    count(*) filter (where s.is_first_copy and f.change = 'up') as n_up,
    count(*) filter (where s.is_first_copy and f.change = 'down') as n_down
from {{ ref('facts') }} f
join {{ ref('article_stories') }} s using (article_id)
where f.kind in ('count', 'percent')
group by all
