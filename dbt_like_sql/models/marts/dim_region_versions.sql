-- Every GB/T 2260 division code with each name it carried and the years it carried it
-- (500101: 万县区 in 1997, 万州区 from 1998): join on region_code and the publish year.
select
    d.code as region_code,
    d.name,
    d.level,
    d.province_code,
    d.parent_code,
    d.valid_from,
    d.valid_to,
    d.successors as successor_codes
from {{ ref('stg_divisions') }} d
