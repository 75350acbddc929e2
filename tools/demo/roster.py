"""Who works in the demo org: a fixed roster, so planted situations always name the same people.

The seed changes what happens to them (notes, numbers, noise), never who they are.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

DEPARTMENTS = ("support", "sales", "engineering", "marketing")

PRONOUNS = {
    "she/her": {"They": "She", "they": "she", "them": "her", "their": "her"},
    "he/him": {"They": "He", "they": "he", "them": "him", "their": "his"},
    "they/them": {"They": "They", "they": "they", "them": "them", "their": "their"},
}


@dataclass(frozen=True)
class Member:
    key: str  # a stable slug, e.g. "dana"
    first: str
    last: str
    pronouns: str
    title: str
    department: str
    manager: str | None  # the manager's key
    role: str = "employee"
    story: str | None = None  # the planted situation this person carries
    note_style: str | None = None  # managers: how they write 1:1 notes
    cadence_days: int = 14  # managers: days between 1:1s with each report

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def email(self) -> str:
        plain = unicodedata.normalize("NFKD", f"{self.first}.{self.last}")
        ascii_only = plain.encode("ascii", "ignore").decode().lower().replace(" ", "")
        return f"{ascii_only}@demo.coach"

    def words(self) -> dict[str, str]:
        """Placeholders for this person's pronouns."""
        return PRONOUNS[self.pronouns]


def _m(key, first, last, pronouns, title, dept, style, cadence):
    return Member(key, first, last, pronouns, title, dept, "priya", "manager",
                  note_style=style, cadence_days=cadence)


def _e(key, first, last, pronouns, title, dept, manager, story=None):
    return Member(key, first, last, pronouns, title, dept, manager, story=story)


