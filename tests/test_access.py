"""Access control, proven for every tool in the registry and for the CLI views.

For each viewer, the same calls run in two worlds: the small test org, and the same org
with everyone outside the viewer's reach replaced by strangers (new ids, names, titles and
text). Every outcome, whether a result or an error message, must be identical: what lies
outside the reach can neither be seen nor be told apart from nothing. The outputs must also
never name an outsider or cite one of their records.
"""
from __future__ import annotations

import inspect
import json
from dataclasses import dataclass, field

import pytest
from click.testing import CliRunner

from assistant.cli import build_cli
from factories import TODAY, FakeGuidance, build_small_org, context, mask_outside
from tools import access, resolve
from tools.access import OutOfReach, Reach, ToolError, load_viewer, reach
from tools.registry import TOOLS, get_tool
from tools.results import ToolResult

PERSON_PARAMS = {"person", "name", "manager"}
FIXED = {"words": "scanner", "query": "recency bias", "since": "2026-01-01", "start": "2026-01-01",
         "until": "2026-09-01", "end": "2026-09-01"}


@dataclass
class Viewer:
    who: str
    reach: set[str]
    inside: dict[str, str]  # an in-reach value per kind of parameter
    outside: dict[str, list[str]]  # values naming outsiders or their records
    hidden: list[str] = field(default_factory=list)  # strings no output may contain


EVERYONE = {"hana", "olivia", "ana", "sam", "lee", "tom", "zoe", "raj", "mia", "samo"}
OUTSIDER_TEXT = {
    "hana": ["Hana", "hana.admin@"], "olivia": ["Olivia", "olivia.chen@", "c-a1", "c-r1"],
    "ana": ["Ana Ruiz", "ana.ruiz@", "g-obj", "k-frt", "Delight support", "First response", "f4", "c-a1"],
    "sam": ["Sam Lee", "sam.lee@", "g-backlog", "g-macros", "ticket backlog", "c-s7", "f3"],
    "lee": ["Lee Park", "lee.park@", "g-csat", "k-csat", "CSAT", "c-l3"],
    "tom": ["Tom Baker", "tom.baker@", "g-aht", "handle time"],
    "zoe": ["Zoe Kim", "zoe.kim@", "g-zoe", "first contact"],
    "raj": ["Raj", "raj.patel@", "c-r1", "f7"],
    "mia": ["Mia", "mia.wong@", "g-deploy", "k-deploy", "Deploy time", "c-m1", "build cache"],
    "samo": ["Sam Ortiz", "sam.ortiz@", "g-build", "build backlog", "c-so1"],
}

VIEWERS = [
    Viewer("ana", {"ana", "sam", "lee", "tom", "zoe"},
           inside={"person": "Sam", "goal": "ticket backlog", "kpi": "first response"},
           outside={"person": ["Mia Wong", "mia.wong@example.com", "Olivia", "person:raj", "mia", "Sam Ortiz"],
                    "goal": ["deploy time", "goal:g-deploy", "build backlog"],
                    "kpi": ["Deploy time", "kpi:k-deploy"]}),
    Viewer("tom", {"tom", "zoe"},
           inside={"person": "Zoe", "goal": "first contact", "kpi": ""},
           outside={"person": ["Sam Lee", "ana.ruiz@example.com", "Lee", "person:sam"],
                    "goal": ["ticket backlog", "goal:g-backlog", "delight"],
                    "kpi": ["First response time", "CSAT", "kpi:k-frt"]}),
    Viewer("sam", {"sam"},
           inside={"person": "me", "goal": "ticket backlog", "kpi": ""},
           outside={"person": ["Lee Park", "Ana", "ana.ruiz@example.com", "Zoe", "person:lee"],
                    "goal": ["CSAT", "delight support", "goal:g-obj", "handle time"],
                    "kpi": ["First response time", "CSAT", "kpi:k-csat"]}),
]
for v in VIEWERS:
    v.hidden = [text for pid in EVERYONE - v.reach for text in OUTSIDER_TEXT[pid]]


def kind_of(param: str) -> str | None:
    return "person" if param in PERSON_PARAMS else param if param in ("goal", "kpi") else None


