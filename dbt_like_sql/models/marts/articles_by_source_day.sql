-- Articles per publish date, site and named source (来源), with reprints and facts.
with fact_counts as (
    select article_id, count(*) as n_facts, count(*) filter (where kind = 'money') as n_money
    from {{ ref('stg_facts') }}
    group by article_id
)
select
    a.publish_date,
    coalesce(a.site, '(unknown)') as site,
    coalesce(a.source_name, '(not stated)') as source_name,
    count(*) as n_articles,
    count(distinct s.story_id) as n_stories,
    count(*) filter (where not s.is_first_copy) as n_reprints,
    count(*) filter (where a.origin_name is not null) as n_declared_reprints,
    coalesce(sum(fc.n_facts), 0) as n_facts,
    coalesce(sum(fc.n_money), 0) as n_money_facts
from {{ ref('stg_articles') }} a
join {{ ref('article_stories') }} s using (article_id)
left join fact_counts fc using (article_id)
group by all
