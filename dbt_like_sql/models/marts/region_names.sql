-- The name each region code is mentioned under (the canonical name from the gazetteer).
select region_code, min(name) as name, min(level) as level, min(province_code) as province_code
from {{ ref('stg_region_mentions') }}
group by region_code
