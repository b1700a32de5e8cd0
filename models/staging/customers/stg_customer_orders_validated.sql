{#
    Every raw order row, typed, with the reason it cannot be used (or null).
    With a store_id (several shops in one warehouse), order_id and customer_id
    are '<store_id>|<id>' (macro store_key): a customer is the pair (store,
    customer), and two shops may use the same ids; then a row without a store
    is missing_store_id, and a store containing '|' (the keys' separator) is
    invalid_store_id. Without one, the ids are the shop's own.
    Infinite or NaN amounts (non_finite_amount) and orders dated more than a
    day after the build (future_ordered_at) are set aside: the first would
    poison every money feature, the second would become the as-of date and age
    every customer by years.
    Among usable rows sharing an order_id the first by timestamp is kept; the
    others are duplicate_row (same values) or conflicting_duplicate_order_id.

    A table, not a view: at warehouse scale the validation (text cleaning, row
    fingerprints, the duplicate window over every order) is computed once per
    build instead of once per reader (current features, reference features,
    snapshot features, quarantine). The fingerprint is a hash of the typed
    values (macro row_hash): it only compares rows within this query, so a fast
    64-bit hash does (md5 of the values cast to text took a third of the
    model's time). Two usable rows of one order_id placed at the same moment
    with different values keep the one of the lower hash, which is engine
    specific (DuckDB and Spark hash differently).
#}
{{ config(materialized='table') }}
with

source as (
    {{ raw_source('customer_orders') }}
),

cleaned as (
    -- the ids' text cleaned once per row (the keys below read each twice)
    select
        source.*,
        {{ clean_text('source.order_id') }} as clean_order_id,
        {{ clean_text('source.customer_id') }} as clean_customer_id,
        {{ clean_text('source.store_id') }} as clean_store_id
    from source
),

typed as (
    select
        ----- ids
        {{ store_key('clean_store_id', 'clean_order_id') }} as order_id,
        {{ store_key('clean_store_id', 'clean_customer_id') }} as customer_id,
        clean_store_id as store_id,
        ----- strings
        lower({{ clean_text('product_category') }}) as product_category,
        cast(amount as {{ dbt.type_string() }}) as amount_text,
        cast(ordered_at as {{ dbt.type_string() }}) as ordered_at_text,
        ----- numerics
        {{ try_cast('amount', 'double') }} as amount,
        {{ try_cast('item_count', 'integer') }} as item_count,
        ----- booleans
        coalesce({{ try_cast('is_returned', 'boolean') }}, false) as is_returned,
        ----- timestamps
        {{ try_cast('ordered_at', 'timestamp') }} as ordered_at,
        {{ try_cast('returned_at', 'timestamp') }} as returned_at,
        -- several shops: then every row needs its store (an id without one could be any shop's)
        count(clean_store_id) over () > 0 as has_stores
    from cleaned
),

value_checked as (
    select
        *,
        case
            when order_id is null then 'missing_order_id'
            when customer_id is null then 'missing_customer_id'
            when store_id is null and has_stores then 'missing_store_id'
            -- '|' separates the store from the id in the keys: a store name with one is ambiguous
            when {{ dbt.position("'|'", 'store_id') }} > 0 then 'invalid_store_id'
            when ordered_at is null then 'invalid_ordered_at'
            when amount_text is null or trim(amount_text) = '' then 'missing_amount'
            when amount is null then 'non_numeric_amount'
            when not {{ is_finite('amount') }} then 'non_finite_amount'
            when amount < 0 then 'negative_amount'
            when item_count is null or item_count < 1 then 'invalid_item_count'
            -- a day of slack for time zones; a later order would become every customer's as-of date
            when ordered_at > {{ dbt.dateadd('day', 1, dbt.current_timestamp()) }} then 'future_ordered_at'
        end as value_reason,
        {{ row_hash([
            'order_id', 'customer_id', "coalesce(product_category, '<null>')",
            'amount', 'item_count', 'is_returned', 'ordered_at'
        ]) }} as row_fingerprint
    from typed
),

ranked as (
    select
        *,
        row_number() over first_placed as order_rank,
        first_value(row_fingerprint) over first_placed as kept_fingerprint
    from value_checked
    window first_placed as (
        partition by order_id, value_reason is null
        order by ordered_at, row_fingerprint
    )
),

reasons as (
    select
        *,
        coalesce(
            value_reason,
            case
                when order_rank > 1 and row_fingerprint = kept_fingerprint then 'duplicate_row'
                when order_rank > 1 then 'conflicting_duplicate_order_id'
            end
        ) as quarantine_reason
    from ranked
),

validated as (
    select
        order_id,
        customer_id,
        store_id,
        product_category,
        -- the raw texts explain a quarantined row; usable rows have their typed values
        case when quarantine_reason is not null then amount_text end as amount_text,
        case when quarantine_reason is not null then ordered_at_text end as ordered_at_text,
        amount,
        item_count,
        is_returned,
        ordered_at,
        returned_at,
        quarantine_reason
    from reasons
)

select * from validated
