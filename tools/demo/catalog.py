"""Goal templates per function, the team OKRs, and how quantities are written."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GoalTemplate:
    """A measurable goal. ``title`` may use {b}/{t} (quantities), {tn} (bare number) and {due}."""

    title: str
    short: str  # how a note refers to it: "the ticket backlog"
    metric: str
    unit: str
    direction: str
    baseline: tuple[float, float]
    target: tuple[float, float]
    step: float = 1.0
    why: str | None = None  # the goal's description: why it matters


def T(title, short, metric, unit, direction, b_lo, b_hi, t_lo, t_hi, step=1.0, why=None) -> GoalTemplate:
    return GoalTemplate(title, short, metric, unit, direction, (b_lo, b_hi), (t_lo, t_hi), step, why)


WORK_GOALS: dict[str, tuple[GoalTemplate, ...]] = {
    "support": (
        T("Cut my open-ticket backlog from {b} to {t} by {due}", "the ticket backlog", "open tickets", "tickets", "down", 140, 220, 60, 90),
        T("Raise my CSAT from {b} to {t} by {due}", "CSAT", "CSAT", "%", "up", 84, 88, 92, 94, 0.5),
        T("Bring median first response time down from {b} to {t} by {due}", "first response time", "median first response time", "hours", "down", 6, 9, 3, 4, 0.1),
        T("Publish {tn} help-center articles on top contact reasons by {due}", "the help-center articles", "articles published", "articles", "up", 0, 0, 8, 12),
        T("Lower my ticket reopen rate from {b} to {t} by {due}", "the reopen rate", "reopen rate", "%", "down", 9, 12, 5, 6, 0.1),
    ),
    "sales": (
        T("Build {t} of qualified pipeline by {due}", "qualified pipeline", "qualified pipeline", "$k", "up", 0, 0, 600, 900, 5),
        T("Close {t} of new ARR by {due}", "new ARR", "new ARR closed", "$k", "up", 0, 0, 250, 400, 5),
        T("Lift my win rate from {b} to {t} by {due}", "win rate", "win rate", "%", "up", 18, 24, 27, 30, 0.5),
        T("Book {tn} discovery calls by {due}", "discovery calls", "discovery calls booked", "calls", "up", 0, 0, 60, 90),
        T("Shorten my average sales cycle from {b} to {t} by {due}", "the sales cycle", "average sales cycle", "days", "down", 62, 75, 45, 50),
    ),
    "engineering": (
        T("Reduce p95 latency of the search API from {b} to {t} by {due}", "search API latency", "p95 latency", "ms", "down", 380, 520, 200, 260, 5),
        T("Raise test coverage of the billing service from {b} to {t} by {due}", "billing test coverage", "test coverage", "%", "up", 48, 60, 75, 80),
        T("Cut pull-request review turnaround from {b} to {t} by {due}", "review turnaround", "median PR review turnaround", "hours", "down", 30, 40, 12, 16, 0.5),
        T("Reduce escaped defects from {b} to {t} a month by {due}", "escaped defects", "escaped defects per month", "bugs", "down", 9, 14, 3, 5),
        T("Move {tn} services onto the new deploy pipeline by {due}", "the deploy pipeline migration", "services migrated", "services", "up", 0, 0, 8, 12),
        T("Ship {tn} onboarding milestones by {due}", "the onboarding milestones", "milestones shipped", "milestones", "up", 0, 0, 3, 5),
    ),
    "marketing": (
        T("Generate {tn} MQLs from content by {due}", "content MQLs", "MQLs from content", "leads", "up", 0, 0, 300, 450, 5),
        T("Grow webinar attendance from {b} to {t} per session by {due}", "webinar attendance", "attendees per webinar", "attendees", "up", 80, 120, 180, 220),
        T("Increase organic traffic from {b} to {t} a month by {due}", "organic traffic", "organic visits per month", "k visits", "up", 38, 50, 60, 70, 0.5),
        T("Cut cost per lead on paid social from {b} to {t} by {due}", "cost per lead", "cost per lead", "$", "down", 70, 85, 45, 55, 0.5),
        T("Publish {tn} customer case studies by {due}", "the case studies", "case studies published", "case studies", "up", 0, 0, 4, 6),
    ),
}

DEVELOPMENT_GOALS: tuple[GoalTemplate, ...] = (
    T("Complete the {tn}-module SQL for analysts course by {due}", "the SQL course", "modules completed", "modules", "up", 0, 0, 10, 10,
      why="So that I can pull my own numbers instead of waiting for the data team."),
    T("Mentor a new team member through {tn} onboarding sessions by {due}", "mentoring", "mentoring sessions", "sessions", "up", 0, 0, 8, 8,
      why="To help new hires get productive sooner and to practise coaching before a lead role."),
    T("Give a talk at the company all-hands by {due}", "the all-hands talk", "talks given", "talks", "up", 0, 0, 1, 1,
      why="So that other teams know what we learned this half, and to build presenting confidence."),
    T("Pass the cloud practitioner certification by {due}", "the certification", "exams passed", "exams", "up", 0, 0, 1, 1,
      why="Because more of our customers ask cloud questions we cannot yet answer."),
    T("Run a {tn}-part lunch-and-learn series by {due}", "the lunch-and-learn series", "sessions run", "sessions", "up", 0, 0, 4, 4,
      why="To spread what I know across the team so fewer questions wait on me."),
    T("Shadow the product team for {tn} days by {due}", "product shadowing", "days shadowed", "days", "up", 0, 0, 5, 5,
      why="So that I understand how product decisions are made before moving toward product work."),
)

# Team OKRs: manager key -> (objective, why it matters, key results with fixed numbers).
TEAM_OKRS: dict[str, tuple[str, str, tuple[GoalTemplate, ...]]] = {
    "priya": ("Win and keep mid-market customers this half",
              "Mid-market accounts are our fastest-growing segment and the ones we lose most often.", (
        T("Net revenue retention from {b} to {t} by {due}", "net revenue retention", "net revenue retention", "%", "up", 102, 102, 110, 110, 0.5),
        T("Customer satisfaction from {b} to {t} by {due}", "customer satisfaction", "CSAT across support", "%", "up", 86, 86, 91, 91, 0.5),
    )),
    "marisol": ("Make first-line support faster and more reliable",
                "Slow first replies are the top complaint in churn interviews.", (
        T("Tier 1 backlog down from {b} to {t} by {due}", "the Tier 1 backlog", "open Tier 1 tickets", "tickets", "down", 940, 940, 400, 400),
        T("Tier 1 CSAT up from {b} to {t} by {due}", "Tier 1 CSAT", "Tier 1 CSAT", "%", "up", 85, 85, 92, 92, 0.5),
    )),
    "jordan": ("Resolve complex cases without escalation ping-pong",
               "Customers whose case bounces between tiers are twice as likely to churn.", (
        T("Escalations returned to Tier 1 down from {b} to {t} by {due}", "escalations back to Tier 1", "escalations returned", "%", "down", 12, 12, 5, 5, 0.1),
        T("Median time to resolve down from {b} to {t} by {due}", "time to resolve", "median time to resolve", "days", "down", 4.1, 4.1, 2, 2, 0.1),
    )),
    "kwame": ("Grow mid-market revenue this half",
              "The plan for next year assumes mid-market becomes our largest segment.", (
        T("New mid-market ARR of {t} closed by {due}", "team ARR", "new ARR closed", "$k", "up", 0, 0, 1800, 1800, 5),
        T("Team win rate up from {b} to {t} by {due}", "team win rate", "win rate", "%", "up", 21, 21, 28, 28, 0.5),
    )),
    "ingrid": ("Make the platform boringly reliable",
               "Incidents cost us two enterprise renewals last year.", (
        T("p95 API latency down from {b} to {t} by {due}", "API latency", "p95 API latency", "ms", "down", 410, 410, 250, 250, 5),
        T("On-call pages down from {b} to {t} a week by {due}", "on-call pages", "on-call pages per week", "pages", "down", 18, 18, 5, 5),
    )),
    "rahul": ("Ship the new onboarding experience",
              "Half of new sign-ups never reach their first report.", (
        T("Activation rate up from {b} to {t} by {due}", "activation", "activation rate", "%", "up", 33, 33, 45, 45, 0.5),
        T("{tn} onboarding milestones live in production by {due}", "team milestones", "milestones live", "milestones", "up", 0, 0, 6, 6),
    )),
    "claire": ("Fill the mid-market funnel",
               "Sales needs three times more qualified mid-market leads to hit next year's plan.", (
        T("{tn} MQLs generated by {due}", "team MQLs", "MQLs", "leads", "up", 0, 0, 1800, 1800, 10),
        T("Blended cost per lead down from {b} to {t} by {due}", "blended cost per lead", "cost per lead", "$", "down", 68, 68, 45, 45, 0.5),
    )),
}


def number(value: float) -> str:
    """A number as a person writes it: 410, 6.5, 1,800."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def quantity(value: float, unit: str | None) -> str:
    """A value with its unit: 61%, $750k, 420 ms, 180 tickets."""
    n = number(value)
    if unit == "%":
        return f"{n}%"
    if unit == "$k":
        return f"${n}k"
    if unit == "$":
        return f"${n}"
    if unit == "k visits":
        return f"{n}k visits"
    if unit and value == 1 and unit.endswith("s"):
        unit = unit[:-3] + "y" if unit.endswith("ies") else unit[:-1]
    return f"{n} {unit}" if unit else n


def snap(value: float, step: float) -> float | int:
    """Round to the template's step; whole steps give ints so JSON stays tidy."""
    snapped = round(round(value / step) * step, 2)
    return int(snapped) if step >= 1 else snapped
