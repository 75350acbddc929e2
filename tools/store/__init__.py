"""Storage: the tables, engines and migrations, accounts, conversations and drafts.

Every table is registered on :data:`Base.metadata` by importing this package: the domain
records (``models``), sign-in (``accounts``), chat (``conversations``), saved drafts
(``drafts``), the audit trail (``audit``), abuse-limit counters (``throttle``), personal-detail
marks (``marks``) and what the integrations remember (``integrations``: Slack, the digest).
Analytics and the agent's tools live beside this folder, not in it.
"""
from tools.store import accounts, audit, conversations, drafts, integrations, marks, models, throttle  # noqa: F401  (registers the tables)
from tools.store.models import Base

__all__ = ["Base"]
