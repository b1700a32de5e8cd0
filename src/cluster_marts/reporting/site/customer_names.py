"""The customers page's first section: customers by segment name, as customer_profile shows them.

One table per fitted axis of the primary method (customer_profile_axes): each named segment (the
most specific one customers are assigned to), its top-level group, how many customers it holds, and
what the name means (customer_segment_names: the rule's description, or how the name was made).
"""

from __future__ import annotations

from html import escape

from cluster_marts.reporting.html import section, table
from cluster_marts.reporting.site.data import Marts

__all__ = ["names_section", "NAME_TABLES"]

#: the marts this section reads (models/exposures.yml lists them for the customers page)
NAME_TABLES = ("customer_profile_axes", "customer_segment_names")


def names_section(marts: Marts) -> str:
    """Customers per named segment and axis, with each name's meaning; a note when no axis is named."""
    named = marts.df(
        "select a.axis, a.method, a.segment_group, a.segment_name, count(*) as customers, "
        "count(*) / sum(count(*)) over (partition by a.axis) as share, max(n.description) as meaning, "
        "max(n.name_source) as named_by "
        "from customer_profile_axes as a left join customer_segment_names as n on n.fit = 'segmentation' "
        "and n.run_id = a.run_id and n.axis = a.axis and n.method = a.method and n.segment_path = a.segment_path "
        "group by a.axis, a.method, a.segment_group, a.segment_name order by a.axis, customers desc, a.segment_name")
    if named.empty:
        return section("Customers by segment name", '<p class="muted">no segmented customers</p>', "names")
    intro = ('<p>The segments as <code>customer_profile</code> shows them (one row per customer): per axis the '
             f"primary method ({escape(str(named['method'].iat[0]))}), the most specific segment's name and its "
             "group. Names come from <code>seeds/customer_segment_name_rules.csv</code> (named by "
             "<em>rule</em>), else from the parent segment (<em>parent</em>) or from the features that set the "
             "segment apart (<em>generated</em>).</p>")
    parts = [f"<h3>{escape(axis)}</h3>" + table(rows, ["segment_name", "segment_group", "customers", "share",
                                                        "named_by", "meaning"],
                                                 percent=["share"], headers={"segment_name": "segment name",
                                                                             "segment_group": "group"})
             for axis, rows in named.groupby("axis", sort=False)]
    return section("Customers by segment name", intro + "".join(parts), "names")
