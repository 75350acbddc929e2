"""Writes of KPI values: one value per KPI and date, entered by the KPI's owner or the chain above them."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tools import policy
from tools.context import ToolContext
from tools.errors import OutOfReach
from tools.store.models import KPI, KPIValue
from tools.writes.trail import log


def kpi_or_deny(ctx: ToolContext, kpi_id: str) -> KPI:
    kpi = ctx.session.get(KPI, kpi_id)
    if kpi is None or not ctx.can_see(kpi.owner_id):
        raise OutOfReach("No such KPI in your reach.")
    return kpi


def _value(ctx: ToolContext, kpi: KPI, day: dt.date) -> KPIValue | None:
    return ctx.session.scalar(select(KPIValue).where(KPIValue.kpi_id == kpi.id, KPIValue.date == day))


def set_kpi_value(ctx: ToolContext, kpi_id: str, day: dt.date, value: float) -> KPIValue:
    """Set the KPI's value for ``day`` (an existing value for that date is replaced)."""
    kpi = kpi_or_deny(ctx, kpi_id)
    policy.may_write_kpi_value(ctx, kpi)
    row = _value(ctx, kpi, day)
    before = None if row is None else {"date": day.isoformat(), "value": row.value}
    if row is None:
        row = KPIValue(kpi_id=kpi.id, date=day, value=value)
        ctx.session.add(row)
    else:
        row.value = value
    ctx.session.flush()
    log(ctx, "create" if before is None else "update", "kpi_value", f"{kpi.id}@{day.isoformat()}", kpi.owner_id,
        before, {"date": day.isoformat(), "value": value})
    return row


def delete_kpi_value(ctx: ToolContext, kpi_id: str, day: dt.date) -> None:
    kpi = kpi_or_deny(ctx, kpi_id)
    policy.may_write_kpi_value(ctx, kpi)
    row = _value(ctx, kpi, day)
    if row is None:
        raise OutOfReach(f"No value of this KPI on {day.isoformat()}.")
    before = {"date": day.isoformat(), "value": row.value}
    ctx.session.delete(row)
    ctx.session.flush()
    log(ctx, "delete", "kpi_value", f"{kpi.id}@{day.isoformat()}", kpi.owner_id, before, None)
