"""What each function talks about: wins, blockers, action items and areas of ownership.

Extra placeholders: {customer} a customer account, {n} a small number.
Each blocker is (label for the check-in's ``blockers`` list, sentence for the note).
"""
from __future__ import annotations

CUSTOMERS = (
    "Harlow Foods", "Brightline Dental", "Oakridge Logistics", "Pellucid Labs", "Northwind Travel",
    "Marlow & Finch", "Quayside Health", "Tessellate", "Greyfield Council", "Solent Marine",
    "Kestrel Analytics", "Juniper Schools", "Altamira Hotels", "Copperleaf Bank",
)

WINS = {
    "support": (
        "{name} cleared the refund escalations from {customer} in two days.",
        "The macro {they} wrote for password resets is now used by the whole team.",
        "{customer} sent a thank-you note naming {name} directly.",
        "Handled the outage queue on {day} calmly; no ticket breached SLA.",
        "{name} spotted a billing bug pattern and got engineering to fix it.",
        "{They} onboarded {peer} onto the chat channel and it went smoothly.",
        "Closed {n} long-running tickets that had been stuck for weeks.",
        "The help-center article on invoices cut those contacts noticeably.",
        "{name} ran the weekend cover without a single escalation.",
        "Good QA score this week; reviewers called out the tone of {their} replies.",
        "{They} rewrote the triage checklist and {peer} already uses it.",
    ),
    "sales": (
        "{name} signed the renewal with {customer}, with an upsell on seats.",
        "Got a second meeting with the CFO at {customer}.",
        "{They} turned a lost deal at {customer} back into a live opportunity.",
        "Booked {n} discovery calls from the webinar list.",
        "{name}'s demo for {customer} was the best I have seen this quarter.",
        "Closed the pilot at {customer} a week ahead of forecast.",
        "{They} shared a pricing objection playbook the team now uses.",
        "The outbound sequence {name} rewrote doubled the reply rate.",
        "{name} helped {peer} rescue the {customer} proposal.",
        "Pipeline review went well; every deal had a clear next step.",
        "{They} got legal to agree the {customer} redlines in one round.",
    ),
    "engineering": (
        "{name} shipped the retry logic for the payments webhook.",
        "The flaky integration tests are finally green; {they} tracked down the race.",
        "{They} led the incident review on {day} and the write-up was excellent.",
        "Cut the build time by {n} minutes with the cache change.",
        "{name} paired with {peer} on the schema migration; went in without downtime.",
        "The feature flag cleanup removed {n} dead flags.",
        "{name}'s design doc for the queue rewrite got approved with few comments.",
        "Dashboards for the new service are live, thanks to {name}.",
        "{They} fixed the memory leak in the export worker.",
        "Released the onboarding checklist step to all new sign-ups.",
        "{name} reviewed {n} pull requests this week, thoughtful comments throughout.",
    ),
    "marketing": (
        "The {customer} case study went live and is already getting shares.",
        "{name}'s webinar drew the biggest audience of the year.",
        "Landing page test: the new headline lifted sign-ups.",
        "{They} shipped the nurture email sequence on time.",
        "The newsletter open rate jumped after {name}'s subject-line test.",
        "{name} got {customer} to agree to a joint blog post.",
        "Paid social spend rebalanced; cost per lead came down this week.",
        "{They} delivered the event booth design two days early.",
        "{name} turned the product launch notes into a crisp one-pager.",
        "SEO refresh of {n} old articles is done.",
        "{They} coordinated the partner announcement with {peer} smoothly.",
    ),
}

