"""A planted week for the digest tests: which goals turned at risk is known by construction.

Today is Tuesday 2026-09-01; a week earlier is 2026-08-25. Vera Long manages Maya Chen and
Nina Holt. Maya's reports:

- Ben Ortiz: 'Ship the billing export' falls behind pace this week (on track a week ago);
  'Migrate the invoice archive' passes its due date 2026-08-28 short of its target.
- Cleo Ward: 'Cut monthly churn to 3%' gets an open blocker at a 1:1 on 2026-08-28; 'Write the
  support onboarding guide' was behind and stale a week ago and is back on track.
- Dev Rao: 1:1s lapsed long ago, so 'Bring p95 latency under 300 ms' was at risk already.
- Eli Stone: 'Launch the referral programme' is ahead of plan; 'Hire two support engineers'
  turned at risk the week before (2026-08-18 to 2026-08-25), not this one.

Nina's report Omar Diaz: 'Close the Q3 audit findings' gets a blocker on 2026-08-29.
"""
from __future__ import annotations

import datetime as dt

from factories import OrgBuilder

TODAY = dt.date(2026, 9, 1)
TURNED = {"maya": ["g-invoices", "g-export", "g-churn"], "nina": ["g-audit"]}  # the digest's order
TITLES = {
    "g-export": "Ship the billing export", "g-invoices": "Migrate the invoice archive",
    "g-churn": "Cut monthly churn to 3%", "g-guide": "Write the support onboarding guide",
    "g-latency": "Bring p95 latency under 300 ms", "g-referral": "Launch the referral programme",
    "g-hiring": "Hire two support engineers", "g-audit": "Close the Q3 audit findings",
}
REGULAR = ("2026-07-07", "2026-07-21", "2026-08-04", "2026-08-18")


def build_digest_org(session) -> None:
    b = OrgBuilder(session)
    b.today(TODAY.isoformat())
    b.person("vera", "Vera Long", role="manager", title="Head of Customer")
    b.person("maya", "Maya Chen", role="manager", manager="vera", title="Support manager")
    b.person("nina", "Nina Holt", role="manager", manager="vera", title="Finance manager")
    for pid, name in (("ben", "Ben Ortiz"), ("cleo", "Cleo Ward"), ("dev", "Dev Rao"), ("eli", "Eli Stone")):
        b.person(pid, name, manager="maya", title="Support engineer")
    b.person("omar", "Omar Diaz", manager="nina", title="Accountant")
    session.flush()

    q3 = dict(start="2026-07-01", due="2026-09-30")
    b.goal("g-export", "ben", TITLES["g-export"], unit="%", direction="up", baseline=0, target=100, current=55, **q3)
    b.goal("g-invoices", "ben", TITLES["g-invoices"], unit="batches", direction="up", baseline=0, target=10,
           current=9, start="2026-07-01", due="2026-08-28")
    b.goal("g-churn", "cleo", TITLES["g-churn"], unit="%", direction="down", baseline=5, target=3, current=3.8, **q3)
    b.goal("g-guide", "cleo", TITLES["g-guide"], unit="chapters", direction="up", baseline=0, target=10, current=7, **q3)
    b.goal("g-latency", "dev", TITLES["g-latency"], unit="ms", direction="down", baseline=600, target=300,
           current=450, **q3)
    b.goal("g-referral", "eli", TITLES["g-referral"], unit="%", direction="up", baseline=0, target=100, current=75,
           **q3)
    b.goal("g-hiring", "eli", TITLES["g-hiring"], unit="hires", direction="up", baseline=0, target=2, current=1, **q3)
    b.goal("g-audit", "omar", TITLES["g-audit"], unit="findings", direction="up", baseline=0, target=20, current=13,
           **q3)
    session.flush()

    for goal, values in (("g-export", (25, 45, 55)), ("g-invoices", (4, 7, 9)), ("g-churn", (4.6, 4.3, 3.8)),
                         ("g-latency", (520, 480, 450)), ("g-referral", (30, 55, 75)), ("g-hiring", (0, 1, 1)),
                         ("g-audit", (5, 9, 13))):
        for i, (when, value) in enumerate(zip(("2026-07-20", "2026-08-10", "2026-08-24"), values)):
            b.update(f"u-{goal}-{i}", goal, when, value)
    b.update("u-guide-1", "g-guide", "2026-07-20", 3)
    b.update("u-guide-2", "g-guide", "2026-08-27", 7)

    for pid, boss in (("ben", "maya"), ("cleo", "maya"), ("eli", "maya"), ("omar", "nina")):
        for i, when in enumerate(REGULAR):
            b.checkin(f"c-{pid}-{i}", pid, boss, when, notes="Weekly sync.")
    b.checkin("c-dev-0", "dev", "maya", "2026-07-14", notes="Latency work planned.")
    b.checkin("c-cleo-late", "cleo", "maya", "2026-08-28", notes="Churn numbers are stuck.",
              blockers=["Billing data feed is broken"], goals=["g-churn"])
    b.checkin("c-omar-late", "omar", "nina", "2026-08-29", notes="Audit follow-up.",
              blockers=["Waiting on the auditors' sample list"], goals=["g-audit"])
    b.checkin("c-ben-4", "ben", "maya", "2026-08-25", notes="Export and archive status.", actions=[
        dict(text="Send the export spec to finance", owner="ben", due="2026-08-26"),
        dict(text="Book a pairing session with the data team", owner="maya", due="2026-09-03"),
        dict(text="Share the dashboard with support", owner="ben", due="2026-09-20"),
        dict(text="Tidy the release notes", owner="ben", due="2026-08-20", done=True),
    ])
    b.commit()
