-- At most half of all fetched pages end in quarantine (a parser or source regression, not a bad page).
{{ config(severity='warn') }}
with q as (select count(*) as n from {{ ref('quarantine') }} where stage = 'articles'),
     a as (select count(*) as n from {{ ref('articles') }})
select q.n as quarantined, a.n as articles, q.n / (q.n + a.n) as share
from q, a
where q.n + a.n > 0 and q.n / (q.n + a.n) > 0.5
