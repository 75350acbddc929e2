"""Server-rendered pages: content from the data core, escaping, and reach (403 with no data)."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from test_web_support import as_ana, as_raj, as_sam, seeded_sqlite, signed_in, web  # noqa: F401  (fixtures)
from tools.store.drafts import Draft
from tools.store.models import CheckIn, Feedback, Goal


def text_of(page: str) -> str:
    """The page's visible text, roughly: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    end = page.find("</section>", start)
    return page[start:end]


def test_dashboard_ranks_who_needs_attention_and_lists_lapsed_one_on_ones(as_ana):
    page = as_ana.client.get("/").text
    attention = text_of(section(page, "attention-h"))
    assert attention.index("Lee Park") < attention.index("Sam Lee")
    assert "score 4: 0 off track, 2 at risk, 1:1s lapsed" in attention
    assert "score 3: 1 off track, 0 at risk" in attention
    assert "Tom Baker" not in attention
    lapsed = text_of(section(page, "lapsed-h"))
    assert "Lee Park : last held 2026-07-15 (48 days ago, usually every 18 days)" in lapsed
    assert "Sam Lee" not in lapsed


def test_dashboard_shows_each_reports_goals_with_reasons_and_kpi_sparklines(as_ana):
    page = as_ana.client.get("/").text
    sam = text_of(page[page.index('id="report-sam"'):page.index('id="report-tom"')])
    assert "Off track Cut the ticket backlog Behind pace by 37 points: 31% done against 68% expected" in sam
    lee = page[page.index('id="report-lee"'):page.index('id="report-sam"')]
    assert 'aria-label="CSAT: 9 values from 2026-07-06 (85%) to 2026-08-31 (90%), low 60%, high 90%."' in lee
    assert lee.count("<circle") == 1  # a sparkline marks only its latest value
    team = section(page, "teamkpi-h")
    assert "First response time" in team and 'id="kpi-k-frt"' in team


def test_skip_level_managers_see_a_sub_teams_dashboard(web):
    olivia = signed_in(web, "olivia")
    page = olivia.client.get("/?manager=ana").text
    assert "Ana Ruiz&#39;s team" in page and 'id="report-sam"' in page


def test_employees_land_on_their_own_page(as_sam):
    response = as_sam.client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/people/sam"


def test_person_page_has_goals_with_progress_bars_kpi_charts_timeline_and_feedback(as_ana):
    page = as_ana.client.get("/people/sam").text
    assert 'aria-label="31% of the way to target; 68% expected by now"' in page
    assert 'class="bar-fill s-off_track" width="31.2"' in page
    timeline = page[page.index('id="timeline"'):page.index('id="feedback-h"')]
    assert timeline.index("2026-08-25") < timeline.index("2026-07-14")  # newest first
    checkin = text_of(timeline[timeline.index('id="checkin-c-s7"'):timeline.index('id="checkin-c-s6"')])
    assert "Blockers: Waiting on scanner fix from IT" in checkin
    assert "Escalate scanner ticket with IT Ana Ruiz, due 2026-08-28" in checkin
    assert "✓ done: Share backlog numbers in the team channel" in checkin
    feedback = text_of(page[page.index('id="feedback-h"'):])
    assert "2026-08-29 · praise · from Tom Baker Great weekend coverage." in feedback
    kpis = section(page, "kpis-h")
    assert 'id="kpi-k-frt"' in kpis and "First response time" in kpis


def test_upward_feedback_stays_anonymous_on_the_managers_page(web):
    olivia = signed_in(web, "olivia")
    page = text_of(olivia.client.get("/people/ana").text)
    assert "upward · from a report (anonymous upward feedback) Ana gives clear priorities." in page


def test_goal_page_shows_the_cited_evidence_and_asks_coach_why(as_ana):
    page = as_ana.client.get("/goals/g-backlog").text
    assert 'data-coach-ask="Why is Sam Lee&#39;s goal off track? Goal: goal:g-backlog"' in page
    evidence = page[page.index('class="evidence"'):]
    assert 'href="/records/goal/g-backlog"' in evidence
    assert 'href="/records/update/u-b2"' in evidence
    assert 'id="update-u-b2"' in page and 'id="kpi-k-frt"' in page


