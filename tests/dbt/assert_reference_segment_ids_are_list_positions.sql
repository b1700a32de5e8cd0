-- The snapshot memberships are lists indexed by segment_id (position segment_id + 1), so the
-- reference model's segment ids of every axis must be exactly 0..k-1, and k must match them.
select axis, min(segment_id) as lowest, max(segment_id) as highest, count(distinct segment_id) as segments,
       max(k) as k
from {{ ref('customer_reference_model') }}
group by axis
having min(segment_id) <> 0
    or max(segment_id) <> count(distinct segment_id) - 1
    or max(k) <> count(distinct segment_id)
