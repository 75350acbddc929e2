"""``generate_scale``: a large synthetic org for benchmarks (short templated text, same bundle format).

Per person: 3 goals, 2 progress updates per measurable goal, 20 check-ins (everyone with a
manager), 2 weekly KPIs over 26 weeks and about 3 feedback items. The hierarchy is
head -> directors -> team managers (8 to 50 reports; the first has exactly 50) -> staff.
"""
from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from tools.demo.timeline import HALF_END, HALF_START, PERIOD_START, TODAY, week_mondays

FIRST = ("Ada", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hugo", "Iris", "Jon", "Kai", "Lia", "Max", "Nia",
         "Omar", "Pia", "Quinn", "Rosa", "Saul", "Tara", "Uma", "Vic", "Wen", "Xavi", "Yara", "Zane")
LAST = ("Abbott", "Baker", "Cruz", "Diaz", "Ekwu", "Ford", "Garcia", "Holt", "Ito", "Jones", "Khan", "Lopez",
        "Moss", "Nakamura", "Olsen", "Park", "Quist", "Reid", "Singh", "Torres", "Ueda", "Vance", "Wong", "Young")
DEPARTMENTS = ("support", "sales", "engineering", "marketing")
METRICS = (("open tickets", "tickets", "down", 200, 80), ("CSAT", "%", "up", 84, 92),
           ("qualified pipeline", "$k", "up", 0, 600), ("p95 latency", "ms", "down", 450, 250),
           ("MQLs", "leads", "up", 0, 300), ("test coverage", "%", "up", 55, 80))
NOTES = ("Went through {g}: {v} against a target of {t}.", "Short 1:1. {g} at {v}; aiming for {t}.",
         "{g} is {s}; {v} now, {t} by year end.", "Mostly workload and priorities. {g}: {v}.",
         "Career chat, then numbers: {g} sits at {v}.")
BLOCKERS = ("Waiting on another team", "Tooling migration delayed", "Unclear priorities", "Short-staffed")
FEEDBACK = {"peer": "Reliable teammate; shares work early.", "self": "Solid half; want more ownership.",
            "praise": "Great job on the launch work.", "constructive": "Flag risks earlier, please.",
            "upward": "Clear priorities; more context on decisions would help."}
STATUSES = ("on_track", "on_track", "on_track", "at_risk", "off_track")
MAX_SPAN, FOCUS_SPAN, DIRECTOR_SPAN = 50, 50, 10
CHECKINS_PER_PERSON, CHECKIN_EVERY = 20, 9


class ScaleBundle(dict):
    """A bundle (a plain dict of lists) that also records who to benchmark.

    ``focus_manager_id``: the team manager with exactly 50 direct reports.
    """

    focus_manager_id: str
    today: dt.date


def minimum_employees() -> int:
    return 2 + 1 + 1 + FOCUS_SPAN  # head, hr, one director, the focus manager and their team


def generate_scale(employees: int = 10_000, seed: int = 1) -> ScaleBundle:
    """A synthetic org of ``employees`` people in total (at least 54)."""
    if employees < minimum_employees():
        raise ValueError(f"employees must be at least {minimum_employees()} (got {employees})")
    rng = random.Random(f"scale/{seed}")
    people, focus = _hierarchy(rng, employees)
    bundle = ScaleBundle(people=people)
    bundle.focus_manager_id, bundle.today = focus, TODAY
    goals, updates, main_goal = _goals(rng, people)
    bundle.update(goals=goals, progress_updates=updates)
    bundle["checkins"] = _checkins(rng, people, main_goal)
    bundle["kpis"], bundle["kpi_values"] = _kpis(rng, people, main_goal)
    bundle["feedback"] = _feedback(rng, people)
    return bundle


