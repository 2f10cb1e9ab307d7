"""index on status_change.corrects_id

Without it, every deleted or replaced status change made SQLite scan the whole table for rows that
correct it (the foreign key check), so ``demo-data --replace`` slowed quadratically.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 19:00:00
"""

from __future__ import annotations

from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('status_change', schema=None) as batch_op:
        batch_op.create_index('ix_status_change_corrects', ['corrects_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('status_change', schema=None) as batch_op:
        batch_op.drop_index('ix_status_change_corrects')
