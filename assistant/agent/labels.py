"""What a person sees while a tool runs ("reading Sam's last 1:1"): the widget and Slack show
the same words. Argument text is shown as text, never as markup."""
from __future__ import annotations

from typing import Any

_LABELS = {
    "resolve_person": "looking up {person}",
    "team_overview": "checking how your team is doing",
    "list_goals": "looking up {person_s} goals",
    "explain_goal": "checking the goal {goal}",
    "check_goal": "checking how the goal is written",
    "search_checkins": "reading {person_s} 1:1 notes",
    "last_checkin": "reading {person_s} last 1:1",
    "kpi_trend": "looking at {person_s} KPIs",
    "feedback_for": "reading feedback for {person}",
    "review_evidence": "gathering review evidence for {person}",
    "search_guidance": "searching the coaching guidance",
}


def tool_label(name: str, args: dict[str, Any]) -> str:
    """The words shown while tool ``name`` runs with ``args``."""
    person = str(args.get("person") or args.get("name") or args.get("manager") or "").strip()
    if person.lower() in ("", "me", "myself"):
        person_s, person = "your", person or "you"
    else:
        person_s = f"{person}'" if person.endswith("s") else f"{person}'s"
    goal = str(args.get("goal") or "").strip()
    goal = "" if goal.startswith("goal:") else f"'{goal[:60]}'"
    if name == "kpi_trend" and args.get("kpi"):
        return f"looking at the {str(args['kpi'])[:60]} KPI"
    template = _LABELS.get(name, "using " + name.replace("_", " "))
    return " ".join(template.format(person=person, person_s=person_s, goal=goal).split())
