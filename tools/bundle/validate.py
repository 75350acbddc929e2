"""Stage two of an import: rows agree with each other and with what is already stored.

Everything is checked in memory against sets and dicts; the database is read once,
by :func:`tools.bundle.existing.load_existing`.
"""
from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from tools import rules
from tools.bundle.errors import Problems, shown
from tools.bundle.existing import Existing
from tools.bundle.shapes import Rows

#: (list, field, list it names): every such field must name a record in the bundle or the database.
REFERENCES = (
    ("people", "manager_id", "people"),
    ("goals", "owner_id", "people"),
    ("goals", "parent_id", "goals"),
    ("progress_updates", "goal_id", "goals"),
    ("progress_updates", "author_id", "people"),
    ("checkins", "employee_id", "people"),
    ("checkins", "manager_id", "people"),
    ("action_items", "owner_id", "people"),
    ("kpis", "owner_id", "people"),
    ("kpi_values", "kpi_id", "kpis"),
    ("feedback", "from_id", "people"),
    ("feedback", "to_id", "people"),
)
NOUN = {"people": "person", "goals": "goal", "kpis": "KPI"}


@dataclass
class Plan:
    """Checked rows (people and goals ordered parents first) and what was stored before.

    ``email_moves``: stored people whose email another person of the bundle takes over,
    so the writer frees those emails first.
    """

    rows: dict[str, Rows]
    existing: Existing
    email_moves: list[str]


def check_records(rows: dict[str, Rows], existing: Existing) -> Plan:
    """Raise :class:`BundleError` unless ``rows`` can be written as they are."""
    problems = Problems()
    _match_people(rows, existing, problems)
    _unique_keys(rows, problems)
    moves = _emails(rows.get("people"), existing, problems)
    _references(rows, existing, problems)
    _goal_rules(rows.get("goals"), existing, problems)
    problems.raise_if_any()  # the link rules below read references checked above
    _link_rules(rows, existing, problems)
    _no_loops(rows.get("people"), "manager_id", existing.people, "manager chain", problems)
    _no_loops(rows.get("goals"), "parent_id", existing.goals, "chain of parent goals", problems)
    problems.raise_if_any()
    for name, field in (("people", "manager_id"), ("goals", "parent_id")):
        if name in rows:
            _parents_first(rows[name], field)
    return Plan(rows, existing, moves)


def _match_people(rows: dict[str, Rows], existing: Existing, problems: Problems) -> None:
    """One person, one record: a row with a new id whose ``external_id`` or email belongs to a stored
    person *is* that person (the directory or an earlier import made them), so the row and every
    reference to it take the stored id. Keys naming two different people are an error naming both."""
    people = rows.get("people")
    if people is None:
        return
    holders = {email: pid for pid, (email, _) in existing.people.items()}
    bundle_ids = {row["id"] for row in people.rows}
    alias: dict[str, str] = {}
    for i, row in enumerate(people.rows):
        external, rid = row.get("external_id"), row["id"]
        via_external = existing.external_ids.get(external) if external else None
        via_email = holders.get(row["email"].casefold())
        if via_external is not None and via_external != rid and rid in existing.people:
            problems.add(people.where.at(i, ["external_id"]), f"{shown(external)} is already the external_id of "
                         f"person {shown(via_external)} in the database, not of {shown(rid)}")
        elif rid in existing.people:
            continue
        elif via_external and via_email and via_external != via_email and via_email not in bundle_ids:
            problems.add(people.where.at(i), f"external_id {shown(external)} is person {shown(via_external)} "
                         f"in the database but email {shown(row['email'])} is person {shown(via_email)}: "
                         "one person cannot be two records")
        elif (target := via_external or via_email) is not None and target not in bundle_ids:
            alias[rid] = target
    if alias:
        for row in people.rows:
            row["id"] = alias.get(row["id"], row["id"])
        for name, field, target in REFERENCES:
            if target == "people" and name in rows:
                for row in rows[name].rows:
                    if row.get(field) in alias:
                        row[field] = alias[row[field]]