def calls(tool, viewer: Viewer) -> list[dict[str, object]]:
    """Argument sets for ``tool``: a baseline inside the reach, then one outsider per argument."""
    base: dict[str, object] = {}
    sensitive = []
    for name, p in list(inspect.signature(tool).parameters.items())[1:]:
        kind = kind_of(name)
        if kind:
            sensitive.append((name, kind))
            if p.default is inspect.Parameter.empty:
                base[name] = viewer.inside[kind]
        elif name in FIXED:
            base[name] = FIXED[name]
        elif p.default is inspect.Parameter.empty:
            pytest.fail(f"test_access has no probe value for parameter {name!r} of {tool.__name__}: add one")
    sets = [dict(base)]
    for name, kind in sensitive:
        if viewer.inside[kind]:
            sets.append({**base, name: viewer.inside[kind]})
        sets += [{**base, name: value} for value in viewer.outside[kind]]
    return sets


def outcome(tool, ctx, args) -> tuple:
    try:
        result = tool(ctx, **args)
    except ToolError as exc:
        return ("error", type(exc).__name__, str(exc))
    assert isinstance(result, ToolResult)
    return ("ok", json.dumps(result.to_dict(), sort_keys=True, default=str))


def run_all(sessions, viewer: Viewer, masked: bool) -> dict:
    with sessions() as session:
        build_small_org(session)
        if masked:
            mask_outside(session, viewer.reach)
        ctx = context(session, viewer.who, guidance=FakeGuidance())
        return {(tool.__name__, json.dumps(args, sort_keys=True)): outcome(tool, ctx, args)
                for tool in TOOLS for args in calls(tool, viewer)}


@pytest.fixture
def two_worlds(tmp_path):
    from tools.store.db import make_engine, migrate, session_factory

    def world(name):
        engine = make_engine(f"sqlite:///{tmp_path / name}.db")
        migrate(engine)
        return engine, session_factory(engine)

    made = [world("plain"), world("masked")]
    yield [m[1] for m in made]
    for engine, _ in made:
        engine.dispose()


@pytest.mark.parametrize("viewer", VIEWERS, ids=lambda v: v.who)
def test_every_tool_sees_nothing_outside_the_reach(two_worlds, viewer):
    plain, masked = two_worlds
    seen = run_all(plain, viewer, masked=False)
    assert run_all(masked, viewer, masked=True) == seen
    for (tool, args), result in seen.items():
        text = result[-1].lower()
        for typed in json.loads(args).values():  # the tool may echo what was typed
            text = text.replace(str(typed).lower(), "")
        leaked = [h for h in viewer.hidden if h.lower() in text]
        assert not leaked, f"{tool}({args}) by {viewer.who} reveals {leaked}: {result[-1][:300]}"


@pytest.mark.parametrize("viewer", VIEWERS, ids=lambda v: v.who)
def test_outsiders_are_out_of_reach_like_nobody(session, viewer):
    build_small_org(session)
    ctx = context(session, viewer.who)
    tool = get_tool("resolve_person")
    for who in viewer.outside["person"]:
        with pytest.raises(OutOfReach) as outsider:
            tool(ctx, who)
        with pytest.raises(OutOfReach) as nobody:
            tool(ctx, "Nobody Atall")
        assert str(outsider.value) == str(nobody.value).replace("'Nobody Atall'", repr(who))


def test_every_tool_is_probed_and_documented():
    for tool in TOOLS:
        doc = inspect.getdoc(tool) or ""
        assert doc.splitlines()[0].endswith(".") and "Use it" in doc, tool.__name__
        params = list(inspect.signature(tool).parameters)[1:]
        for p in params:
            assert f"{p}:" in doc, f"{tool.__name__} does not document {p}"
        assert calls(tool, VIEWERS[0])  # fails with a message if a parameter has no probe


def test_reach_by_role(session):
    build_small_org(session)
    people = get_tool("resolve_person")
    assert people(context(session, "hana"), "Mia").data["id"] == "mia"  # hr_admin: everyone
    assert people(context(session, "olivia"), "Zoe").data["id"] == "zoe"  # manager: whole chain
    assert people(context(session, "ana"), "Zoe").data["id"] == "zoe"  # two levels down
    assert people(context(session, "sam"), "me").data["id"] == "sam"
    with pytest.raises(OutOfReach):
        people(context(session, "sam"), "Lee Park")  # employee: only themself
    with pytest.raises(OutOfReach):
        people(context(session, "tom"), "Ana Ruiz")  # nobody reaches up the chain


def test_time_is_the_contexts_today(session):
    build_small_org(session)
    later = context(session, "ana", today=TODAY.replace(month=12))
    assert "lapsed" in get_tool("last_checkin")(later, "Sam").summary


