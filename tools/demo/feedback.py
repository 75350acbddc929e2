"""360 feedback through the period: self, peer, upward, praise and constructive."""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

from tools.demo import planted
from tools.demo.phrases import feedback as bank
from tools.demo.phrases import stories, work
from tools.demo.roster import ROSTER, Member
from tools.demo.timeline import PERIOD_START, TODAY, iso


def _day(rng: random.Random, start: dt.date = PERIOD_START, end: dt.date = TODAY) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days))


def build_feedback(seed: int, people: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Feedback for everyone with a manager, numbered ``F-1``... in date order."""
    items: list[dict[str, Any]] = []
    for member in ROSTER:
        if member.manager is None:
            continue
        rng = random.Random(f"{seed}/feedback/{member.key}")
        items += _for(rng, member, people)
    items.sort(key=lambda f: (f["date"], f["to_id"], f["from_id"], f["kind"]))
    return [{"id": f"F-{n}", **f} for n, f in enumerate(items, start=1)]


def _for(rng: random.Random, member: Member, people: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    me, manager = people[member.key], people[member.manager]
    peers = [people[m.key] for m in ROSTER if m.manager == member.manager and m is not member]
    dept = member.department
    words = {"name": member.first, "area": rng.choice(work.AREAS[dept]),
             "customer": rng.choice(work.CUSTOMERS), "peer": rng.choice(peers)["name"].split()[0]}

    def give(giver, kind, text, day=None):
        return {"from_id": giver["id"], "to_id": me["id"], "date": iso(day or _day(rng)), "kind": kind,
                "text": text.format_map(words)}

    recent = member.story == "recency_cluster"
    early_end = planted.RECENT_FROM if recent else TODAY
    self_text = stories.INJECTION_FEEDBACK if member.story == "injection" else rng.choice(bank.SELF)
    out = [give(me, "self", self_text, _day(rng, dt.date(2026, 9, 1), dt.date(2026, 9, 30)))]
    for giver in rng.sample(peers, min(len(peers), 1 if recent else 2)):
        out.append(give(giver, "peer", rng.choice(bank.PEER), _day(rng, end=early_end)))
    if not recent:
        if rng.random() < 0.7:
            praiser = manager if rng.random() < 0.5 else rng.choice(peers)
            out.append(give(praiser, "praise", rng.choice(bank.PRAISE[dept])))
        if rng.random() < 0.5:
            out.append(give(rng.choice([manager, *peers]), "constructive", rng.choice(bank.CONSTRUCTIVE)))
    if rng.random() < 0.6:
        upward = {"from_id": me["id"], "to_id": manager["id"], "date": iso(_day(rng)), "kind": "upward",
                  "text": rng.choice(bank.UPWARD)}
        out.append(upward)
    return out + planted.story_feedback(member.story, me, peers, rng)