def _unique_keys(rows: dict[str, Rows], problems: Problems) -> None:
    for name, block in rows.items():
        key = block.entity.key
        if name == "action_items":
            continue
        values = list(map(itemgetter(*key), block.rows))  # ids, or (kpi_id, date) pairs
        if len(set(values)) == len(values):
            continue
        first: dict[Any, int] = {}
        for i, value in enumerate(values):
            j = first.setdefault(value, i)
            if j != i:
                if name == "kpi_values":
                    what = f"repeats the value of KPI {shown(value[0])} on {value[1]}"
                else:
                    what = f"repeats {key[0]} {shown(value)}"
                problems.add(block.where.at(i, [key[-1]]), f"{what} (first at {block.where.at(j)})")


def _emails(people: Rows | None, existing: Existing, problems: Problems) -> list[str]:
    if people is None:
        return []
    holders = {email: pid for pid, (email, _) in existing.people.items()}
    ids = {row["id"] for row in people.rows}
    first: dict[str, int] = {}
    moves: list[str] = []
    for i, row in enumerate(people.rows):
        email = row["email"].casefold()
        j = first.setdefault(email, i)
        holder = holders.get(email)
        if j != i:
            problems.add(people.where.at(i, ["email"]), f"{shown(row['email'])} is also the email of "
                         f"person {shown(people.rows[j]['id'])} (at {people.where.at(j)})")
        elif holder is not None and holder != row["id"]:
            if holder in ids:
                moves.append(holder)  # that person gets a new email in this bundle
            else:
                problems.add(people.where.at(i, ["email"]),
                             f"{shown(row['email'])} is already the email of person {shown(holder)} in the database")
    return moves


def _references(rows: dict[str, Rows], existing: Existing, problems: Problems) -> None:
    known: dict[str, set[str]] = {}

    def ids(target: str) -> set[str]:
        if target not in known:
            known[target] = set(existing.stored(target))
            if target in rows:
                known[target].update(row["id"] for row in rows[target].rows)
        return known[target]

    def missing(target: str, value: str) -> str:
        return f"names {NOUN[target]} {shown(value)}, which is neither in the bundle nor in the database"

    for name, field, target in REFERENCES:
        block = rows.get(name)
        if block is None:
            continue
        valid = ids(target)
        for i, row in enumerate(block.rows):
            value = row[field]
            if value is not None and value not in valid:
                problems.add(block.where.at(i, [field]), missing(target, value))
    for name in ("checkins", "kpis"):
        block = rows.get(name)
        if block is None:
            continue
        goals = ids("goals")
        for i, goal_ids in enumerate(block.links or []):
            seen: set[str] = set()
            for k, goal_id in enumerate(goal_ids):
                if goal_id in seen:
                    problems.add(block.where.at(i, ["goal_ids", k]), f"lists goal {shown(goal_id)} twice")
                elif goal_id not in goals:
                    problems.add(block.where.at(i, ["goal_ids", k]), missing("goals", goal_id))
                seen.add(goal_id)
    _action_items_follow_checkins(rows, problems)


def _action_items_follow_checkins(rows: dict[str, Rows], problems: Problems) -> None:
    """An action_items.csv row must belong to a check-in of checkins.csv (its items are replaced)."""
    items = rows.get("action_items")
    if items is None or not items.where.csv:
        return
    checkins = {row["id"] for row in rows["checkins"].rows} if "checkins" in rows else set()
    for i, row in enumerate(items.rows):
        if row["checkin_id"] not in checkins:
            problems.add(items.where.at(i, ["checkin_id"]), f"names check-in {shown(row['checkin_id'])}, which is "
                         "not in checkins.csv (action items are imported together with their check-in)")


def _goal_rules(goals: Rows | None, existing: Existing, problems: Problems) -> None:
    if goals is None:
        return
    kinds = {gid: kind for gid, (kind, _) in existing.goals.items()}
    kinds.update((row["id"], row["kind"]) for row in goals.rows)
    at = goals.where.at
    for i, row in enumerate(goals.rows):
        problem = rules.date_order_problem(row["start_date"], row["due_date"], at_due=True)
        if problem:
            problems.add(at(i, ["due_date"]), problem)
        if row["kind"] == "key_result":
            parent = row["parent_id"]
            if parent is None:
                problems.add(at(i, ["parent_id"]), "is required for a key_result: the objective it measures")
            elif kinds.get(parent, "objective") != "objective":
                problems.add(at(i, ["parent_id"]), f"names goal {shown(parent)} of kind {kinds[parent]}; "
                             "the parent of a key_result must be an objective")
    index = {row["id"]: i for i, row in enumerate(goals.rows)}
    for gid, (kind, parent) in existing.goals.items():
        if kind == "key_result" and gid not in index and parent in index and kinds[parent] != "objective":
            problems.add(at(index[parent], ["kind"]),
                         f"must stay objective: stored key_result {shown(gid)} belongs to it")


