"""Who acts: the claim a signed-in browser, a single-sign-on user or the CLI hands to every use case.

Its own module, below both the audit trail (which records who acted) and the account rules in
``tracker.services.auth`` (which check the claim with ``require``), so that neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.statuses import Role


@dataclass(frozen=True)
class Actor:
    """Someone who writes: a signed-in account, a single-sign-on user, or the operator at the CLI.

    Only a claim: every service checks it again with ``require`` (see there for the rule of each channel).
    """

    name: str
    role: str
    channel: str = "app"  # app, sso or cli
    display_name: str = ""  # the person's full name; the login name is never shown publicly
    # At the CLI: an account's actor (``--as NAME``, see ``account_actor``), checked like a signed-in one.
    # A CLI actor without it is the operator at the terminal.
    account: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def may_review(self) -> bool:
        """Whether the role may approve or return what others propose (reviewers and admins)."""
        return self.role in (Role.REVIEWER, Role.ADMIN)

    @property
    def is_operator(self) -> bool:
        """The person at the terminal (``tracker`` without ``--as``), who can reach the database anyway."""
        return self.channel == "cli" and not self.account

    @property
    def signature(self) -> str:
        """The name that signs what this actor records, publicly: the full name when one is set."""
        return self.display_name or self.name
