"""Markdown narrative for the provider clustering report.

Every number and name comes from the mart frames passed in; the only fixed
text is wording and the conventional cut-offs of the report vocabulary
(:mod:`cluster_marts.profiling.vocabulary`: silhouette bands of Kaufman &
Rousseeuw, epsilon-squared bands of Tomczak & Tomczak); the significance level
is the mart's own ``alpha`` column.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from cluster_marts.profiling.vocabulary import effect_band, silhouette_band

# metric -> (summary column, z column, label, unit, value format)
METRICS = {
    "intelligence": ("avg_intelligence", "intelligence_z", "Intelligence", "index points", "{:,.1f}"),
    "price": ("avg_price", "price_z", "Price", "USD per 1M tokens", "${:,.2f}"),
    "speed": ("avg_speed", "speed_z", "Speed", "output tokens/s", "{:,.0f}"),
}
VERBS = {"intelligence": "intelligence scores", "price": "priced", "speed": "output speed runs"}


def fmt(metric: str, value: float) -> str:
    """Format a metric value with its unit-appropriate precision."""
    return METRICS[metric][4].format(value)


def describe(metric: str, value: float) -> str:
    """Value with its unit, e.g. '$8.38 per 1M tokens', '60.1 index points'."""
    return fmt(metric, value) + (" per 1M tokens" if metric == "price" else f" {METRICS[metric][3]}")


def z_phrase(metric: str, z: float, value: str = "") -> str:
    """E.g. 'priced 1.8 sd above the provider average ($8.38 per 1M tokens)'."""
    note = f" ({value})" if value else ""
    if abs(z) < 0.25:
        return f"{VERBS[metric]} close to the provider average ({z:+.2f} sd{'; ' + value if value else ''})"
    return f"{VERBS[metric]} {abs(z):.1f} sd {'above' if z > 0 else 'below'} the provider average{note}"


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]


def _chosen(ks: pd.DataFrame) -> pd.Series:
    return ks.loc[ks["is_chosen"].fillna(False).astype(bool)].iloc[0]


def section_validation(ks: pd.DataFrame, figures: dict[str, str]) -> list[str]:
    ks = ks.sort_values("k")
    row = _chosen(ks)
    k, sil = int(row["k"]), float(row["silhouette"])
    knees = ks.loc[ks["is_knee"].fillna(False).astype(bool), "k"].astype(int).tolist()
    out = ["## 1. Cluster validation", "",
           f"{int(row['n_samples'])} providers were clustered with **{row['algorithm']}** on "
           f"{row['scaling']}-scaled features ({row['features'].replace(',', ', ')}), random_state "
           f"{int(row['random_state'])}, over k = {int(ks['k'].min())}..{int(ks['k'].max())}. "
           f"The rule `{row['selection_rule']}` chose **k = {k}**.", "",
           f"At k = {k}: silhouette **{sil:.3f}** ({silhouette_band(sil)}; method `{row['silhouette_method']}`), "
           f"Calinski–Harabasz **{row['calinski_harabasz']:.1f}** (higher is better), "
           f"Davies–Bouldin **{row['davies_bouldin']:.3f}** (lower is better).", ""]
    if not knees:
        out.append("No knee was detected on the inertia curve, so the elbow gives no second opinion on k.")
    elif knees[0] == k:
        out.append(f"The knee of the inertia curve is at k = {knees[0]}, which agrees with the chosen k.")
    else:
        out.append(f"The knee of the inertia curve is at k = {knees[0]}, which differs from the chosen "
                   f"k = {k}: the elbow and the `{row['selection_rule']}` rule disagree, so read the "
                   f"segments at k = {k} with that in mind.")
    rows = [[int(r.k), f"{r.inertia:,.2f}", f"{r.silhouette:.3f}", f"{r.calinski_harabasz:.1f}",
             f"{r.davies_bouldin:.3f}", "yes" if pd.notna(r.is_knee) and r.is_knee else "",
             "**yes**" if pd.notna(r.is_chosen) and r.is_chosen else ""]
            for r in ks.itertuples()]
    out += ["", *_table(["k", "inertia", "silhouette", "Calinski–Harabasz", "Davies–Bouldin", "knee", "chosen"], rows),
            "", f"![Elbow plot: inertia by k]({figures['elbow']})", "",
            f"![Silhouette by k]({figures['silhouette']})", ""]
    return out


def section_profiles(summary: pd.DataFrame, figures: dict[str, str]) -> list[str]:
    rows = [[int(r.cluster_id), r.segment_name, int(r.provider_count), f"{r.provider_share:.1%}",
             int(r.model_count), fmt("intelligence", r.avg_intelligence), fmt("price", r.avg_price),
             fmt("speed", r.avg_speed), f"{r.mean_silhouette:.3f}"] for r in summary.itertuples()]
    header = ["cluster", "segment", "providers", "share", "models", "mean intelligence",
              "mean price (USD/1M tokens)", "mean speed (tokens/s)", "mean silhouette"]
    return ["## 2. Cluster profiles", "", *_table(header, rows), "",
            f"![Providers by cluster in PCA space]({figures['scatter']})", ""]


def section_segments(summary: pd.DataFrame, pc: pd.DataFrame) -> list[str]:
    out = ["## 3. Market segments", ""]
    for r in summary.itertuples():
        zs = {m: float(getattr(r, METRICS[m][1])) for m in METRICS}
        traits = "; ".join(z_phrase(m, z, describe(m, getattr(r, METRICS[m][0])))
                           for m, z in zs.items())
        lead = max(zs, key=lambda m: abs(zs[m]))
        members = pc.loc[pc["cluster_id"] == r.cluster_id].sort_values("model_count", ascending=False).head(3)
        top = ", ".join(f"{n} ({int(c)} models)" for n, c in zip(members["provider_name"], members["model_count"]))
        out += [f"**{r.segment_name}** (cluster {int(r.cluster_id)}; {int(r.provider_count)} providers, "
                f"{r.provider_share:.1%} of all; {int(r.model_count)} models). {traits[0].upper()}{traits[1:]}. "
                f"Its most distinctive trait is {METRICS[lead][2].lower()} ({zs[lead]:+.1f} sd). "
                f"Mean silhouette {r.mean_silhouette:.3f} ({silhouette_band(r.mean_silhouette)}). "
                f"Largest members: {top}.", ""]
    return out


def section_regional(rc: pd.DataFrame) -> list[str]:
    alpha = float(rc["alpha"].iloc[0])
    out = ["## 4. Regional comparison", "",
           "Model-level statistics by provider region; Kruskal–Wallis tests whether the regions share "
           f"one distribution, ε² is its effect size, significance at α = {alpha:g}.", ""]
    for metric in [m for m in METRICS if m in set(rc["metric"])] + sorted(set(rc["metric"]) - set(METRICS)):
        part = rc.loc[rc["metric"] == metric].sort_values("mean_value", ascending=False)
        f = (lambda v, m=metric: fmt(m, v)) if metric in METRICS else "{:,.3f}".format
        unit = METRICS[metric][3] if metric in METRICS else ""
        rows = [[r.region, int(r.model_count), f(r.mean_value), f(r.median_value), f(r.std_value)]
                for r in part.itertuples()]
        first = part.iloc[0]
        hi, lo = part.iloc[0], part.iloc[-1]
        verdict = ("is **significant**" if bool(first["is_significant"]) else "is **not significant**")
        out += [f"### {metric.capitalize()} ({unit})" if unit else f"### {metric}", "",
                *_table(["region", "models", "mean", "median", "std"], rows), "",
                f"Kruskal–Wallis across {int(first['n_regions'])} regions: H = {first['kruskal_h']:.2f}, "
                f"p = {first['kruskal_p_value']:.4g}, ε² = {first['epsilon_squared']:.3f} "
                f"({effect_band(first['epsilon_squared'])} effect). The regional difference in {metric} "
                f"{verdict} at the {alpha:g} level; highest mean in {hi['region']} ({f(hi['mean_value'])}), "
                f"lowest in {lo['region']} ({f(lo['mean_value'])}).", ""]
    return out


def section_members(summary: pd.DataFrame, pc: pd.DataFrame) -> list[str]:
    out = ["## 5. Providers by cluster", ""]
    for r in summary.itertuples():
        members = pc.loc[pc["cluster_id"] == r.cluster_id].sort_values(["model_count", "provider_name"],
                                                                     ascending=[False, True])
        names = ", ".join(f"{m.provider_name} ({m.region}, {int(m.model_count)})" for m in members.itertuples())
        out += [f"- **{r.segment_name}** (cluster {int(r.cluster_id)}, {len(members)}): {names}"]
    return out + ["", "_(region, number of models)_", ""]


def section_insights(summary: pd.DataFrame, pc: pd.DataFrame, rc: pd.DataFrame) -> list[str]:
    by = summary.set_index("segment_name")
    dear, cheap = by["avg_price"].idxmax(), by["avg_price"].idxmin()
    fast, smart, big = by["avg_speed"].idxmax(), by["avg_intelligence"].idxmax(), by["provider_share"].idxmax()
    value = (by["avg_intelligence"] / by["avg_price"].where(by["avg_price"] > 0)).dropna()
    out = ["## 6. Insights", "",
           f"- **Most expensive segment:** {dear}, mean {fmt('price', by.at[dear, 'avg_price'])} per 1M tokens"
           + (f", {by.at[dear, 'avg_price'] / by.at[cheap, 'avg_price']:.1f}× the cheapest segment "
              f"({cheap}, {fmt('price', by.at[cheap, 'avg_price'])})." if by.at[cheap, "avg_price"] > 0 else "."),
           f"- **Fastest segment:** {fast}, mean {describe('speed', by.at[fast, 'avg_speed'])} "
           f"({by.at[fast, 'speed_z']:+.1f} sd).",
           f"- **Most capable segment:** {smart}, mean intelligence "
           f"{fmt('intelligence', by.at[smart, 'avg_intelligence'])} "
           f"({by.at[smart, 'intelligence_z']:+.1f} sd)."]
    if len(value):
        best = value.idxmax()
        out.append(f"- **Most intelligence per dollar:** {best}, {value[best]:,.1f} index points per dollar "
                   "of blended price (mean intelligence / mean price per 1M tokens).")
    tied = by.index[by["provider_count"] == by.at[big, "provider_count"]].tolist()
    out.append(f"- **Largest segment:** {big}, {by.at[big, 'provider_share']:.1%} of providers "
               f"({int(by.at[big, 'provider_count'])})." if len(tied) == 1 else
               f"- **Largest segment:** a tie between {', '.join(tied)}, each with "
               f"{int(by.at[big, 'provider_count'])} providers ({by.at[big, 'provider_share']:.1%}).")
    for metric, pick, word in (("intelligence", "idxmax", "highest mean intelligence"),
                               ("price", "idxmin", "lowest mean price")):
        part = rc.loc[rc["metric"] == metric].set_index("region")
        if len(part):
            region = getattr(part["mean_value"], pick)()
            sig = "significant" if bool(part["is_significant"].iloc[0]) else "not significant"
            out.append(f"- **Region with the {word}:** {region} ({fmt(metric, part.at[region, 'mean_value'])}, "
                       f"{int(part.at[region, 'model_count'])} models); the regional difference is {sig} "
                       f"(p = {part['kruskal_p_value'].iloc[0]:.4g}).")
    weak = pc.nsmallest(min(3, len(pc)), "silhouette")
    names = ", ".join(f"{r.provider_name} ({r.silhouette:.2f}, cluster {int(r.cluster_id)})" for r in weak.itertuples())
    n_neg = int((pc["silhouette"] < 0).sum())
    out.append(f"- **Weakest-fitting providers** (lowest silhouette): {names}. "
               + (f"{n_neg} provider(s) have a negative silhouette and sit closer to another cluster."
                  if n_neg else "No provider has a negative silhouette."))
    far = pc.loc[pc["distance_to_centroid"].idxmax()]
    out.append(f"- **Farthest from its centroid:** {far['provider_name']} "
               f"(distance {far['distance_to_centroid']:.2f}, cluster {int(far['cluster_id'])}; "
               f"silhouette {far['silhouette']:.2f}).")
    return out + [""]


def build_markdown(marts: dict[str, pd.DataFrame], figures: dict[str, str], generated: date) -> str:
    """Assemble the full report from the four provider marts."""
    ks, pc = marts["provider_k_selection"], marts["provider_clusters"]
    summary = marts["provider_cluster_summary"].sort_values("cluster_id")
    rc = marts["regional_comparison"]
    row = _chosen(ks)
    head = ["# Provider clustering report", "",
            f"Run `{row['run_id']}` · generated {generated.isoformat()} · {len(pc)} providers "
            f"in {len(summary)} segments (k = {int(row['k'])}, {row['algorithm']}). "
            "Built from the marts provider_clusters, provider_k_selection, provider_cluster_summary "
            "and regional_comparison.", ""]
    body = (section_validation(ks, figures) + section_profiles(summary, figures)
            + section_segments(summary, pc) + section_regional(rc) + section_members(summary, pc)
            + section_insights(summary, pc, rc))
    return "\n".join(head + body)
