"""tools/store/accounts.py on SQLite and PostgreSQL, and the ``coach user`` commands."""
from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from assistant.cli import build_cli
from assistant.settings import Settings
from factories import build_small_org
from tools.access import ToolError
from tools.store.accounts import (
    ApiToken,
    Credential,
    WebSession,
    authenticate,
    create_api_token,
    create_session,
    digest,
    end_session,
    find_api_token,
    find_session,
    purge_expired_sessions,
    revoke_api_token,
    seed_demo_users,
    set_password,
    touch_api_token,
)
from tools.store.db import session_factory
from tools.store.drafts import list_drafts, save_draft


@pytest.fixture
def org(any_engine):
    sessions = session_factory(any_engine)
    with sessions() as session:
        build_small_org(session)
    return sessions


def test_passwords_are_argon2_hashes_and_authenticate_by_email(org):
    with org() as session:
        set_password(session, "Ana.Ruiz@Example.com", "a long secret")
        session.commit()
        stored = session.get(Credential, "ana").password_hash
        assert stored.startswith("$argon2id$") and "a long secret" not in stored
        assert authenticate(session, " ana.ruiz@example.com ", "a long secret").id == "ana"
        assert authenticate(session, "ana.ruiz@example.com", "a long secreT") is None
        assert authenticate(session, "sam.lee@example.com", "a long secret") is None  # no password set


def test_bad_passwords_and_unknown_people_are_explained(org):
    with org() as session:
        with pytest.raises(ToolError, match="A password needs 8 to 256 characters \\(got 5\\)."):
            set_password(session, "ana.ruiz@example.com", "short")
        with pytest.raises(ToolError, match="No person with email 'ghost@example.com': import or seed people first"):
            set_password(session, "ghost@example.com", "long enough")


def test_demo_users_get_one_shared_hash_and_keep_real_passwords(org):
    with org() as session:
        set_password(session, "raj.patel@example.com", "raj's own password")
        assert seed_demo_users(session, "coach-demo-pw") == 9
        session.commit()
        assert authenticate(session, "olivia.chen@example.com", "coach-demo-pw").id == "olivia"
        assert authenticate(session, "raj.patel@example.com", "raj's own password").id == "raj"
        assert seed_demo_users(session, "again-and-again") == 0


def test_sessions_expire_and_end(org):
    with org() as session:
        secret, row = create_session(session, "ana")
        assert row.id_hash == digest(secret) and len(row.csrf_token) >= 32
        assert find_session(session, secret).person_id == "ana"
        stale, old = create_session(session, "raj", days=-1)
        assert find_session(session, stale) is None
        assert purge_expired_sessions(session) == 1
        end_session(session, secret)
        assert find_session(session, secret) is None and find_session(session, "") is None
        assert session.scalars(select(WebSession)).all() == []


def test_api_tokens_are_found_by_digest_and_revoked_only_by_their_owner(org):
    with org() as session:
        secret, row = create_api_token(session, "ana", "widget")
        session.commit()
        assert secret.startswith("coach_") and session.scalars(select(ApiToken.token_hash)).one() == digest(secret)
        assert find_api_token(session, secret).person_id == "ana"
        assert find_api_token(session, secret.removeprefix("coach_")) is None
        assert touch_api_token(session, row) and row.last_used_at is not None
        assert not touch_api_token(session, row)  # again within the hour: no write
        assert not revoke_api_token(session, row.id, "raj")
        assert revoke_api_token(session, row.id, "ana")
        assert find_api_token(session, secret) is None
        assert not revoke_api_token(session, row.id, "ana")


def test_drafts_are_versioned_per_author_subject_kind_and_period(org):
    h1 = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    h2 = (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    with org() as session:
        versions = [save_draft(session, "ana", "sam", "review", f"v{i}", h1).version for i in range(3)]
        other_period = save_draft(session, "ana", "sam", "review", "h2", h2)
        other_author = save_draft(session, "olivia", "sam", "review", "mine", h1)
        prep = save_draft(session, "ana", "sam", "prep", "questions")
        session.commit()
        assert versions == [1, 2, 3] and other_period.version == 1 and other_author.version == 1 and prep.version == 1
        assert [d.text for d in list_drafts(session, "ana", "sam", "review", h1)] == ["v2", "v1", "v0"]
        assert [d.text for d in list_drafts(session, "ana", "sam", "review")] == ["h2", "v2", "v1", "v0"]
        with pytest.raises(ValueError, match="draft kind must be one of"):
            save_draft(session, "ana", "sam", "memo", "x")


# -- coach user --------------------------------------------------------------------------

def _run(args: list[str], url: str, input: str | None = None):
    settings = lambda: Settings(database_url=url, llm_provider="fake")  # noqa: E731
    return CliRunner().invoke(build_cli(), args, obj={"settings_factory": settings}, input=input)


def test_user_add_sets_a_password_and_can_create_a_person(engine, db_url):
    with session_factory(engine)() as session:
        build_small_org(session)
    done = _run(["user", "add", "--email", "tom.baker@example.com", "--password", "tom-password"], db_url)
    assert done.exit_code == 0, done.output
    assert done.output == "Tom Baker <tom.baker@example.com> (manager) can now sign in at /signin.\n"
    created = _run(["user", "add", "--email", "new@example.com", "--name", "Nia New", "--role", "manager"], db_url,
                   input="new-password\nnew-password\n")
    assert created.exit_code == 0 and "Nia New <new@example.com> (manager) can now sign in" in created.output
    with session_factory(engine)() as session:
        assert authenticate(session, "tom.baker@example.com", "tom-password").id == "tom"
        assert authenticate(session, "new@example.com", "new-password").name == "Nia New"


def test_user_add_explains_what_is_wrong(engine, db_url):
    unknown = _run(["user", "add", "--email", "ghost@example.com", "--password", "long enough"], db_url)
    assert unknown.exit_code == 1
    assert "No person with email 'ghost@example.com': import or seed people first" in unknown.output
    short = _run(["user", "add", "--email", "ghost@example.com", "--name", "G", "--password", "short"], db_url)
    assert short.exit_code == 1 and "A password needs 8 to 256 characters (got 5)." in short.output
    with session_factory(engine)() as session:
        assert session.scalars(select(Credential)).all() == []


def test_user_token_prints_a_working_token_once(engine, db_url):
    with session_factory(engine)() as session:
        build_small_org(session)
    result = _run(["user", "token", "--email", "ana.ruiz@example.com", "--name", "intranet"], db_url)
    assert result.exit_code == 0
    secret = result.stdout.strip()
    with session_factory(engine)() as session:
        token = find_api_token(session, secret)
        assert (token.person_id, token.name) == ("ana", "intranet")
    assert 'data-token="' + secret in result.stderr
