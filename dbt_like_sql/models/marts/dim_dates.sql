-- Date dimension: one row per calendar day from the first to the last publish date in the warehouse.
with bounds as (select min(publish_date) as lo, max(publish_date) as hi from {{ ref('stg_articles') }})
select
    cast(t.d as date) as date_day,
    year(t.d) as year,
    quarter(t.d) as quarter,
    month(t.d) as month,
    strftime(t.d, '%Y-%m') as year_month,
    cast(date_trunc('month', t.d) as date) as month_start,
    weekofyear(t.d) as iso_week,
    isodow(t.d) as iso_weekday,
    ['周一', '周二', '周三', '周四', '周五', '周六', '周日'][isodow(t.d)] as weekday_zh,
    isodow(t.d) >= 6 as is_weekend
from bounds, range(cast(bounds.lo as timestamp), cast(bounds.hi as timestamp) + interval 1 day, interval 1 day) t(d)
where bounds.lo is not null
