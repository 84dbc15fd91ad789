-- Pairs of regions named together (渝港: 重庆 500000 with 香港 810000): in the same sentence, or
-- anywhere in the same article. A region and the province or country that contains it are not a pair.
select
    p.region_a,
    ra.name as name_a,
    p.region_b,
    rb.name as name_b,
    count(*) filter (where p.n_sentences > 0) as n_articles_same_sentence,
    sum(p.n_sentences) as n_sentences,
    count(*) as n_articles,
    count(distinct s.story_id) as n_stories,
    min(p.publish_date) as first_publish_date,
    max(p.publish_date) as last_publish_date
from {{ ref('stg_region_pairs') }} p
join {{ ref('article_stories') }} s using (article_id)
left join {{ ref('dim_regions') }} ra on ra.region_code = p.region_a
left join {{ ref('dim_regions') }} rb on rb.region_code = p.region_b
group by all
