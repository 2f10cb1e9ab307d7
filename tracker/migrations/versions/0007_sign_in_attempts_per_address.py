"""sign-in attempts per client address

The limit of failed sign-ins per client address (across accounts) is counted in the database, so that it
holds across processes and replicas.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sign_in_address',
    sa.Column('address', sa.String(length=100), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('address', name=op.f('pk_sign_in_address'))
    )
    with op.batch_alter_table('sign_in_address', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_address_window_start'), ['window_start'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sign_in_address', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_address_window_start'))

    op.drop_table('sign_in_address')
