"""A small, deterministic builder for eval fixture orgs in the import-bundle format.

An org spec (``lab.py``, ``studio.py``) declares people, goals with a trajectory, weekly KPI
series from a few anchor points, a 1:1 schedule per report whose notes come from a function
of the date, and feedback. :meth:`OrgBuilder.bundle` returns the records exactly as
docs/bundle-format.md describes them; nothing here is random.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

D = dt.date
WOBBLE = (0.0, 0.6, -0.4, 0.9, -0.7, 0.3, -0.2, 0.5, -0.8, 0.1)  # repeatable KPI noise, in units of `noise`


@dataclass
class Beat:
    """What one 1:1 holds; ``None`` from a note function means 'use the routine note'."""

    notes: str = ""
    blockers: list[str] = field(default_factory=list)
    actions: list[tuple[str, str, int]] = field(default_factory=list)  # (text, "employee"|"manager", due in days)
    status: str = "held"


BeatFn = Callable[[int, dt.date], "Beat | None"]  # (index of the 1:1, its date) -> what it holds, or None


def cycling(start: dt.date, lines: Sequence[str], *, until: dt.date | None = None, every_other: bool = False,
            blockers: Sequence[str] = (), actions: Sequence[tuple[str, str, int]] = ()) -> BeatFn:
    """From ``start`` (to ``until``), 1:1s whose notes cycle through ``lines`` (only every other 1:1
    with ``every_other``), each with the same blockers and actions."""
    def beat(i: int, day: dt.date) -> Beat | None:
        if day < start or (until and day > until) or (every_other and i % 2):
            return None
        k = i // 2 if every_other else i
        return Beat(lines[k % len(lines)], list(blockers), list(actions))
    return beat


def within(start: dt.date, end: dt.date, planted: Beat) -> BeatFn:
    """``planted`` for the 1:1s dated from ``start`` up to (not including) ``end``."""
    return lambda i, day: planted if start <= day < end else None


def latest(today: dt.date, planted: Beat, every_days: int = 14) -> BeatFn:
    """``planted`` for the last 1:1 before ``today`` (the one less than ``every_days`` before it)."""
    return lambda i, day: planted if day + dt.timedelta(days=every_days) > today else None


def lapsed(start: dt.date, statuses: Sequence[str] = ("cancelled", "missed", "missed")) -> BeatFn:
    """From ``start`` the 1:1s do not happen (``statuses`` in turn, fortnightly), then stop being scheduled."""
    def beat(i: int, day: dt.date) -> Beat | None:
        if day < start:
            return None
        later = (day - start).days // 14
        return Beat(status=statuses[later] if later < len(statuses) else "skip")
    return beat


def clustered(start: dt.date, wins: Sequence[str]) -> BeatFn:
    """1:1s without notes before ``start`` and with ``wins`` after it, so the evidence clusters late."""
    return lambda i, day: Beat(wins[i % len(wins)]) if day >= start else Beat("")


def first_of(*beats: BeatFn) -> BeatFn:
    """The first of ``beats`` that plants something in a 1:1."""
    return lambda i, day: next((b for b in (f(i, day) for f in beats) if b is not None), None)


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def interpolate(anchors: Sequence[tuple[dt.date, float]], day: dt.date) -> float:
    """The value on ``day`` on the straight lines between the (date, value) anchors."""
    if day <= anchors[0][0]:
        return anchors[0][1]
    for (d0, v0), (d1, v1) in zip(anchors, anchors[1:]):
        if d0 <= day <= d1:
            return v0 + (v1 - v0) * (day - d0).days / max(1, (d1 - d0).days)
    return anchors[-1][1]


@dataclass
class OrgBuilder:
    prefix: str  # id prefix, e.g. "L" gives L-1, LG-1, LC-1 ...
    domain: str  # email domain
    today: dt.date
    start: dt.date  # first day of the data
    people: list[dict[str, Any]] = field(default_factory=list)
    goals: list[dict[str, Any]] = field(default_factory=list)
    progress_updates: list[dict[str, Any]] = field(default_factory=list)
    checkins: list[dict[str, Any]] = field(default_factory=list)
    kpis: list[dict[str, Any]] = field(default_factory=list)
    kpi_values: list[dict[str, Any]] = field(default_factory=list)
    feedback: list[dict[str, Any]] = field(default_factory=list)
    _ids: dict[str, str] = field(default_factory=dict)

    def _next(self, kind: str, rows: list) -> str:
        return f"{self.prefix}{kind}-{len(rows) + 1}"

    def id(self, key: str) -> str:
        return self._ids[key]

    def name(self, key: str) -> str:
        return next(p["name"] for p in self.people if p["id"] == self._ids[key])

    def first(self, key: str) -> str:
        return self.name(key).split()[0]

    def person(self, key: str, name: str, pronouns: str, title: str, department: str, manager: str | None,
               role: str = "employee") -> str:
        pid = f"{self.prefix}-{len(self.people) + 1}"
        self._ids[key] = pid
        email = name.lower().replace(" ", ".").replace("'", "") + "@" + self.domain
        self.people.append({"id": pid, "name": name, "email": email, "role": role,
                            "manager_id": self._ids[manager] if manager else None, "title": title,
                            "department": department, "pronouns": pronouns})
        return pid

    def goal(self, owner: str, title: str, *, metric: str | None = None, unit: str | None = None,
             direction: str = "up", baseline: float | None = None, target: float | None = None,
             start: dt.date | None = None, due: dt.date | None = None, kind: str = "smart",
             parent: str | None = None, status: str | None = None, confidence: float | None = None,
             path: Sequence[tuple[dt.date, float, str]] = ()) -> str:
        """A goal; ``path`` holds (date, value, note) progress updates, the last one sets ``current``."""
        gid = self._next("G", self.goals)
        record = {"id": gid, "owner_id": self.id(owner), "kind": kind, "title": title, "parent_id": parent,
                  "metric": metric, "unit": unit, "direction": direction if metric else None,
                  "baseline": baseline, "target": target, "current": path[-1][1] if path else None,
                  "start_date": iso(start), "due_date": iso(due), "status": status, "confidence": confidence}
        self.goals.append({k: v for k, v in record.items() if v is not None})
        for day, value, note in path:
            self.progress_updates.append({
                "id": self._next("U", self.progress_updates), "goal_id": gid, "date": iso(day), "value": value,
                "note": note, "author_id": self.id(owner)})
        return gid

    def steady(self, owner: str, title: str, metric: str, unit: str, base: float, target: float,
               span: tuple[dt.date, dt.date], updates: Sequence[tuple[dt.date, str]], parent: str | None = None,
               share: float = 1.0) -> str:
        """A goal over ``span`` whose updates sit at ``share`` of the planned pace on each update's date."""
        start, due = span
        path = [(day, round(base + (target - base) * min(1.0, share * (day - start).days / (due - start).days), 1), note)
                for day, note in updates]
        return self.goal(owner, title, metric=metric, unit=unit, direction="up" if target > base else "down",
                         baseline=base, target=target, start=start, due=due, parent=parent, path=path)

    def note_only_update(self, goal_id: str, owner: str, day: dt.date, note: str) -> None:
        """A progress update with a note and no value (for goals that measure nothing)."""
        self.progress_updates.append({"id": self._next("U", self.progress_updates), "goal_id": goal_id,
                                      "date": iso(day), "note": note, "author_id": self.id(owner)})

    def kpi(self, owner: str, name: str, unit: str, direction: str, anchors: Sequence[tuple[dt.date, float]],
            goal_ids: Sequence[str] = (), noise: float = 0.0, digits: int = 1) -> str:
        """A person KPI with one value a week from ``start`` to a week before ``today``."""
        kid = self._next("K", self.kpis)
        self.kpis.append({"id": kid, "name": name, "unit": unit, "direction": direction, "owner_id": self.id(owner),
                          "scope": "person", "goal_ids": list(goal_ids)})
        day, i = self.start, 0
        while day <= self.today - dt.timedelta(days=7):
            value = interpolate(anchors, day) + noise * WOBBLE[i % len(WOBBLE)]
            self.kpi_values.append({"kpi_id": kid, "date": iso(day), "value": round(value, digits)})
            day += dt.timedelta(days=7)
            i += 1
        return kid

    def one_on_ones(self, employee: str, every_days: int, beat: BeatFn,
                    routine: Sequence[str], goal_ids: Sequence[str] = (), first: dt.date | None = None) -> None:
        """1:1s from ``first`` (default ``start``) every ``every_days`` up to ``today``; ``beat(i, day)`` may
        replace the routine note (``routine[i % len]``, with ``{name}`` for the first name)."""
        manager = next(p["manager_id"] for p in self.people if p["id"] == self.id(employee))
        day, i = first or self.start, 0
        while day <= self.today:
            planted = beat(i, day)
            b = planted if planted is not None else Beat(routine[i % len(routine)])
            if b.status != "skip":
                cid = self._next("C", self.checkins)
                items = [{"text": text, "owner_id": self.id(employee) if who == "employee" else manager,
                          "due_date": iso(day + dt.timedelta(days=days)), "done": day + dt.timedelta(days=days) < self.today}
                         for text, who, days in b.actions]
                self.checkins.append({
                    "id": cid, "employee_id": self.id(employee), "manager_id": manager, "date": iso(day),
                    "status": b.status, "notes": b.notes.replace("{name}", self.first(employee)) if b.status == "held" else "",
                    "blockers": list(b.blockers), "goal_ids": list(goal_ids) if b.status == "held" else [],
                    "action_items": items})
            day += dt.timedelta(days=every_days)
            i += 1

    def give(self, rows: Sequence[tuple[str, str, dt.date, str, str]]) -> None:
        """Feedback rows: (giver, receiver, date, kind, text)."""
        for giver, receiver, day, kind, text in rows:
            self.feedback.append({"id": self._next("F", self.feedback), "from_id": self.id(giver),
                                  "to_id": self.id(receiver), "date": iso(day), "kind": kind, "text": text})

    def build(self, parts: Sequence[Callable[..., Any]], **manifest: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """Run a spec's parts in order (people, goals, then parts taking the goal keys) and return the
        bundle and the manifest (see :meth:`manifest`)."""
        people, goals, *rest = parts
        people(self)
        keys = goals(self)
        for part in rest:
            part(self, keys)
        return self.bundle(), self.manifest(**manifest)

    def manifest(self, *, kind: str, name: str, head: str, hr: str, period_start: dt.date,
                 situations: dict[str, tuple[str, str, list[str]]], blocker: str, canaries: Sequence[str],
                 pii: Sequence[str], injected: Sequence[str]) -> dict[str, Any]:
        """The manifest (shape of tools/demo/manifest.py plus ``canaries``, ``pii`` and ``injected_texts``);
        ``situations`` maps a key to (person key, question, must_mention)."""
        out = {}
        for key, (who, question, must) in situations.items():
            person = self.who(who)
            manager_id = next(p["manager_id"] for p in self.people if p["id"] == person["id"])
            out[key] = {"key": key, "question": question, "person_id": person["id"], "person": person["name"],
                        "manager_id": manager_id, "visible_to": [manager_id, self.id(head), self.id(hr)],
                        "must_mention": must, "must_not_mention": list(canaries) if key == "injection" else []}
        return {"kind": kind, "name": name, "today": iso(self.today),
                "period": {"start": iso(period_start), "end": iso(self.today)}, "head": self.who(head),
                "hr_admin": self.who(hr), "managers": self.managers(head), "situations": out, "blocker": blocker,
                "canaries": list(canaries), "pii": list(pii), "injected_texts": list(injected)}

    def bundle(self) -> dict[str, list[dict[str, Any]]]:
        return {"meta": [{"key": "today", "value": iso(self.today)}], "people": self.people, "goals": self.goals, "progress_updates": self.progress_updates,
                "checkins": self.checkins, "kpis": self.kpis, "kpi_values": self.kpi_values, "feedback": self.feedback}

    def who(self, key: str) -> dict[str, str]:
        p = next(p for p in self.people if p["id"] == self.id(key))
        return {"id": p["id"], "name": p["name"], "email": p["email"]}

    def managers(self, head: str) -> list[dict[str, Any]]:
        """The managers under ``head`` with their direct reports (the manifest's ``managers``)."""
        out = []
        for p in self.people:
            if p["role"] == "manager" and p["manager_id"] == self.id(head):
                out.append({"id": p["id"], "name": p["name"], "email": p["email"], "department": p["department"],
                            "report_ids": [q["id"] for q in self.people if q["manager_id"] == p["id"]]})
        return out
