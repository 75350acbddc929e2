"""people goals checkins kpis feedback

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 11:56:31.514165
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('people',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('department', sa.String(length=100), nullable=True),
    sa.Column('pronouns', sa.String(length=32), nullable=True),
    sa.Column('manager_id', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['manager_id'], ['people.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email')
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_people_manager_id'), ['manager_id'], unique=False)

    op.create_table('checkins',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('employee_id', sa.String(length=64), nullable=False),
    sa.Column('manager_id', sa.String(length=64), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('blockers', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['people.id'], ),
    sa.ForeignKeyConstraint(['manager_id'], ['people.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.create_index('ix_checkins_employee_date', ['employee_id', 'date'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkins_manager_id'), ['manager_id'], unique=False)

    op.create_table('feedback',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('from_id', sa.String(length=64), nullable=False),
    sa.Column('to_id', sa.String(length=64), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['from_id'], ['people.id'], ),
    sa.ForeignKeyConstraint(['to_id'], ['people.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index('ix_feedback_to_date', ['to_id', 'date'], unique=False)

    op.create_table('goals',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('owner_id', sa.String(length=64), nullable=False),
    sa.Column('parent_id', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('metric', sa.String(length=200), nullable=True),
    sa.Column('unit', sa.String(length=32), nullable=True),
    sa.Column('direction', sa.String(length=8), nullable=True),
    sa.Column('baseline', sa.Float(), nullable=True),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('current', sa.Float(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['people.id'], ),
    sa.ForeignKeyConstraint(['parent_id'], ['goals.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goals_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goals_parent_id'), ['parent_id'], unique=False)

    op.create_table('kpis',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=32), nullable=True),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('owner_id', sa.String(length=64), nullable=False),
    sa.Column('scope', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['people.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('kpis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpis_owner_id'), ['owner_id'], unique=False)

    op.create_table('action_items',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('checkin_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.String(length=64), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['checkin_id'], ['checkins.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['people.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_items_checkin_id'), ['checkin_id'], unique=False)

    op.create_table('checkin_goals',
    sa.Column('checkin_id', sa.String(length=64), nullable=False),
    sa.Column('goal_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['checkin_id'], ['checkins.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['goal_id'], ['goals.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('checkin_id', 'goal_id')
    )
    with op.batch_alter_table('checkin_goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_goals_goal_id'), ['goal_id'], unique=False)

    op.create_table('kpi_goals',
    sa.Column('kpi_id', sa.String(length=64), nullable=False),
    sa.Column('goal_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['goals.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpis.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('kpi_id', 'goal_id')
    )
    with op.batch_alter_table('kpi_goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_goals_goal_id'), ['goal_id'], unique=False)

    op.create_table('kpi_values',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kpi_id', sa.String(length=64), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpis.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kpi_id', 'date', name='uq_kpi_values_kpi_date')
    )
    op.create_table('progress_updates',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('goal_id', sa.String(length=64), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('author_id', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], ),
    sa.ForeignKeyConstraint(['goal_id'], ['goals.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_updates_goal_id'), ['goal_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_updates_goal_id'))

    op.drop_table('progress_updates')
    op.drop_table('kpi_values')
    with op.batch_alter_table('kpi_goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_goals_goal_id'))

    op.drop_table('kpi_goals')
    with op.batch_alter_table('checkin_goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_goals_goal_id'))

    op.drop_table('checkin_goals')
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_items_checkin_id'))

    op.drop_table('action_items')
    with op.batch_alter_table('kpis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpis_owner_id'))

    op.drop_table('kpis')
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goals_parent_id'))
        batch_op.drop_index(batch_op.f('ix_goals_owner_id'))

    op.drop_table('goals')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_to_date')

    op.drop_table('feedback')
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkins_manager_id'))
        batch_op.drop_index('ix_checkins_employee_date')

    op.drop_table('checkins')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_manager_id'))

    op.drop_table('people')
    op.drop_table('meta')
