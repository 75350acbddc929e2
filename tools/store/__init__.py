"""Storage: the tables, engines and migrations, accounts, conversations and drafts.

Every table is registered on :data:`Base.metadata` by importing this package: the domain
records (``models``), sign-in (``accounts``), chat (``conversations``), saved drafts
(``drafts``), the audit trail (``audit``), abuse-limit counters (``throttle``), personal-detail
marks (``marks``), what the integrations remember (``integrations``: Slack, the digest) and
identity from the directory (``identity``: provisioning tokens).
Analytics and the agent's tools live beside this folder, not in it.
"""
from tools.store import (accounts, audit, conversations, drafts, identity, integrations, marks, models,  # noqa: F401
                         throttle)  # (importing them registers the tables)
from tools.store.models import Base

__all__ = ["Base"]
