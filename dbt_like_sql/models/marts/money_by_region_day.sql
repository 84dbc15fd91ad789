-- Money facts by region, publish date and currency: the first thing to chart.
select
    f.publish_date,
    coalesce(f.region_code, 'unknown') as region_code,
    coalesce(f.region_name, '(no region stated)') as region_name,
    f.currency,
    count(*) as n_facts,
    count(distinct f.article_id) as n_articles,
    sum(f.value) as total_value,
    max(f.value) as max_value
from {{ ref('facts') }} f
where f.kind = 'money'
group by all
