-- GB/T 2260 divisions from the divisions seed: one row per code and name, lists split, years typed.
select
    code,
    name,
    [x for x in string_split(coalesce(short, ''), '|') if x <> ''] as short_names,
    level,
    province as province_code,
    parent as parent_code,
    valid_from,
    valid_to,
    -- "500101[2021]" -> "500101": the year in brackets is when the successor took over
    [split_part(x, '[', 1) for x in string_split(coalesce(successors, ''), ';') if x <> ''] as successors
from {{ ref('divisions') }}
