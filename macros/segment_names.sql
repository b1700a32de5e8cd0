{#
    segment_names(centres, rules, max_depth=6): the name of every segment and
    sub-segment of the customer fits in `centres` (segment_centre records: one
    row per run, axis, method, segment path and feature, with the members'
    median as a population percentile), from the analysts' `rules`
    (seed customer_segment_name_rules). One row per run, axis, method and
    segment path.

    1. A rule (priority, axis, segment_name) matches a segment when every one
       of its conditions holds: lower_percentile <= percentile <
       upper_percentile on the condition's feature (an empty bound is open; a
       feature the axis lacks never holds). The matching rule with the lowest
       priority names the segment (name_source 'rule').
    2. Else a sub-segment is named after its parent, with what sets it apart
       from the parent: the feature whose percentile moved most,
       `<parent name>_higher_<feature>` or `_lower_` (name_source 'parent').
    3. Else the features that set the segment apart from the population: at
       most two whose percentile is >= 75 (`high_<feature>`) or <= 25
       (`low_<feature>`), the farthest from 50 first; `typical` when none
       (name_source 'generated'). Features read as words: `log_frequency` ->
       frequency, `share_fabric` -> fabric_share.
    Names are unique within a run, axis and method: among the top-level
    segments (segment_group) and among the leaves (segment_name of a leaf), a
    repeated name takes _2, _3 ... in order of depth, then segment id, so the
    suffix follows the kept id. segment_group is the name of the top-level
    segment the row belongs to.
#}
{% macro segment_names(centres, rules, max_depth=6) %}
{%- set fit = 'run_id, axis, method' -%}
with

centres as (
    select * from {{ centres }}
),

rules as (
    select * from {{ rules }}
),

nodes as (
    select
        run_id, axis, method, segment_id, segment_path,
        max(parent_path) as parent_path,
        max(depth) as depth,
        max(size) as size
    from centres
    group by run_id, axis, method, segment_id, segment_path
),

child_counts as (
    select run_id, axis, method, parent_path, count(*) as n_children
    from nodes
    where parent_path is not null
    group by run_id, axis, method, parent_path
),

shaped_nodes as (
    select nodes.*, child_counts.n_children is null as is_leaf
    from nodes
    left join child_counts
        on {{ same_fit('nodes', 'child_counts') }}
        and nodes.segment_path = child_counts.parent_path
),

rule_conditions as (
    select priority, axis, segment_name, count(*) as n_conditions, max(description) as description
    from rules
    group by priority, axis, segment_name
),

rule_checks as (
    select
        centres.run_id, centres.axis, centres.method, centres.segment_path, rules.priority, rules.segment_name,
        sum(case
            when centres.percentile >= coalesce(rules.lower_percentile, -1)
                and centres.percentile < coalesce(rules.upper_percentile, 101) then 1
            else 0
        end) as n_met
    from centres
    inner join rules
        on {{ axis_base('centres.axis') }} = rules.axis
        and centres.feature = rules.feature
    group by centres.run_id, centres.axis, centres.method, centres.segment_path, rules.priority, rules.segment_name
),

matched_rules as (
    select
        rule_checks.run_id, rule_checks.axis, rule_checks.method, rule_checks.segment_path,
        rule_checks.segment_name as rule_name,
        rule_conditions.description as rule_description,
        row_number() over (
            partition by rule_checks.run_id, rule_checks.axis, rule_checks.method, rule_checks.segment_path
            order by rule_checks.priority, rule_checks.segment_name
        ) as preference
    from rule_checks
    inner join rule_conditions
        on rule_checks.priority = rule_conditions.priority
        and {{ axis_base('rule_checks.axis') }} = rule_conditions.axis
        and rule_checks.segment_name = rule_conditions.segment_name
    where rule_checks.n_met = rule_conditions.n_conditions
),

feature_words as (
    select
        centres.*,
        case
            when substr(feature, 1, 4) = 'log_' then substr(feature, 5)
            when substr(feature, 1, 6) = 'share_' then substr(feature, 7) || '_share'
            else feature
        end as feature_word
    from centres
),