def test_masking_is_visible_when_it_touches_the_reach(session):
    """The two-world comparison above can fail: masking someone inside the reach shows."""
    build_small_org(session)
    before = get_tool("list_goals")(context(session, "ana"), "Sam").to_dict()
    mask_outside(session, {"ana", "lee", "tom", "zoe"})
    with pytest.raises(OutOfReach):
        get_tool("list_goals")(context(session, "ana"), "Sam")
    assert before["summary"].startswith("Sam Lee has 2 goals")


CLI_CALLS = [
    ["team", "--as", "ana"],
    ["team", "--as", "ana", "--manager", "Raj"],
    ["team", "--as", "ana", "--manager", "mia.wong@example.com"],
    ["goal", "--as", "ana", "ticket backlog"],
    ["goal", "--as", "ana", "deploy time"],
    ["goal", "--as", "ana", "goal:g-deploy"],
    ["goal", "--as", "ana", "backlog", "--owner", "Sam Ortiz"],
]


def test_cli_views_see_nothing_outside_the_reach(tmp_path, monkeypatch):
    from tools.store.db import make_engine, migrate, session_factory

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    outputs = []
    for masked in (False, True):
        data = tmp_path / ("masked" if masked else "plain")
        engine = make_engine(f"sqlite:///{data / 'coach.db'}")
        migrate(engine)
        with session_factory(engine)() as session:
            build_small_org(session)
            if masked:
                mask_outside(session, VIEWERS[0].reach)
        engine.dispose()
        monkeypatch.setenv("COACH_DATA_DIR", str(data))
        runner = CliRunner()
        outputs.append([(r.exit_code, r.output) for r in
                        (runner.invoke(build_cli(), args, catch_exceptions=False) for args in CLI_CALLS)])
    assert outputs[0] == outputs[1]
    codes = [code for code, _ in outputs[0]]
    assert codes == [0, 1, 1, 0, 1, 1, 1]
    assert outputs[0][1][1] == ("Error: No one matching 'Raj' in your reach (you and your reporting chain). "
                                "Check the spelling, or use their full name or email.\n")
    assert outputs[0][4][1] == "Error: No goal matching 'deploy time' in your reach.\n"


@pytest.mark.parametrize("viewer", VIEWERS, ids=lambda v: v.who)
def test_tools_never_read_the_whole_chain(two_worlds, viewer, monkeypatch):
    """With every reach treated as large (people checked by walking up their managers, two at
    a time), outcomes are those of the small-reach path, and no tool reads the whole chain."""
    plain, masked = two_worlds
    seen = run_all(plain, viewer, masked=False)
    monkeypatch.setattr(resolve, "SQL_REACH_LIMIT", 0)
    monkeypatch.setattr(access, "BATCH", 2)
    monkeypatch.setattr(access, "reporting_chain", lambda *args: pytest.fail("the whole chain was read"))
    assert run_all(masked, viewer, masked=True) == seen


def test_reach_checks_agree_with_the_chain(any_engine):
    """Walking up (one by one, in a batch, or level by level down with a size limit) finds exactly
    the people the recursive chain finds, also around management loops and for unknown ids."""
    from tools.store.db import session_factory

    with session_factory(any_engine)() as s:
        build_small_org(s)
        for pid in ("x1", "x2", "y1", "y2", "y3"):
            s.add(access.Person(id=pid, name=pid, email=f"{pid}@example.com", role="manager"))
        s.flush()
        for pid, boss in {"x1": "x2", "x2": "x1", "y1": "y2", "y2": "y1", "y3": "y2", "mia": "y3"}.items():
            s.get(access.Person, pid).manager_id = boss
        s.flush()
        everyone = set(s.scalars(access.select(access.Person.id)))
        asked = everyone | {"nobody", ""}
        sizes = {}
        for who in sorted(everyone):
            viewer = load_viewer(s, who)
            whole = reach(s, viewer)
            expected = asked if whole is None else whole
            sizes[who] = None if whole is None else len(whole)
            assert Reach(s, viewer).visible(asked) == expected, who
            assert {i for i in asked if Reach(s, viewer).can_see(i)} == expected, who
            for limit in range(len(everyone) + 1):
                fits = whole is not None and len(whole) <= limit
                assert Reach(s, viewer).within(limit) == (frozenset(whole) if fits else None), (who, limit)
        assert sizes == {"hana": None, "olivia": 8, "ana": 5, "sam": 1, "lee": 1, "tom": 2, "zoe": 1,
                         "raj": 2, "mia": 1, "samo": 1, "x1": 2, "x2": 2, "y1": 4, "y2": 4, "y3": 2}
