"""KPI tool: trends of a named KPI or of a person's KPIs, summarised in words and numbers."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select

from tools.access import ToolError
from tools.analytics.trend import kpi_trend as summarise
from tools.context import ToolContext
from tools.store.models import KPI, Goal, KPIValue, kpi_goals
from tools.resolve import CANDIDATE_LIMIT, best_matches, find_kpis, find_person, visible_names
from tools.results import Fact, ToolResult

MAX_KPIS = 5
MAX_WEEKS = 104


def _persons_kpis(ctx: ToolContext, owner_id: str) -> list:
    """KPIs (rows) the person owns, then KPIs linked to their goals (owners in reach), by name."""
    conn = ctx.session.connection()
    owned = conn.execute(select(KPI.__table__).where(KPI.owner_id == owner_id)).all()
    linked = conn.execute(
        select(KPI.__table__).join(kpi_goals, kpi_goals.c.kpi_id == KPI.id).join(Goal, Goal.id == kpi_goals.c.goal_id)
        .where(Goal.owner_id == owner_id).distinct()
    ).all()
    seen = {k.id for k in owned}
    extra = [k for k in linked if k.id not in seen and ctx.can_see(k.owner_id)]
    return sorted(owned, key=lambda k: (k.name.lower(), k.id)) + sorted(extra, key=lambda k: (k.name.lower(), k.id))


def kpi_trend(ctx: ToolContext, kpi: str = "", person: str = "", weeks: int = 26) -> ToolResult:
    """Summarise how a KPI has moved: improving or worsening against its good direction, first and last value with dates, change and % change, slope per week, and any outlier. Use it for "how is <KPI> trending?" or a person's or team's KPIs.

    Args:
        kpi: words from the KPI's name, e.g. "first response time"; empty means all of the person's KPIs.
        person: optional name or email: the KPI owner, or whose goals the KPI is linked to.
        weeks: how many weeks back from today to look, 1 to 104 (default 26).
    """
    if not kpi.strip() and not person.strip():
        raise ToolError("Name a KPI (words from its name) or a person whose KPIs to show.")
    if not 1 <= weeks <= MAX_WEEKS:
        raise ToolError(f"weeks must be between 1 and {MAX_WEEKS}, not {weeks}.")
    owner = find_person(ctx, person) if person.strip() else None
    if owner is not None:
        kpis = _persons_kpis(ctx, owner.id)
        if kpi.strip():
            kpis = best_matches(kpi, kpis, lambda k: k.name)
    else:
        kpis = find_kpis(ctx, kpi)
    if not kpis:
        whose = f" for {owner.name}" if owner else ""
        what = f" matching {kpi.strip()!r}" if kpi.strip() else ""
        raise ToolError(f"No KPI{what}{whose} in your reach.")
    shown = kpis[:MAX_KPIS]
    since = ctx.today - dt.timedelta(weeks=weeks)
    series: dict[str, list[tuple[dt.date, float]]] = defaultdict(list)
    for kid, day, value in ctx.session.execute(
        select(KPIValue.kpi_id, KPIValue.date, KPIValue.value)
        .where(KPIValue.kpi_id.in_([k.id for k in shown]), KPIValue.date >= since, KPIValue.date <= ctx.today)
    ):
        series[kid].append((day, value))
    owners = visible_names(ctx, {k.owner_id for k in shown})
    facts, data = [], []
    for k in shown:
        t = summarise(k.name, series[k.id], good_direction=k.direction, unit=k.unit)
        scope = f"team KPI of {owners[k.owner_id]}'s team" if k.scope == "team" else f"KPI of {owners[k.owner_id]}"
        good = "higher" if k.direction == "up" else "lower"
        facts.append(Fact(f"kpi:{k.id}", f"{t.text} ({scope}; {good} is better; {t.count} values in "
                                         f"the last {weeks} weeks.)", t.last_date))
        data.append({"id": k.id, "name": k.name, "verdict": t.verdict, "first": t.first_value, "last": t.last_value,
                     "change": t.change, "pct_change": t.pct_change, "slope_per_week": t.slope_per_week})
    capped = "+" if len(kpis) >= CANDIDATE_LIMIT else ""
    more = (f" ({len(kpis) - len(shown)}{capped} more not shown; narrow by name or person)"
            if len(kpis) > len(shown) else "")
    summary = "; ".join(f"{d['name']}: {d['verdict']}" for d in data) + more + "."
    return ToolResult(summary, facts, {"kpis": data, "weeks": weeks})