distinctive as (
    select
        run_id, axis, method, segment_path,
        case when percentile >= 75 then 'high_' else 'low_' end || feature_word as word,
        row_number() over (
            partition by run_id, axis, method, segment_path order by abs(percentile - 50) desc, feature
        ) as word_rank
    from feature_words
    where percentile >= 75 or percentile <= 25
),

generated as (
    select
        run_id, axis, method, segment_path,
        max(case when word_rank = 1 then word end)
        || coalesce('_' || max(case when word_rank = 2 then word end), '') as generated_name
    from distinctive
    group by run_id, axis, method, segment_path
),

steps as (
    select
        child.run_id, child.axis, child.method, child.segment_path,
        case when child.percentile >= parent.percentile then 'higher_' else 'lower_' end || child.feature_word as step,
        row_number() over (
            partition by child.run_id, child.axis, child.method, child.segment_path
            order by abs(child.percentile - parent.percentile) desc, child.feature
        ) as step_rank
    from feature_words as child
    inner join centres as parent
        on {{ same_fit('child', 'parent') }}
        and child.parent_path = parent.segment_path
        and child.feature = parent.feature
),

candidates as (
    select
        shaped_nodes.*,
        matched_rules.rule_name,
        matched_rules.rule_description,
        coalesce(generated.generated_name, 'typical') as generated_name,
        steps.step
    from shaped_nodes
    left join matched_rules
        on {{ same_segment('shaped_nodes', 'matched_rules') }}
        and matched_rules.preference = 1
    left join generated
        on {{ same_segment('shaped_nodes', 'generated') }}
    left join steps
        on {{ same_segment('shaped_nodes', 'steps') }}
        and steps.step_rank = 1
),

