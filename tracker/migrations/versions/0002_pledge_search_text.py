"""pledge search text

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 08:40:44.408507
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tracker.search import search_text

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pledge", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT p.id, p.code, p.text, g.title FROM pledge p LEFT JOIN goal g ON g.id = p.goal_id")
    ).all()
    for pledge_id, code, text, goal_title in rows:
        connection.execute(
            sa.text("UPDATE pledge SET search_text = :s WHERE id = :id"),
            {"s": search_text(code, text, goal_title), "id": pledge_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("pledge", schema=None) as batch_op:
        batch_op.drop_column("search_text")