BLOCKERS = {
    "support": (
        ("Waiting on billing team for refund approvals", "Refund approvals from the billing team take days; tickets sit waiting."),
        ("Knowledge base search is poor", "{name} keeps losing time because the knowledge base search misses obvious articles."),
        ("Chat volume spikes on Mondays", "Monday chat spikes swamp the queue; {name} cannot get to email tickets."),
        ("Unclear escalation path for enterprise accounts", "Nobody is sure who owns enterprise escalations, so {name} ends up chasing."),
        ("Macros out of date after pricing change", "Half the macros still quote the old pricing."),
    ),
    "sales": (
        ("Legal review of contract redlines is slow", "Legal review is the bottleneck; two contracts waited over a week."),
        ("CRM data for inherited accounts is messy", "The inherited accounts have messy CRM data; {name} is cleaning it by hand."),
        ("Security questionnaire backlog", "Security questionnaires are piling up and stalling late-stage deals."),
        ("No pricing approval for multi-year discounts", "{name} needs a pricing decision on multi-year discounts."),
        ("Demo environment unstable", "The demo environment fell over twice during customer calls."),
    ),
    "engineering": (
        ("Waiting on staging database upgrade", "Staging database upgrade keeps slipping, so {name} cannot test the migration."),
        ("Flaky end-to-end tests block merges", "Flaky end-to-end tests block merges most afternoons."),
        ("Unclear ownership of the auth service", "Nobody owns the auth service, and {their} change needs a reviewer there."),
        ("Too many interrupts from on-call", "On-call interrupts are eating the sprint."),
        ("Design sign-off pending from product", "Waiting for product to sign off the design before building."),
    ),
    "marketing": (
        ("Waiting on product screenshots for launch", "Launch assets are stuck until product provides final screenshots."),
        ("Legal approval for customer quotes", "Customer quotes need legal approval and that takes a week."),
        ("Analytics tracking broken on landing pages", "Tracking broke on two landing pages, so results are guesswork."),
        ("Agency turnaround is slow", "The design agency's turnaround is slow; drafts come back late."),
        ("Budget for paid campaigns not confirmed", "Paid budget for next month is still not confirmed."),
    ),
}

ACTIONS = {
    "support": (
        "Draft a macro for the new invoice questions",
        "Review the escalation path with Tier 2",
        "Pair with {peer} on chat triage",
        "Update the help-center article on refunds",
        "Share the weekend cover notes with the team",
        "Tag all billing-bug tickets for engineering",
        "Book a session with the billing team about approvals",
        "Audit the macros that mention old pricing",
    ),
    "sales": (
        "Send the {customer} proposal",
        "Update close dates in the CRM",
        "Prepare the {customer} QBR deck",
        "Ask legal for a redline turnaround date",
        "Share the objection playbook in the team channel",
        "Follow up on the security questionnaire for {customer}",
        "Plan outreach to the webinar attendees",
        "Review the discount policy with finance",
    ),
    "engineering": (
        "Write up the incident timeline",
        "Open a ticket for the staging upgrade",
        "Review {peer}'s pull request on the queue worker",
        "Draft the design doc for the export rewrite",
        "Add alerts for the new service",
        "Book time with the auth service team",
        "Split the migration into smaller pull requests",
        "Update the runbook for on-call",
    ),
    "marketing": (
        "Send the case study draft to {customer}",
        "Brief the agency on the booth design",
        "Fix tracking on the pricing landing page",
        "Draft the newsletter for next week",
        "Plan the next webinar topic with {peer}",
        "Share the campaign results with sales",
        "Ask product for launch screenshots",
        "Write the Q1 content calendar",
    ),
}

MANAGER_ACTIONS = (
    "Raise the blocker at the leads meeting",
    "Find budget for the course",
    "Introduce {name} to the team lead in {area}",
    "Write down what the next level means here",
    "Ask the director about headcount",
    "Check the rota for next month",
)

AREAS = {
    "support": ("the knowledge base", "chat support", "onboarding new agents", "quality reviews", "the macro library"),
    "sales": ("the partner channel", "enterprise deals", "sales enablement", "the outbound playbook", "renewals"),
    "engineering": ("the deploy pipeline", "observability", "the payments service", "developer tooling", "the API"),
    "marketing": ("webinars", "SEO", "customer stories", "lifecycle email", "events"),
    "leadership": ("hiring", "planning", "cross-team projects", "budgeting", "the operating review"),
}
