"""Writes one 1:1 note from sentence banks, in the manager's own style.

A note is a handful of sections (progress, wins, blockers, workload, growth, other), each
filled from the banks with the report's real goal numbers, then laid out as prose, a
labelled list or a plain dashed list. Planted situations add their own sentences (a Beat).
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from tools.demo.goals import GoalPlan, confidence_for
from tools.demo.phrases import common, work
from tools.demo.roster import Member
from tools.demo.timeline import TODAY, iso, pretty

SECTIONS = ("progress", "wins", "blockers", "people", "growth", "other")


@dataclass
class Beat:
    """What a planted situation adds to (or changes in) one 1:1."""

    sentences: list[tuple[str, str]] = field(default_factory=list)  # (section, text)
    blockers: list[str] = field(default_factory=list)
    actions: list[tuple[str, str, int]] = field(default_factory=list)  # (text, "employee"|"manager", due in days)
    upbeat: bool = True  # may the note carry ordinary wins, praise and stretch talk?
    focus_main: bool = False  # always talk about the report's main goal
    replace: str | None = None  # the whole note, written by the situation
    status: str | None = None  # force "missed" / "cancelled" / "held"


@dataclass
class Meeting:
    rng: random.Random
    employee: Member
    manager: Member
    day: dt.date
    previous_day: dt.date | None
    goals: list[GoalPlan]
    peers: list[str]
    carried: list[dict[str, Any]]  # the previous 1:1's action items
    beat: Beat


def placeholders(m: Meeting) -> dict[str, str]:
    rng, dept = m.rng, m.employee.department
    return {
        "name": m.employee.first, "mgr": m.manager.first, **m.employee.words(),
        "peer": rng.choice(m.peers), "n": str(rng.randint(3, 12)),
        "day": rng.choice(common.WEEKDAYS), "customer": rng.choice(work.CUSTOMERS),
        "area": rng.choice(work.AREAS.get(dept, work.AREAS["leadership"])),
    }


def write_note(m: Meeting, person_id: dict[str, str]) -> dict[str, Any]:
    """The check-in fields a note produces: notes, blockers, goal_ids, action_items."""
    rng, words, beat = m.rng, placeholders(m), m.beat
    if beat.replace is not None:
        actions = [_action(m, text, owner, days, person_id) for text, owner, days in beat.actions]
        return {"notes": beat.replace.format_map(words), "blockers": list(beat.blockers),
                "goal_ids": [], "action_items": actions}

    sections: dict[str, list[str]] = {s: [] for s in SECTIONS}
    goal_ids = _progress(m, words, sections["progress"])
    dept = m.employee.department
    if beat.upbeat and rng.random() < 0.6:
        sections["wins"] += [w.format_map(words) for w in rng.sample(work.WINS[dept], rng.choice((1, 1, 2)))]
    blockers = list(beat.blockers)
    if not blockers and rng.random() < 0.3:
        label, sentence = rng.choice(work.BLOCKERS[dept])
        blockers.append(label)
        sections["blockers"].append(sentence.format_map(words))
    for section, text in beat.sentences:
        sections[section].append(text.format_map(words))
    for section, bank, chance in (("people", common.WORKLOAD, 0.4), ("growth", common.CAREER, 0.25),
                                  ("other", common.FEEDBACK_GIVEN, 0.2)):
        if rng.random() < chance and (beat.upbeat or section == "people"):
            sections[section].append(rng.choice(bank).format_map(words))
    for item in m.carried[:2]:
        if rng.random() < 0.5:
            bank = common.FOLLOW_UP_DONE if item["done"] else common.FOLLOW_UP_OPEN
            sections["other"].append(rng.choice(bank).format_map(words | {"item": item["text"]}))

    actions = [_action(m, text, owner, days, person_id) for text, owner, days in beat.actions]
    wanted = rng.choice((1, 1, 2, 2, 3)) if beat.upbeat else 1  # a hard week: one small step
    for _ in range(wanted - len(actions)):
        if beat.upbeat and rng.random() < 0.3:
            text, owner = rng.choice(work.MANAGER_ACTIONS), "manager"
        else:
            text, owner = rng.choice(work.ACTIONS[dept]), "employee"
        actions.append(_action(m, text.format_map(words), owner, rng.choice((3, 4, 7, 7, 10, 14)), person_id))
    actions = list({a["text"]: a for a in actions}.values())  # no item twice in one note

    opening = rng.choice(common.OPENINGS).format_map(words) if rng.random() < 0.7 else None
    closing = rng.choice(common.CLOSINGS).format_map(words) if rng.random() < 0.3 else None
    style = m.manager.note_style if rng.random() < 0.8 else rng.choice(("prose", "labelled", "dashed"))
    todo = _todo_lines(m, actions, person_id[m.employee.key])
    text = LAYOUTS[style](rng, sections, opening, closing, todo)
    return {"notes": text, "blockers": blockers, "goal_ids": goal_ids, "action_items": actions}


def _progress(m: Meeting, words: dict[str, str], out: list[str]) -> list[str]:
    """One or two sentences on the report's measurable goals, with their numbers that day."""
    rng = m.rng
    active = [g for g in m.goals if g.measurable and g.record["start_date"] <= iso(m.day)]
    chosen = rng.sample(active, min(len(active), rng.choice((1, 1, 2))))
    if m.beat.focus_main and active and active[0] not in chosen:
        chosen = [active[0], *chosen[1:]]
    for plan in chosen:
        gw = plan.words(m.day, m.previous_day)
        extra = {"health": rng.choice(common.HEALTH[gw["status"]]),
                 "confidence": str(round(confidence_for(rng, gw["status"]) * 10))}
        templates = [t for t in common.PROGRESS if gw["previous"] != gw["value"] or "{previous}" not in t]
        out.append(_cap(rng.choice(templates).format_map(words | gw | extra)))
    return [p.id for p in chosen]


