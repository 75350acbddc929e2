"""Build small test organisations with the ORM.

``OrgBuilder`` adds records with short keyword calls (dates as ISO strings);
``build_small_org`` makes the org most tool tests use:

    Hana Admin (hr_admin)            Olivia Chen (manager, VP Operations)
                                     |- Ana Ruiz (manager, support)
                                     |  |- Sam Lee      (goals: ticket backlog KR, macro articles)
                                     |  |- Lee Park     (goals: CSAT KR, "Improve onboarding")
                                     |  '- Tom Baker (manager)
                                     |     '- Zoe Kim   (goal: first-contact resolution)
                                     '- Raj Patel (manager, platform)
                                        |- Mia Wong     (goal: deploy time; KPI Deploy time)
                                        '- Sam Ortiz    (goal: build backlog)

The data set's "today" is 2026-09-01 (``TODAY``, also in the meta table). Import with
``from factories import ...`` (pytest puts ``tests/`` on the path).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable

import pytest
from sqlalchemy.orm import Session

from tools.access import load_viewer
from tools.context import ToolContext
from tools.store.models import (
    KPI,
    ActionItem,
    CheckIn,
    Feedback,
    Goal,
    KPIValue,
    Meta,
    Person,
    ProgressUpdate,
)

TODAY = dt.date(2026, 9, 1)


def day(value: str | dt.date | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


class OrgBuilder:
    """Adds records to ``session``; call :meth:`commit` when done."""

    def __init__(self, session: Session):
        self.session = session

    def _add(self, obj):
        self.session.add(obj)
        return obj

    def today(self, when: str) -> None:
        self._add(Meta(key="today", value=when))

    def person(self, id: str, name: str, *, role: str = "employee", manager: str | None = None,
               title: str | None = None, department: str | None = None, email: str | None = None) -> Person:
        email = email or f"{name.split()[0].lower()}.{name.split()[-1].lower()}@example.com"
        return self._add(Person(id=id, name=name, email=email, role=role, manager_id=manager, title=title,
                                department=department))

    def goal(self, id: str, owner: str, title: str, *, start: str | None = None, due: str | None = None,
             **fields: Any) -> Goal:
        return self._add(Goal(id=id, owner_id=owner, title=title, start_date=day(start), due_date=day(due),
                              **fields))

    def update(self, id: str, goal: str, when: str, value: float | None = None, **fields: Any) -> ProgressUpdate:
        return self._add(ProgressUpdate(id=id, goal_id=goal, date=day(when), value=value, **fields))

    def checkin(self, id: str, employee: str, manager: str, when: str, *, status: str = "held", notes: str = "",
                blockers: Iterable[str] = (), goals: Iterable[str] = (),
                actions: Iterable[dict[str, Any]] = ()) -> CheckIn:
        c = CheckIn(id=id, employee_id=employee, manager_id=manager, date=day(when), status=status, notes=notes,
                    blockers=list(blockers))
        c.goals = [self.session.get(Goal, g) for g in goals]
        c.action_items = [ActionItem(position=i, text=a["text"], owner_id=a.get("owner"),
                                     due_date=day(a.get("due")), done=a.get("done", False))
                          for i, a in enumerate(actions)]
        return self._add(c)

    def kpi(self, id: str, name: str, owner: str, *, values: Iterable[tuple[str, float]] = (),
            goals: Iterable[str] = (), **fields: Any) -> KPI:
        k = KPI(id=id, name=name, owner_id=owner, **fields)
        k.goals = [self.session.get(Goal, g) for g in goals]
        k.values = [KPIValue(date=day(d), value=v) for d, v in values]
        return self._add(k)

    def feedback(self, id: str, giver: str, receiver: str, when: str, kind: str, text: str) -> Feedback:
        return self._add(Feedback(id=id, from_id=giver, to_id=receiver, date=day(when), kind=kind, text=text))

    def commit(self) -> None:
        self.session.commit()


def weekly(first: str, values: Iterable[float]) -> list[tuple[str, float]]:
    start = day(first)
    return [((start + dt.timedelta(weeks=i)).isoformat(), v) for i, v in enumerate(values)]


def build_small_org(session: Session) -> None:
    b = OrgBuilder(session)
    b.today(TODAY.isoformat())
    b.person("hana", "Hana Admin", role="hr_admin", title="HR partner", department="people")
    b.person("olivia", "Olivia Chen", role="manager", title="VP Operations", department="operations")
    b.person("ana", "Ana Ruiz", role="manager", manager="olivia", title="Support lead", department="support")
    b.person("sam", "Sam Lee", manager="ana", title="Support agent", department="support")
    b.person("lee", "Lee Park", manager="ana", title="Support agent", department="support")
    b.person("tom", "Tom Baker", role="manager", manager="ana", title="Support team lead", department="support")
    b.person("zoe", "Zoe Kim", manager="tom", title="Support specialist", department="support")
    b.person("raj", "Raj Patel", role="manager", manager="olivia", title="Platform lead", department="platform")
    b.person("mia", "Mia Wong", manager="raj", title="Engineer", department="platform")
    b.person("samo", "Sam Ortiz", manager="raj", title="Engineer", department="platform")
    session.flush()

    q3 = dict(start="2026-07-01", due="2026-09-30")
    b.goal("g-obj", "ana", "Delight support customers", kind="objective",
           description="Customers get fast, friendly answers.", **q3)
    b.goal("g-backlog", "sam", "Cut the ticket backlog", kind="key_result", parent_id="g-obj",
           metric="open tickets", unit="tickets", direction="down", baseline=240, target=80, current=190,
           status="at_risk", confidence=0.4, **q3)
    b.goal("g-csat", "lee", "Raise CSAT to 92%", kind="key_result", parent_id="g-obj", metric="CSAT", unit="%",
           direction="up", baseline=85, target=92, current=90, status="on_track", **q3)
    b.goal("g-macros", "sam", "Publish 12 macro articles for common questions", parent_id="g-obj",
           unit="articles", direction="up", baseline=0, target=12, current=8, **q3)
    b.goal("g-onboard", "lee", "Improve onboarding")
    b.goal("g-aht", "tom", "Cut average handle time to 6 minutes", unit="minutes", direction="down", baseline=9,
           target=6, current=7, description="Faster answers for customers.", **q3)
    b.goal("g-zoe", "zoe", "Resolve 95% of chats on first contact", unit="%", direction="up", baseline=80,
           target=95, current=82, description="Fewer repeat contacts.", **q3)
    b.goal("g-deploy", "mia", "Reduce deploy time from 30 to 10 minutes", unit="minutes", direction="down",
           baseline=30, target=10, current=25, **q3)
    b.goal("g-build", "samo", "Cut the build backlog", unit="jobs", direction="down", baseline=50, target=10,
           current=40, **q3)
    session.flush()

    b.update("u-b1", "g-backlog", "2026-08-01", 205, status="at_risk", confidence=0.5,
             note="Scanner outage slowed triage", author_id="sam")
    b.update("u-b2", "g-backlog", "2026-08-28", 190, status="at_risk",
             note="Backlog down a little; still waiting on the scanner fix", author_id="sam")
    b.update("u-m1", "g-macros", "2026-08-28", 8, author_id="sam")
    b.update("u-c1", "g-csat", "2026-07-20", 88, note="New survey wording live", author_id="lee")
    b.update("u-t1", "g-aht", "2026-08-25", 7, author_id="tom")
    b.update("u-z1", "g-zoe", "2026-08-20", 82, author_id="zoe")
    b.update("u-d1", "g-deploy", "2026-08-15", 25, author_id="mia")

    for i, when in enumerate(["2026-06-02", "2026-06-16", "2026-06-30"], start=1):
        b.checkin(f"c-s{i}", "sam", "ana", when, notes="Weekly sync on queue health.")
    b.checkin("c-s4", "sam", "ana", "2026-07-14", notes="Backlog grew after the scanner outage.",
              blockers=["Scanner outage"], goals=["g-backlog"])
    b.checkin("c-s5", "sam", "ana", "2026-07-28", notes="Triage macros drafted; backlog at 205.",
              goals=["g-backlog", "g-macros"])
    b.checkin("c-s6", "sam", "ana", "2026-08-11", status="missed")
    b.checkin("c-s7", "sam", "ana", "2026-08-25",
              notes="Backlog flat at about 190; the new macros help. Still waiting on the scanner fix from IT.",
              blockers=["Waiting on scanner fix from IT"], goals=["g-backlog"],
              actions=[dict(text="Escalate scanner ticket with IT", owner="ana", due="2026-08-28"),
                       dict(text="Draft two more macro articles", owner="sam", due="2026-09-04"),
                       dict(text="Share backlog numbers in the team channel", owner="sam", done=True)])
    b.checkin("c-l1", "lee", "ana", "2026-06-10", notes="Survey response rate is low.")
    b.checkin("c-l2", "lee", "ana", "2026-06-24", notes="Onboarding buddy idea.")
    b.checkin("c-l3", "lee", "ana", "2026-07-15", notes="CSAT survey wording changed.", goals=["g-csat"])
    b.checkin("c-l4", "lee", "ana", "2026-08-12", status="missed")
    b.checkin("c-l5", "lee", "ana", "2026-08-26", status="cancelled")
    b.checkin("c-t1", "tom", "ana", "2026-08-06", notes="Handle time trending down.")
    b.checkin("c-t2", "tom", "ana", "2026-08-20", notes="Hiring plan on track.")
    b.checkin("c-z1", "zoe", "tom", "2026-08-18", notes="Chat tooling is confusing.",
              blockers=["Chat tool keeps timing out"], goals=["g-zoe"])
    b.checkin("c-a1", "ana", "olivia", "2026-08-15", notes="Support backlog discussed.")
    b.checkin("c-r1", "raj", "olivia", "2026-08-14", notes="Platform roadmap.")
    b.checkin("c-m1", "mia", "raj", "2026-08-20", notes="Build cache work started.",
              blockers=["Waiting on build cache budget"], goals=["g-deploy"])
    b.checkin("c-so1", "samo", "raj", "2026-08-21", notes="Build backlog triage.")

    b.kpi("k-frt", "First response time", "ana", unit="hours", direction="down", scope="team",
          goals=["g-backlog"],
          values=weekly("2026-06-01", [3.9] * 5) + weekly("2026-07-06", [4.1 + 0.2 * i for i in range(9)]))
    b.kpi("k-csat", "CSAT", "lee", unit="%", direction="up", goals=["g-csat"],
          values=weekly("2026-07-06", [85, 86, 86, 87, 88, 60, 88, 89, 90]))
    b.kpi("k-deploy", "Deploy time", "mia", unit="minutes", direction="down", goals=["g-deploy"],
          values=weekly("2026-07-06", [30, 29, 28, 27, 26, 25, 25, 25, 25]))

    b.feedback("f1", "lee", "sam", "2026-02-10", "praise", "Your macro library cut handling time for the whole team.")
    b.feedback("f2", "mia", "sam", "2026-05-05", "peer", "Sam helped debug the scanner integration quickly.")
    b.feedback("f3", "ana", "sam", "2026-08-20", "constructive", "Escalate blockers sooner instead of waiting.")
    b.feedback("f4", "sam", "ana", "2026-08-25", "upward", "Ana gives clear priorities.")
    b.feedback("f5", "sam", "sam", "2026-08-30", "self", "I kept the backlog from growing despite the outage.")
    b.feedback("f6", "tom", "sam", "2026-08-29", "praise", "Great weekend coverage.")
    b.feedback("f7", "raj", "mia", "2026-08-10", "praise", "Deploy pipeline work is excellent.")
    b.commit()


@dataclass
class Passage:
    """A guidance passage as the knowledge base returns it (the attributes tools read)."""

    id: str
    title: str
    section: str
    text: str


class FakeGuidance:
    """Records searches and answers with ``passages`` (default: two fixed ones), or raises ``fail``."""

    def __init__(self, passages: list[Passage] | None = None, fail: Exception | None = None):
        self.calls: list[tuple[str, int]] = []
        self.fail = fail
        self.passages = passages if passages is not None else [
            Passage("reviews#recency", "Writing fair reviews", "Recency bias",
                    "Collect evidence across the whole period. " * 30),
            Passage("grow#goal", "The GROW model", "Goal", "Start by agreeing the goal of the conversation."),
        ]

    def search(self, query: str, k: int = 4) -> list[Passage]:
        self.calls.append((query, k))
        if self.fail:
            raise self.fail
        return self.passages[:k]


@pytest.fixture
def org(session: Session) -> Session:
    """The ``session`` fixture holding :func:`build_small_org` (import it into a test module)."""
    build_small_org(session)
    return session


def context(session: Session, who: str, *, today: dt.date = TODAY, guidance=None) -> ToolContext:
    """A tool context for the person ``who`` (id or email)."""
    return ToolContext(session=session, viewer=load_viewer(session, who), today=today, guidance=guidance)


_MASKS = [  # (table, id column, label column, label prefix, owner-ish column naming the person)
    ("goals", "id", "title", "Masked goal", "owner_id"),
    ("kpis", "id", "name", "Masked KPI", "owner_id"),
    ("checkins", "id", "notes", "Masked notes", "employee_id"),
    ("feedback", "id", "text", "Masked feedback", "to_id"),
]
_REFERENCES = {  # column -> the table whose id it holds
    "people": {"manager_id": "people"},
    "goals": {"owner_id": "people", "parent_id": "goals"},
    "progress_updates": {"goal_id": "goals", "author_id": "people"},
    "checkins": {"employee_id": "people", "manager_id": "people"},
    "action_items": {"checkin_id": "checkins", "owner_id": "people"},
    "checkin_goals": {"checkin_id": "checkins", "goal_id": "goals"},
    "kpis": {"owner_id": "people"},
    "kpi_goals": {"kpi_id": "kpis", "goal_id": "goals"},
    "kpi_values": {"kpi_id": "kpis"},
    "feedback": {"from_id": "people", "to_id": "people"},
}


def mask_outside(session: Session, keep: set[str]) -> None:
    """Replace everyone not in ``keep`` (and their goals, KPIs, 1:1s and feedback received) by
    strangers: new ids, names, titles and text. What a viewer whose reach is ``keep`` sees
    must not change; the access tests compare both worlds. SQLite only."""
    from sqlalchemy import text

    conn = session.connection()
    conn.exec_driver_sql("UPDATE meta SET key = key WHERE 0")  # opens the transaction the pragma lives in
    conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
    ids = {"people": [r[0] for r in conn.exec_driver_sql("SELECT id FROM people") if r[0] not in keep]}
    for table, _, _, _, owner in _MASKS:
        ids[table] = [r[0] for r in conn.exec_driver_sql(f"SELECT id, {owner} FROM {table}") if r[1] not in keep]
    for n, pid in enumerate(ids["people"]):
        conn.execute(text("UPDATE people SET name=:n, email=:e, title='Stranger', department='elsewhere' "
                          "WHERE id=:i"), dict(n=f"Stranger Number{n}", e=f"stranger{n}@elsewhere.invalid", i=pid))
    for table, id_col, label, prefix, _ in _MASKS:
        for n, rid in enumerate(ids[table]):
            conn.execute(text(f"UPDATE {table} SET {label}=:l WHERE {id_col}=:i"), dict(l=f"{prefix} {n}", i=rid))
    for table in ("people", *(m[0] for m in _MASKS)):  # new ids, everywhere they are referenced
        for rid in ids[table]:
            new = f"x-{rid}"
            conn.execute(text(f"UPDATE {table} SET id=:new WHERE id=:old"), dict(new=new, old=rid))
            for other, columns in _REFERENCES.items():
                for column, target in columns.items():
                    if target == table:
                        conn.execute(text(f"UPDATE {other} SET {column}=:new WHERE {column}=:old"),
                                     dict(new=new, old=rid))
    session.commit()
    session.expire_all()
