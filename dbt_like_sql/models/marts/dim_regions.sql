-- Region dimension: every GB/T 2260 division (1981 onwards), country and macro region the extractor knows.
with divisions as (
    select
        code as region_code,
        arg_max(name, valid_from) as name,
        list_sort(list_distinct(flatten(list(short_names)))) as short_names,
        arg_max(level, valid_from) as level,
        arg_max(province_code, valid_from) as province_code,
        arg_max(parent_code, valid_from) as parent_code,
        min(valid_from) as valid_from,
        case when bool_or(valid_to is null) then null else max(valid_to) end as valid_to,
        list_sort(list_distinct(flatten(list(successors)))) as successor_codes,
        list_sort(list_distinct(list(name))) as all_names
    from {{ ref('stg_divisions') }}
    group by code
),
provinces as (select region_code, name from divisions where level = 'province')
select
    d.region_code,
    d.name,
    'division' as kind,
    d.level,
    d.province_code,
    p.name as province_name,
    d.parent_code,
    d.valid_from,
    d.valid_to,
    d.valid_to is null as in_use,
    d.short_names,
    d.all_names,
    d.successor_codes
from divisions d
left join provinces p on p.region_code = d.province_code
union all
select code, name, 'country', 'country', null, null, null, null, null, true, list_sort(aliases), [name], []
from {{ ref('stg_named_regions') }} where kind = 'country'
union all
select code, name, 'macro', 'macro', null, null, null, null, null, true, list_sort(aliases), [name], []
from {{ ref('stg_named_regions') }} where kind = 'macro'
