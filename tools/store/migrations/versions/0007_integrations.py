"""integrations: Slack links, handled Slack events, opted-in channels, the digest log and opt-outs

Chained on the newest migration of main (0004 after harden); re-chain on 0006 when 0005 and 0006 land.

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-02 17:22:19
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('slack_events',
    sa.Column('event_id', sa.String(length=100), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('event_id')
    )
    with op.batch_alter_table('slack_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slack_events_received_at'), ['received_at'], unique=False)

    op.create_table('digest_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('person_id', sa.String(length=64), nullable=False),
    sa.Column('week', sa.String(length=8), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('person_id', 'week', 'channel', name='uq_digest_log_person_week_channel')
    )
    with op.batch_alter_table('digest_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_digest_log_person_id'), ['person_id'], unique=False)

    op.create_table('digest_opt_outs',
    sa.Column('person_id', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id')
    )
    op.create_table('slack_channels',
    sa.Column('person_id', sa.String(length=64), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'channel_id')
    )
    op.create_table('slack_links',
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('slack_user_id', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.Column('conversation_id', sa.String(length=32), nullable=True),
    sa.Column('conversation_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'slack_user_id')
    )
    with op.batch_alter_table('slack_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slack_links_person_id'), ['person_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('slack_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slack_links_person_id'))

    op.drop_table('slack_links')
    op.drop_table('slack_channels')
    op.drop_table('digest_opt_outs')
    with op.batch_alter_table('digest_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_digest_log_person_id'))

    op.drop_table('digest_log')
    with op.batch_alter_table('slack_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slack_events_received_at'))

    op.drop_table('slack_events')