def _spans(rng: random.Random, budget: int) -> tuple[list[int], int]:
    """Team sizes (the first exactly 50) fitting ``budget`` people with their managers and directors,
    and how many people are left over (they report to the last director as staff)."""
    spans: list[int] = []
    while True:
        size = FOCUS_SPAN if not spans else rng.randint(8, MAX_SPAN)
        teams = len(spans) + 1
        if teams + math.ceil(teams / DIRECTOR_SPAN) + sum(spans) + size > budget:
            break
        spans.append(size)
    spare = budget - len(spans) - math.ceil(len(spans) / DIRECTOR_SPAN) - sum(spans)
    for i in range(1, len(spans)):  # fill the other teams up, never the focus team
        add = min(spare, MAX_SPAN - spans[i])
        spans[i] += add
        spare -= add
    return spans, spare


def _hierarchy(rng: random.Random, n: int) -> tuple[list[dict[str, Any]], str]:
    spans, staff = _spans(rng, n - 2)
    directors = math.ceil(len(spans) / DIRECTOR_SPAN)
    people: list[dict[str, Any]] = []

    def add(role, manager_id, title, dept):
        i = len(people) + 1
        first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
        pid = f"p{i}"
        people.append({"id": pid, "name": f"{first} {last}", "email": f"{first}.{last}.{i}@scale.demo.coach".lower(),
                       "role": role, "manager_id": manager_id, "title": title, "department": dept,
                       "pronouns": ("she/her", "he/him", "they/them")[i % 3]})
        return pid

    head = add("manager", None, "Chief operating officer", "leadership")
    add("hr_admin", None, "HR business partner", "people")
    director_ids = [add("manager", head, "Director", DEPARTMENTS[d % 4]) for d in range(directors)]
    managers = [add("manager", director_ids[t // DIRECTOR_SPAN], "Team manager", DEPARTMENTS[t // DIRECTOR_SPAN % 4])
                for t in range(len(spans))]
    for t, (manager_id, span) in enumerate(zip(managers, spans)):
        for _ in range(span):
            add("employee", manager_id, "Specialist", DEPARTMENTS[t // DIRECTOR_SPAN % 4])
    for _ in range(staff):
        add("employee", director_ids[-1], "Staff specialist", DEPARTMENTS[(directors - 1) % 4])
    return people, managers[0]


def _goals(rng: random.Random, people):
    goals: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    objective: dict[str, str] = {}
    main: dict[str, dict[str, Any]] = {}
    start, due = HALF_START.isoformat(), HALF_END.isoformat()
    update_days = ((dt.date(2026, 8, 3) - HALF_START).days, (dt.date(2026, 10, 26) - HALF_START).days)
    update_dates = [(HALF_START + dt.timedelta(days=d)).isoformat() for d in update_days]
    shares = [d / (HALF_END - HALF_START).days for d in update_days]
    for p in people:
        if p["role"] == "hr_admin":
            continue
        pid = p["id"]
        parent = objective.get(p["manager_id"])
        own = []
        if p["role"] == "manager":
            gid = f"g{len(goals) + 1}"
            objective[pid] = gid
            goals.append({"id": gid, "owner_id": pid, "kind": "objective", "title": f"{p['department'].title()} H2 objective",
                          "start_date": start, "due_date": due, "status": "on_track", "confidence": 0.7,
                          **({"parent_id": parent} if parent else {})})
            kinds = (("key_result", gid), ("key_result", gid))
        else:
            kinds = (("smart", parent), ("smart", parent))
        for kind, parent_id in (*kinds, ("smart", None))[: 2 if p["role"] == "manager" else 3]:
            metric, unit, direction, base, target = METRICS[rng.randrange(len(METRICS))]
            pace = rng.choice((1.0, 0.95, 0.9, 0.6, 0.25))
            gid = f"g{len(goals) + 1}"
            values = [round(base + (target - base) * pace * s, 1) for s in shares]
            status = "on_track" if pace > 0.85 else ("at_risk" if pace > 0.5 else "off_track")
            goal = {"id": gid, "owner_id": pid, "kind": kind, "title": f"Move {metric} from {base} to {target}",
                    "metric": metric, "unit": unit, "direction": direction, "baseline": base, "target": target,
                    "current": values[-1], "start_date": start, "due_date": due, "status": status,
                    "confidence": round(pace * 0.8, 2)}
            if parent_id:
                goal["parent_id"] = parent_id
            goals.append(goal)
            own.append(goal)
            for day, value in zip(update_dates, values):
                updates.append({"id": f"u{len(updates) + 1}", "goal_id": gid, "date": day, "value": value,
                                "status": status, "author_id": pid})
        main[pid] = own[0]
    return goals, updates, main


def _checkins(rng: random.Random, people, main_goal) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    days = [(PERIOD_START + dt.timedelta(days=d)).isoformat() for d in range(CHECKINS_PER_PERSON * CHECKIN_EVERY + 9)]
    statuses = ("held",) * 18 + ("missed", "cancelled")
    for p in people:
        manager_id = p["manager_id"]
        if manager_id is None:
            continue
        goal = main_goal.get(p["id"])
        offset = int(p["id"][1:]) % CHECKIN_EVERY
        for k in range(CHECKINS_PER_PERSON):
            day = days[offset + k * CHECKIN_EVERY]
            status = statuses[rng.randrange(20)]
            held = status == "held"
            notes, goal_ids, blockers, actions = "", [], [], []
            if held and goal:
                notes = NOTES[rng.randrange(len(NOTES))].format(g=goal["metric"], v=goal["current"], t=goal["target"],
                                                                s=goal["status"].replace("_", " "))
                goal_ids = [goal["id"]]
                if rng.random() < 0.2:
                    blockers = [BLOCKERS[rng.randrange(len(BLOCKERS))]]
                if rng.random() < 0.5:
                    actions = [{"text": "Follow up on the blocker" if blockers else "Share the weekly numbers",
                                "owner_id": p["id"], "due_date": days[offset + k * CHECKIN_EVERY + 7], "done": k < 18}]
            out.append({"id": f"c{len(out) + 1}", "employee_id": p["id"], "manager_id": manager_id, "date": day,
                        "status": status, "notes": notes, "blockers": blockers, "goal_ids": goal_ids,
                        "action_items": actions})
    return out


def _kpis(rng: random.Random, people, main_goal):
    kpis: list[dict[str, Any]] = []
    values: list[dict[str, Any]] = []
    weeks = [d.isoformat() for d in week_mondays()]
    for p in people:
        goal = main_goal.get(p["id"])
        if goal is None:
            continue
        for n, (name, unit, direction) in enumerate((("Throughput", "items", "up"), ("Quality score", "%", "up"))):
            kid = f"k{len(kpis) + 1}"
            kpis.append({"id": kid, "name": name, "unit": unit, "direction": direction, "owner_id": p["id"],
                         "scope": "team" if p["role"] == "manager" and n == 0 else "person",
                         "goal_ids": [goal["id"]] if n == 0 else []})
            level, slope = 50 + 40 * rng.random(), rng.uniform(-0.5, 0.8)
            values += [{"kpi_id": kid, "date": day, "value": round(level + slope * i + 4 * rng.random(), 1)}
                       for i, day in enumerate(weeks)]
    return kpis, values


def _feedback(rng: random.Random, people) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    span = (TODAY - PERIOD_START).days
    days = [(PERIOD_START + dt.timedelta(days=d)).isoformat() for d in range(span)]
    by_manager: dict[str, list[str]] = {}
    for p in people:
        if p["manager_id"]:
            by_manager.setdefault(p["manager_id"], []).append(p["id"])
    for p in people:
        manager_id = p["manager_id"]
        if manager_id is None:
            continue
        team = by_manager[manager_id]
        peer = team[rng.randrange(len(team))]
        given = [("self", p["id"], p["id"]), ("upward", p["id"], manager_id),
                 (rng.choice(("praise", "constructive")), manager_id, p["id"])]
        if peer != p["id"]:
            given.append(("peer", peer, p["id"]))
        for kind, src, dst in given:
            out.append({"id": f"f{len(out) + 1}", "from_id": src, "to_id": dst, "date": days[rng.randrange(span)],
                        "kind": kind, "text": FEEDBACK[kind]})
    return out