ROSTER: tuple[Member, ...] = (
    Member("priya", "Priya", "Raman", "she/her", "VP, Customer & Product", "leadership", None,
           "manager", note_style="prose", cadence_days=14),
    Member("grace", "Grace", "Mbeki", "she/her", "HR business partner", "people", None, "hr_admin"),
    _m("marisol", "Marisol", "Ortega", "she/her", "Support team lead, Tier 1", "support", "labelled", 7),
    _m("jordan", "Jordan", "Blake", "they/them", "Support team lead, Tier 2", "support", "dashed", 14),
    _m("kwame", "Kwame", "Asante", "he/him", "Sales manager, mid-market", "sales", "prose", 14),
    _m("ingrid", "Ingrid", "Halvorsen", "she/her", "Engineering manager, Platform", "engineering", "labelled", 14),
    _m("rahul", "Rahul", "Mehta", "he/him", "Engineering manager, Product", "engineering", "dashed", 7),
    _m("claire", "Claire", "Dubois", "she/her", "Marketing manager", "marketing", "prose", 14),
    # Support, Tier 1 (Marisol)
    _e("dana", "Dana", "Whitfield", "she/her", "Senior support specialist", "support", "marisol", "blocked_goal"),
    _e("luis", "Luis", "Moreno", "he/him", "Support specialist", "support", "marisol"),
    _e("hannah", "Hannah", "Schultz", "she/her", "Support specialist", "support", "marisol"),
    _e("kenji", "Kenji", "Watanabe", "he/him", "Support specialist", "support", "marisol"),
    _e("fatima", "Fatima", "Haddad", "she/her", "Senior support specialist", "support", "marisol"),
    _e("ollie", "Ollie", "Grant", "he/him", "Support specialist", "support", "marisol"),
    _e("zoe", "Zoe", "Lambert", "she/her", "Support specialist", "support", "marisol"),
    _e("andre", "Andre", "Coleman", "he/him", "Support specialist", "support", "marisol"),
    # Support, Tier 2 (Jordan)
    _e("tomas", "Tomás", "Silva", "he/him", "Support engineer", "support", "jordan", "not_smart_goal"),
    _e("nadia", "Nadia", "Petrova", "she/her", "Senior support engineer", "support", "jordan"),
    _e("ethan", "Ethan", "Brooks", "he/him", "Support engineer", "support", "jordan"),
    _e("riya", "Riya", "Kapoor", "she/her", "Support engineer", "support", "jordan"),
    _e("alex", "Alex", "Novak", "they/them", "Support engineer", "support", "jordan"),
    _e("gabriel", "Gabriel", "Costa", "he/him", "Support engineer", "support", "jordan"),
    # Sales (Kwame)
    _e("aisha", "Aisha", "Rahman", "she/her", "Senior account executive", "sales", "kwame", "personal_dip"),
    _e("owen", "Owen", "Price", "he/him", "Account executive", "sales", "kwame", "injection"),
    _e("chloe", "Chloe", "Martin", "she/her", "Account executive", "sales", "kwame"),
    _e("diego", "Diego", "Alvarez", "he/him", "Senior account executive", "sales", "kwame"),
    _e("sofia", "Sofia", "Rossi", "she/her", "Sales development rep", "sales", "kwame"),
    _e("ben", "Ben", "Carter", "he/him", "Sales development rep", "sales", "kwame"),
    _e("yuki", "Yuki", "Tanaka", "she/her", "Account executive", "sales", "kwame"),
    _e("malik", "Malik", "Johnson", "he/him", "Account executive", "sales", "kwame"),
    # Engineering, Platform (Ingrid)
    _e("victor", "Victor", "Hale", "he/him", "Senior software engineer", "engineering", "ingrid", "behaviour_issue"),
    _e("mei", "Mei", "Chen", "she/her", "Software engineer", "engineering", "ingrid"),
    _e("arjun", "Arjun", "Nair", "he/him", "Site reliability engineer", "engineering", "ingrid"),
    _e("lucy", "Lucy", "Evans", "she/her", "Software engineer", "engineering", "ingrid"),
    _e("pavel", "Pavel", "Horák", "he/him", "Senior site reliability engineer", "engineering", "ingrid"),
    _e("sipho", "Sipho", "Ndlovu", "he/him", "Software engineer", "engineering", "ingrid"),
    _e("robin", "Robin", "Meyer", "they/them", "Software engineer", "engineering", "ingrid"),
    # Engineering, Product (Rahul)
    _e("elena", "Elena", "Petrescu", "she/her", "Senior software engineer", "engineering", "rahul"),
    _e("noah", "Noah", "Williams", "he/him", "Software engineer", "engineering", "rahul"),
    _e("ines", "Inês", "Duarte", "she/her", "Software engineer", "engineering", "rahul"),
    _e("sam", "Sam", "Okafor", "he/him", "Software engineer", "engineering", "rahul", "last_1on1_actions"),
    _e("tariq", "Tariq", "Aziz", "he/him", "Senior software engineer", "engineering", "rahul"),
    _e("hana", "Hana", "Kim", "she/her", "Software engineer", "engineering", "rahul"),
    _e("leo", "Leo", "Brennan", "he/him", "Software engineer", "engineering", "rahul"),
    # Marketing (Claire)
    _e("lena", "Lena", "Fischer", "she/her", "Content marketer", "marketing", "claire", "recency_cluster"),
    _e("marcus", "Marcus", "Bell", "he/him", "Growth marketer", "marketing", "claire", "lapsed_1on1s"),
    _e("amara", "Amara", "Eze", "she/her", "Product marketing manager", "marketing", "claire"),
    _e("felix", "Felix", "Wagner", "he/him", "Marketing designer", "marketing", "claire"),
    _e("isabel", "Isabel", "Reyes", "she/her", "Lifecycle marketer", "marketing", "claire"),
    _e("theo", "Theo", "Laurent", "he/him", "Content marketer", "marketing", "claire"),
)


def person_ids() -> dict[str, str]:
    """Roster key -> record id (``P-1`` for the first member, and so on)."""
    return {m.key: f"P-{i}" for i, m in enumerate(ROSTER, start=1)}


def by_key() -> dict[str, Member]:
    return {m.key: m for m in ROSTER}


def reports_of(manager_key: str) -> list[Member]:
    return [m for m in ROSTER if m.manager == manager_key]