def _cap(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _action(m: Meeting, text: str, owner: str, days: int, person_id: dict[str, str]) -> dict[str, Any]:
    due = m.day + dt.timedelta(days=days)
    done = due < TODAY and m.rng.random() < 0.8
    who = m.employee if owner == "employee" else m.manager
    return {"text": text, "owner_id": person_id[who.key], "due_date": iso(due), "done": done}


def _todo_lines(m: Meeting, actions: list[dict[str, Any]], employee_id: str) -> list[str]:
    """'Send the proposal (Owen, by 3 Nov)' for each action item."""
    def who(a):
        return m.employee.first if a["owner_id"] == employee_id else m.manager.first

    return [f"{a['text']} ({who(a)}, by {pretty(dt.date.fromisoformat(a['due_date']))})" for a in actions]


def _prose(rng, sections, opening, closing, todo) -> str:
    body = [s for name in SECTIONS for s in sections[name]]
    if len(body) > 2 and rng.random() < 0.4:
        head, tail = body[:1], body[1:]
        rng.shuffle(tail)
        body = head + tail
    sentences = ([opening] if opening else []) + body + ([closing] if closing else [])
    cut = rng.randint(2, 4)
    paragraphs = [" ".join(sentences[:cut])] + ([" ".join(sentences[cut:])] if sentences[cut:] else [])
    if todo:
        lead = rng.choice(("Actions:", "Agreed:", "Next steps:", "To do:"))
        paragraphs.append(f"{lead} " + "; ".join(todo) + ".")
    return "\n\n".join(p for p in paragraphs if p)


def _labelled(rng, sections, opening, closing, todo) -> str:
    lines = [opening] if opening else []
    for name in SECTIONS:
        items = sections[name]
        if not items:
            continue
        heading = rng.choice(common.HEADINGS[name])
        if len(items) == 1 and rng.random() < 0.6:
            lines.append(f"{heading}: {items[0]}")
        else:
            lines += [f"{heading}:"] + [f"- {s}" for s in items]
    if todo:
        lines += [f"{rng.choice(common.HEADINGS['actions'])}:"] + [f"- {t}" for t in todo]
    if closing:
        lines.append(closing)
    return "\n".join(lines)


def _dashed(rng, sections, opening, closing, todo) -> str:
    body = [s for name in SECTIONS for s in sections[name]]
    if rng.random() < 0.5:
        rng.shuffle(body)
    lines = ([opening] if opening else []) + [f"- {s}" for s in body]
    lines += [f"- TODO {t}" for t in todo]
    if closing:
        lines.append(closing)
    return "\n".join(lines)


LAYOUTS = {"prose": _prose, "labelled": _labelled, "dashed": _dashed}


def write_skipped(m: Meeting, status: str) -> dict[str, Any]:
    bank = common.MISSED if status == "missed" else common.CANCELLED
    return {"notes": m.rng.choice(bank).format_map(placeholders(m)), "blockers": [], "goal_ids": [],
            "action_items": []}