def test_objective_page_lists_its_key_results(as_ana):
    krs = text_of(section(as_ana.client.get("/goals/g-obj").text, "krs-h"))
    assert "Cut the ticket backlog" in krs and "Raise CSAT to 92%" in krs


@pytest.mark.parametrize("kind, rid, target", [
    ("goal", "g-backlog", "/goals/g-backlog"),
    ("update", "u-b1", "/goals/g-backlog#update-u-b1"),
    ("checkin", "c-s7", "/people/sam#checkin-c-s7"),
    ("kpi", "k-csat", "/people/lee#kpi-k-csat"),
    ("feedback", "f3", "/people/sam#feedback-f3"),
    ("person", "tom", "/people/tom"),
    ("guide", "smart-goals%23measurable", "/guidance/smart-goals%23measurable"),
])
def test_citations_lead_to_the_records_page(as_ana, kind, rid, target):
    response = as_ana.client.get(f"/records/{kind}/{rid}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == target


def test_guidance_passages_render(as_ana):
    from urllib.parse import quote

    from knowledge.corpus import load_corpus

    passage = load_corpus()[0]
    page = as_ana.client.get(f"/guidance/{quote(passage.id, safe='')}")
    assert page.status_code == 200 and html.escape(passage.section, quote=True) in page.text
    assert as_ana.client.get("/guidance/no-such#thing").status_code == 404


def test_markup_in_notes_feedback_and_titles_is_shown_as_text(web, as_ana):
    with web.state.web.runtime.sessions() as session:
        session.get(CheckIn, "c-s7").notes = "Backlog <script>alert(1)</script> flat."
        session.get(Feedback, "f6").text = '<img src=x onerror="alert(2)"> coverage'
        session.get(Goal, "g-macros").title = "Macros <b onclick=alert(3)>now</b>"
        session.commit()
    for path in ("/people/sam", "/", "/goals/g-macros"):
        page = as_ana.client.get(path).text
        assert "<script>alert(1)" not in page and "<img src=x" not in page and "<b onclick" not in page
    person = as_ana.client.get("/people/sam").text
    assert "Backlog &lt;script&gt;alert(1)&lt;/script&gt; flat." in person
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt; coverage" in person
    assert "Macros &lt;b onclick=alert(3)&gt;now&lt;/b&gt;" in as_ana.client.get("/").text


OTHER_TEAM_PAGES = ["/people/sam", "/people/sam/prep", "/people/sam/review", "/goals/g-backlog", "/goals/g-obj",
                    "/?manager=ana", "/records/person/sam", "/records/goal/g-csat", "/records/update/u-b1",
                    "/records/checkin/c-s7", "/records/kpi/k-csat", "/records/feedback/f1", "/people/nobody",
                    "/goals/nothing", "/records/checkin/nothing", "/records/bogus/x"]
OTHER_TEAM_FORMS = ["/people/sam/prep", "/people/sam/prep/draft", "/people/sam/review/draft",
                    "/people/sam/review/check", "/people/sam/review"]


@pytest.mark.parametrize("path", OTHER_TEAM_PAGES)
def test_another_teams_pages_are_403_without_data(as_raj, path):
    response = as_raj.client.get(path, follow_redirects=False)
    assert response.status_code == 403
    body = text_of(response.text)
    assert "outside your reporting chain, or does not exist" in body
    for leak in ("Sam Lee", "backlog", "scanner", "CSAT", "Ana Ruiz"):
        assert leak not in body


@pytest.mark.parametrize("path", OTHER_TEAM_FORMS)
def test_another_teams_forms_are_403_and_write_nothing(web, as_raj, path):
    response = as_raj.form(path, {"text": "Sam is great.", "start": "2026-03-01", "end": "2026-09-01"})
    assert response.status_code == 403 and "Sam Lee" not in response.text
    with web.state.web.runtime.sessions() as session:
        assert session.scalars(select(Draft)).all() == []


def test_employees_cannot_open_a_colleagues_page(as_sam):
    assert as_sam.client.get("/people/lee").status_code == 403
    assert as_sam.client.get("/people/sam").status_code == 200


def test_prep_drafts_with_coach_and_saves_versions(web, as_ana):
    drafted = as_ana.form("/people/sam/prep/draft")
    assert drafted.status_code == 200
    text = html.unescape(re.search(r'<textarea[^>]*>(.*?)</textarea>', drafted.text, re.S).group(1))
    assert "Agenda:\n1. Goal progress: 'Cut the ticket backlog' (off track)" in text
    assert '2. Blocker: "Waiting on scanner fix from IT" - ask Sam what would unblock it.' in text
    assert "[1]" not in text  # citation markers stay out of the editable draft
    assert 'href="/records/goal/g-backlog"' in drafted.text  # the records it drew on are listed
    for n, edit in enumerate(("First take.", "Second take: ask about the scanner."), 1):
        saved = as_ana.form("/people/sam/prep", {"text": edit})
        assert saved.status_code == 303 and saved.headers["location"] == f"/people/sam/prep?saved={n}"
    page = as_ana.client.get("/people/sam/prep?saved=2").text
    assert "Saved as draft note version 2." in page
    assert re.search(r"<textarea[^>]*>Second take: ask about the scanner.</textarea>", page)
    assert "Version 1, saved" in page and "Version 2, saved" in page


def test_review_draft_bias_check_and_versions(web, as_ana):
    period = {"start": "2026-03-01", "end": "2026-09-01"}
    drafted = as_ana.form("/people/sam/review/draft", period)
    assert "Review evidence for Sam Lee" in html.unescape(drafted.text)
    text = "Sam is abrasive in meetings. He cut the backlog from 240 to 190 tickets by August."
    checked = as_ana.form("/people/sam/review/check", {**period, "text": text})
    bias = checked.text[checked.text.index('id="bias"'):]
    assert '<mark id="m2" title="finding 1">abrasive<sup><a href="#finding-1">1</a></sup></mark>' in bias
    assert "personality" in bias and "Suggestion:" in bias
    assert "Suggested rewrites from Coach" in bias
    first = as_ana.form("/people/sam/review", {**period, "text": text})
    second = as_ana.form("/people/sam/review", {**period, "text": text.replace("abrasive", "direct")})
    with web.state.web.runtime.sessions() as session:
        drafts = session.scalars(select(Draft).order_by(Draft.id)).all()
    assert [(d.version, d.author_id, d.subject_id, d.kind) for d in drafts] == [(1, "ana", "sam", "review"),
                                                                                 (2, "ana", "sam", "review")]
    assert second.headers["location"] == f"/people/sam/review?version={drafts[1].id}"
    old = as_ana.client.get(first.headers["location"]).text
    assert "Sam is abrasive in meetings." in old and "(version 1)" in old
    listing = section(as_ana.client.get("/people/sam/review?start=2026-03-01&end=2026-09-01").text, "saved-h")
    assert "Version 1" in listing and "Version 2" in listing


def test_a_saved_review_is_private_to_its_author(web, as_ana):
    as_ana.form("/people/sam/review", {"start": "2026-03-01", "end": "2026-09-01", "text": "Private words."})
    with web.state.web.runtime.sessions() as session:
        draft_id = session.scalars(select(Draft.id)).one()
    olivia = signed_in(web, "olivia")  # can see Sam, but the draft is Ana's
    page = olivia.client.get(f"/people/sam/review?version={draft_id}")
    assert page.status_code == 200 and "Private words." not in page.text


def test_a_backwards_review_period_is_explained(as_ana):
    page = as_ana.client.get("/people/sam/review?start=2026-09-01&end=2026-03-01")
    assert page.status_code == 400
    assert "The period ends (2026-03-01) before it starts (2026-09-01)." in html.unescape(page.text)


def test_a_sparkline_keeps_every_point_but_only_its_last_dot():
    import datetime as dt

    from web.charts import chart, sparkline

    series = [(dt.date(2026, 1, 1) + dt.timedelta(days=7 * i), float(v)) for i, v in enumerate([3, 5, 4, 8])]
    spark, full = sparkline(series, name="NPS"), chart(series, name="NPS", unit="pts")
    assert len(spark.points.split()) == 4 and len(spark.dots) == 1
    assert spark.dots[0].label == "2026-01-22: 8" and (spark.dots[0].x, spark.dots[0].y) == (117.0, 3.0)
    assert [d.label for d in full.dots][:2] == ["2026-01-01: 3 pts", "2026-01-08: 5 pts"]
