"""identity from the directory: people's externalId, userName and active state; SSO sessions;
provisioning tokens (applied after 0007: 0007 reached main first, and databases already at 0007
must still get this one)

Revision ID: 0006
Revises: 0007
Create Date: 2026-11-30 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('user_name', sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('left_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('removed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('directory', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(), server_default=sa.func.now(), nullable=False))
        batch_op.create_unique_constraint('uq_people_external_id', ['external_id'])
        batch_op.create_unique_constraint('uq_people_user_name', ['user_name'])

    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sso_sid', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('sso_sub', sa.String(length=255), nullable=True))
        batch_op.create_index(batch_op.f('ix_web_sessions_sso_sid'), ['sso_sid'], unique=False)
        batch_op.create_index(batch_op.f('ix_web_sessions_sso_sub'), ['sso_sub'], unique=False)

    op.create_table('provisioning_tokens',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )


def downgrade() -> None:
    op.drop_table('provisioning_tokens')
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_sessions_sso_sub'))
        batch_op.drop_index(batch_op.f('ix_web_sessions_sso_sid'))
        batch_op.drop_column('sso_sub')
        batch_op.drop_column('sso_sid')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_constraint('uq_people_user_name', type_='unique')
        batch_op.drop_constraint('uq_people_external_id', type_='unique')
        for column in ('updated_at', 'created_at', 'directory', 'removed_at', 'left_at', 'active', 'user_name', 'external_id'):
            batch_op.drop_column(column)
