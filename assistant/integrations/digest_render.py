"""The weekly digest written out: plain text, HTML (for email) and Slack mrkdwn, all from one
:class:`~tools.digest.Week` and written by code (no model). Every goal, 1:1 and action item
links to its page in the web app; in plain text the links are numbered and listed at the end."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jinja2

from assistant.integrations.links import ref_url
from tools.analytics.risk import LABELS
from tools.digest import Week

HERE = Path(__file__).resolve().parent


@dataclass
class Links:
    """Numbered links, each record once, in order of first mention."""

    base_url: str
    urls: list[str] = field(default_factory=list)

    def number(self, ref: str) -> int:
        url = ref_url(ref, self.base_url)
        if url not in self.urls:
            self.urls.append(url)
        return self.urls.index(url) + 1

    def url(self, ref: str) -> str:
        return ref_url(ref, self.base_url)


def status(value: str) -> str:
    return LABELS.get(value, value.replace("_", " ").capitalize()).lower()


def subject(week: Week) -> str:
    turned = len(week.turned)
    head = f"{turned} goal{'s' * (turned != 1)} turned at risk" if turned else "no goal turned at risk"
    return f"Coach: your week {week.week}: {head}"


def when(day: dt.date, today: dt.date) -> str:
    days = (day - today).days
    if days == 0:
        return f"{day.isoformat()} (today)"
    return f"{day.isoformat()} (in {days} days)" if days > 0 else f"{day.isoformat()} ({-days} days ago)"


def sections(week: Week, links: Links) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """``(heading, [(line, [refs])])`` per section: the one outline every format renders."""
    out = []
    if week.turned:
        lines = []
        for t in week.turned:
            refs = [f"goal:{t.goal_id}"] + [ref for _, ref in t.reasons]
            text = f"'{t.title}' ({t.owner}): {status(t.status)}, {status(t.was)} a week ago."
            lines.append((text, refs))
            lines += [(f"    {reason}", [ref]) for reason, ref in t.reasons]
        out.append((f"Goals that turned at risk this week ({len(week.turned)})", lines))
    meetings = [(f"Lapsed: {o.name}, " + (f"last held {when(o.last_held, week.today)}." if o.last_held
                                          else "no 1:1 held yet."), [f"person:{o.person_id}"]) for o in week.lapsed]
    meetings += [(f"Due: {o.name}, {'on the calendar for' if o.scheduled else 'about'} {when(o.next_due, week.today)}.",
                  [f"person:{o.person_id}"]) for o in week.due]
    if meetings:
        out.append(("1:1s", meetings))
    actions = [(f"Overdue: \"{a.text}\" ({a.owner}, due {a.due.isoformat()}, {a.overdue_days(week.today)} days "
                f"overdue), from a 1:1 with {a.name}.", [a.ref]) for a in week.overdue_actions]
    actions += [(f"Due: \"{a.text}\" ({a.owner}, due {a.due.isoformat()}), from a 1:1 with {a.name}.", [a.ref])
                for a in week.due_actions]
    if actions:
        out.append(("Open action items", actions))
    if week.questions:
        out.append(("A question for each 1:1", [(f"{q.name}: {q.text}", [q.ref]) for q in week.questions]))
    for _, lines in out:
        for _, refs in lines:
            for ref in refs:
                links.number(ref)
    return out


def greeting(week: Week) -> str:
    first = week.manager.split()[0] if week.manager else "there"
    return f"Hi {first}, here is your team's week to {week.today.isoformat()}."


def footer(base_url: str) -> str:
    return (f"You get this because you manage a team in Coach. To stop it, turn the weekly digest off at "
            f"{base_url}/digest (or in Slack: /coach digest off).")


def render_text(week: Week, base_url: str) -> str:
    links = Links(base_url)
    parts = [greeting(week), ""]
    outline = sections(week, links)
    if not outline:
        parts.append("Nothing needs you this week.")
    for heading, lines in outline:
        parts += [heading, *(f"{'' if text.startswith(' ') else '- '}{text} "
                             + "".join(f"[{links.number(r)}]" for r in dict.fromkeys(refs)) for text, refs in lines), ""]
    if links.urls:
        parts += ["Links", *(f"[{i}] {url}" for i, url in enumerate(links.urls, 1)), ""]
    parts.append(footer(base_url))
    return "\n".join(parts) + "\n"


@cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(HERE), autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)


def render_html(week: Week, base_url: str) -> str:
    links = Links(base_url)
    outline = [(heading, [(text.strip(), text.startswith(" "), [(links.number(r), links.url(r)) for r in dict.fromkeys(refs)])
                          for text, refs in lines]) for heading, lines in sections(week, links)]
    return _templates().get_template("digest.html").render(
        subject=subject(week), greeting=greeting(week), sections=outline, footer=footer(base_url), base_url=base_url)


def _mrkdwn(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_slack(week: Week, base_url: str) -> str:
    """Slack mrkdwn: the same lines, each ending in links to its records."""
    links = Links(base_url)
    parts = [f"*{_mrkdwn(subject(week))}*", _mrkdwn(greeting(week))]
    for heading, lines in sections(week, links):
        parts.append(f"\n*{_mrkdwn(heading)}*")
        for text, refs in lines:
            cited = " ".join(f"<{links.url(r)}|[{links.number(r)}]>" for r in dict.fromkeys(refs))
            parts.append(f"{'      ' if text.startswith(' ') else '• '}{_mrkdwn(text.strip())} {cited}")
    parts.append(f"\n_{_mrkdwn(footer(base_url))}_")
    return "\n".join(parts)