def _link_rules(rows: dict[str, Rows], existing: Existing, problems: Problems) -> None:
    """The write policy's consistency rules (:mod:`tools.policy`), over the bundle and the database:
    a 1:1 links only goals of its report or of a manager above them; a KPI only goals of people in
    one management line with its owner; a self-assessment is about its giver, other feedback is not,
    and upward feedback goes to a manager above the giver."""
    up = {pid: manager for pid, (_, manager) in existing.people.items()}
    if "people" in rows:
        up.update((row["id"], row["manager_id"]) for row in rows["people"].rows)
    owners = dict(existing.goal_owners)
    if "goals" in rows:
        owners.update((row["id"], row["owner_id"]) for row in rows["goals"].rows)

    def above(upper: str, lower: str) -> bool:
        node, steps = up.get(lower), 0
        while node is not None and steps <= len(up):
            if node == upper:
                return True
            node, steps = up.get(node), steps + 1
        return False

    def in_line(a: str, b: str) -> bool:
        return a == b or above(a, b)

    for name, person_field in (("checkins", "employee_id"), ("kpis", "owner_id")):
        block = rows.get(name)
        for i, goal_ids in enumerate(block.links or [] if block else []):
            person = block.rows[i][person_field]
            for k, goal_id in enumerate(goal_ids):
                owner = owners.get(goal_id)
                if owner is None:
                    continue
                if name == "checkins" and not in_line(owner, person):
                    problems.add(block.where.at(i, ["goal_ids", k]), f"links goal {shown(goal_id)} of {shown(owner)}: "
                                 f"a 1:1 links only goals of its report ({shown(person)}) or of their managers")
                elif name == "kpis" and not (in_line(owner, person) or in_line(person, owner)):
                    problems.add(block.where.at(i, ["goal_ids", k]), f"links goal {shown(goal_id)} of {shown(owner)}: "
                                 f"a KPI links only goals of people in one management line with its owner ({shown(person)})")
    feedback = rows.get("feedback")
    for i, row in enumerate(feedback.rows if feedback else []):
        giver, receiver, kind = row["from_id"], row["to_id"], row["kind"]
        if (kind == "self") != (giver == receiver):
            problems.add(feedback.where.at(i, ["kind"]), "a self-assessment (kind self) is from and to the same person; "
                         f"other kinds are not (from {shown(giver)} to {shown(receiver)}, kind {kind})")
        elif kind == "upward" and not above(receiver, giver):
            problems.add(feedback.where.at(i, ["to_id"]), f"upward feedback goes to a manager above the giver; "
                         f"{shown(receiver)} is not above {shown(giver)}")


def _no_loops(block: Rows | None, field: str, stored: dict[str, tuple[Any, str | None]], what: str,
              problems: Problems) -> None:
    """Follow ``field`` upwards from every row, over stored rows too, and report each loop once."""
    if block is None:
        return
    up = {key: parent for key, (_, parent) in stored.items()}
    index: dict[str, int] = {}
    for i, row in enumerate(block.rows):
        up[row["id"]] = row[field]
        index.setdefault(row["id"], i)
    done: set[str] = set()
    for start in index:
        path: list[str] = []
        position: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in done:
            if node in position:
                loop = path[position[node]:]
                first = min(loop, key=lambda n: index.get(n, len(index)))
                k = loop.index(first)
                shown_loop = " -> ".join(loop[k:] + loop[:k] + [first])
                problems.add(block.where.at(index.get(first, index[start]), [field]),
                             f"makes the {what} loop: {shown_loop}")
                break
            position[node] = len(path)
            path.append(node)
            node = up.get(node)
        done.update(path)


def _parents_first(block: Rows, field: str) -> None:
    """Order rows so a row naming another row of the block comes after it (for foreign keys)."""
    parent = {row["id"]: row[field] for row in block.rows}
    depth: dict[str, int] = {}
    for row in block.rows:
        chain: list[str] = []
        node = row["id"]
        while node in parent and node not in depth:
            chain.append(node)
            node = parent[node]
        level = depth.get(node, -1)
        for member in reversed(chain):
            level += 1
            depth[member] = level
    block.rows.sort(key=lambda row: depth[row["id"]])