{#-
    a sub-segment without a rule is its parent's name and its own step, so its name is the name of its
    nearest ancestor-or-self with a rule (the anchor; the top-level segment when none has one) followed by
    the steps of the segments below the anchor down to it
-#}
lineages as (
    select
        node.run_id, node.axis, node.method, node.segment_path,
        ancestor.depth as ancestor_depth,
        ancestor.rule_name,
        ancestor.generated_name,
        ancestor.step
    from candidates as node
    inner join candidates as ancestor
        on {{ same_fit('node', 'ancestor') }}
        and (
            node.segment_path = ancestor.segment_path
            or substr(node.segment_path, 1, length(ancestor.segment_path) + 1) = ancestor.segment_path || '.'
        )
),

anchors as (
    select
        run_id, axis, method, segment_path,
        max(case when rule_name is not null or ancestor_depth = 0 then ancestor_depth end) as anchor_depth
    from lineages
    group by run_id, axis, method, segment_path
),

composed as (
    select
        lineages.run_id, lineages.axis, lineages.method, lineages.segment_path,
        max(case when lineages.ancestor_depth = anchors.anchor_depth
            then coalesce(lineages.rule_name, lineages.generated_name) end) as anchor_name
        {%- for depth in range(1, max_depth + 1) %},
        coalesce(max(case when lineages.ancestor_depth = {{ depth }} and {{ depth }} > anchors.anchor_depth
            then '_' || coalesce(lineages.step, 'part') end), '') as step_{{ depth }}
        {%- endfor %}
    from lineages
    inner join anchors
        on {{ same_segment('lineages', 'anchors') }}
    group by lineages.run_id, lineages.axis, lineages.method, lineages.segment_path
),

named as (
    select
        candidates.*,
        composed.anchor_name,
        composed.anchor_name {%- for depth in range(1, max_depth + 1) %} || composed.step_{{ depth }}{% endfor %}
            as base_name,
        case
            when candidates.rule_name is not null then 'rule'
            when candidates.depth = 0 then 'generated'
            else 'parent'
        end as name_source
    from candidates
    inner join composed
        on {{ same_segment('candidates', 'composed') }}
),

described as (
    select
        named.*,
        coalesce(
            rule_description,
            case
                when depth = 0 and generated_name = 'typical'
                    then 'No name rule matched, and every feature median lies between the quartiles of the population'
                when depth = 0
                    then 'No name rule matched; set apart from the population by: ' || replace(generated_name, '_', ' ')
                else 'Part of ' || anchor_name || ': '
                    || replace(substr(base_name, length(anchor_name) + 2), '_', ' ') || ' than the rest of it'
            end
        ) as description
    from named
),

numbered as (
    select
        named.*,
        row_number() over (
            partition by run_id, axis, method, base_name, depth = 0 order by depth, segment_id, segment_path
        ) as group_repeat,
        row_number() over (
            partition by run_id, axis, method, base_name, is_leaf order by depth, segment_id, segment_path
        ) as leaf_repeat
    from described as named
),

unique_names as (
    select
        numbered.*,
        base_name || case when depth = 0 and group_repeat > 1 then '_' || cast(group_repeat as {{ dbt.type_string() }})
            else '' end as group_name,
        base_name || case when is_leaf and leaf_repeat > 1 then '_' || cast(leaf_repeat as {{ dbt.type_string() }})
            else '' end as leaf_name
    from numbered
),

final as (
    select
        node.run_id,
        node.axis,
        node.method,
        node.segment_id,
        node.segment_path,
        node.parent_path,
        node.depth,
        node.is_leaf,
        node.size,
        case when node.is_leaf then node.leaf_name when node.depth = 0 then node.group_name
            else node.base_name end as segment_name,
        top.group_name as segment_group,
        node.name_source,
        node.description
    from unique_names as node
    inner join unique_names as top
        on {{ same_fit('node', 'top') }}
        and {{ path_head('node.segment_path') }} = top.segment_path
)

select * from final
{% endmacro %}


{#
    segment_centre_rows(relation): the `segment_centre` records of a customer
    fit's long table (int_customer_segmentation, int_customer_reference_model),
    typed: one row per run, axis, method, segment path and feature
    (cluster_marts.profiling.centres.centre_records).
#}
{% macro segment_centre_rows(relation) %}
with

records as (
    {{ record_rows(relation, 'segment_centre', [
        'axis', 'method', 'run_id', 'segment_id', 'segment_path', 'parent_path', 'depth', 'feature', 'centre',
        'median', 'percentile', 'size'
    ], packed=true) }}
),

typed as (
    select
        run_id,
        axis,
        method,
        cast(segment_id as integer) as segment_id,
        segment_path,
        parent_path,
        cast(depth as integer) as depth,
        feature,
        cast(centre as double) as centre,
        cast(median as double) as median,
        cast(percentile as double) as percentile,
        cast(size as bigint) as size
    from records
)

select * from typed
{% endmacro %}


{#
    is_reference_segment(names, run_id, axis, segment_id): the join condition
    of a row of the snapshots' reference model (its run, axis and segment id)
    with its name in `names` (int_customer_reference_segment_names, whose
    segment_path is the id as text: the reference has no sub-segments).
#}
{% macro is_reference_segment(names, run_id, axis, segment_id) -%}
    {{ names }}.run_id = {{ run_id }}
        and {{ names }}.axis = {{ axis }}
        and {{ names }}.segment_path = cast({{ segment_id }} as {{ dbt.type_string() }})
{%- endmacro %}

{#-
    same_fit(left, right) / same_segment(left, right): the join condition of two relations' rows of one
    fit (run_id, axis, method), and of one segment of it (and segment_path).
#}
{% macro same_fit(left, right) -%}
    {{ left }}.run_id = {{ right }}.run_id
        and {{ left }}.axis = {{ right }}.axis
        and {{ left }}.method = {{ right }}.method
{%- endmacro %}

{% macro same_segment(left, right) -%}
    {{ same_fit(left, right) }}
        and {{ left }}.segment_path = {{ right }}.segment_path
{%- endmacro %}
