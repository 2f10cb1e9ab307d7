"""Sign-in under attack: simultaneous wrong passwords are all counted and the lock holds at five, on both
databases; a client address gets 20 failures in 15 minutes across accounts; every refusal costs one hash check.

The times themselves are measured in bench/sign_in_timing.py (a timed assertion here would be flaky).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import time
from collections import Counter
from urllib.parse import urlencode

import pytest
from sqlalchemy import select
from starlette.requests import Request

from dashboard import session_routes
from tests.helpers import ADMIN, stored, stored_scalars
from tracker import services
from tracker.models import AuditEvent, SignInAddress, StaffSession, User
from tracker.services import sign_in

PASSWORD = "korrekt pferd batterie"
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
ATTACKER = "203.0.113.7"


@pytest.fixture
def accounts(engine):
    for name in ("erika", "bert", "carla"):
        services.add_user(ADMIN, name, PASSWORD, "editor")
    return engine


def failure_reasons(name: str | None = None) -> Counter:
    events = stored(select(AuditEvent.actor, AuditEvent.detail).where(AuditEvent.action == "sign_in.failed"))
    return Counter(json.loads(detail)["reason"] for actor, detail in events if name in (None, actor))


def attempt(name: str, password: str, address: str | None = None, now: dt.datetime | None = None) -> bool:
    try:
        services.authenticate(name, password, now, address)
    except services.SignInFailed as error:
        assert error.code == "sign_in_failed"  # one message for every reason
        return False
    return True


def burst(calls: list, start_late=None) -> list:
    """Run ``calls`` (callables) in as many threads, released at once; ``start_late`` runs in one more thread
    as soon as it returns true, polled while the burst is still going. The results in order."""
    results: list = [None] * (len(calls) + 1)
    barrier = threading.Barrier(len(calls))

    def run(i: int) -> None:
        barrier.wait()
        results[i] = calls[i]()

    def late() -> None:
        deadline = time.monotonic() + 30
        while not start_late[0]() and time.monotonic() < deadline:
            time.sleep(0.002)
        results[-1] = start_late[1]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    if start_late:
        threads.append(threading.Thread(target=late))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results if start_late else results[:-1]


def test_twenty_simultaneous_wrong_passwords_count_twenty_and_the_lock_holds_at_five(accounts):
    def locked() -> bool:
        return stored_scalars(select(User.locked_until).where(User.name == "erika")) != [None]

    wrong = [lambda i=i: attempt("erika", f"falsch {i} falsch") for i in range(20)]
    # the right password, sent while the burst is still being checked, as soon as the lock is in the database
    results = burst(wrong, start_late=(locked, lambda: attempt("erika", PASSWORD)))
    reasons = failure_reasons("erika")
    print(f"\n20 wrong passwords sent at once: {sum(reasons.values())} counted, {reasons['wrong_password']} checked "
          f"against the account, {reasons['locked']} refused as locked; the right one in the burst: "
          f"{'signed in' if results[-1] else 'refused'}")  # fmt: skip
    assert results == [False] * 21
    assert sum(reasons.values()) == 21 and reasons["wrong_password"] == 5 and reasons["locked"] == 16
    assert locked()
    assert not attempt("erika", PASSWORD)  # after the burst, too
    assert attempt("bert", PASSWORD)  # the other accounts are not affected


def test_a_right_password_before_the_fifth_attempt_signs_in_and_starts_the_count_again(accounts):
    for _ in range(4):
        assert not attempt("erika", "falsches passwort", now=NOW)
    assert attempt("erika", PASSWORD, now=NOW)
    for _ in range(4):
        assert not attempt("erika", "falsches passwort", now=NOW)
    assert attempt("erika", PASSWORD, now=NOW)
    assert stored_scalars(select(User.failed_attempts).where(User.name == "erika")) == [0]


def test_thirty_simultaneous_failures_from_one_network_check_twenty_and_close_it_for_15_minutes(accounts):
    network = [f"2001:db8:1:2::{i + 1:x}" for i in range(30)]  # one IPv6 subscriber: one /64 network
    calls = [lambda i=i: attempt(f"niemand{i}", "falsches passwort", network[i], NOW) for i in range(30)]
    results = burst(calls)
    reasons = failure_reasons()
    print(f"\n30 failed sign-ins at once from one network: {dict(reasons)}")
    assert results == [False] * 30 and reasons == Counter(unknown_account=20, address_limited=10)
    later = NOW + dt.timedelta(minutes=14)
    assert not attempt("erika", PASSWORD, "2001:db8:1:2:ffff::1", later)  # the right password, refused
    assert stored_scalars(select(User.failed_attempts).where(User.name == "erika")) == [0]  # not counted on her
    assert attempt("bert", PASSWORD, "2001:db8:1:3::1", later)  # from the next network: signed in
    assert attempt("erika", PASSWORD, "2001:db8:1:2:ffff::1", NOW + dt.timedelta(minutes=15))  # the window ends
    addresses = {e.detail.get("address") for e in services.list_events(ADMIN, action="sign_in.failed")}
    assert addresses == {"2001:db8:1:2::/64"}


def test_addresses_are_counted_by_ipv4_address_and_ipv6_network():
    assert sign_in.address_key("192.0.2.1") == sign_in.address_key("::ffff:192.0.2.1") == "192.0.2.1"
    assert sign_in.address_key("2001:db8:1:2:ffff::1") == sign_in.address_key("2001:db8:1:2::9") == "2001:db8:1:2::/64"
    assert sign_in.address_key("fe80::1%eth0") == "fe80::/64"
    assert sign_in.address_key(None) is None and sign_in.address_key("testclient") == "testclient"


def test_a_right_password_gives_the_address_its_attempt_back(accounts):
    for name in ("erika", "bert"):
        assert not attempt(name, "falsches passwort", ATTACKER, NOW)
        assert attempt(name, PASSWORD, ATTACKER, NOW)  # a colleague behind the same address signs in
    assert stored(select(SignInAddress.address, SignInAddress.attempts)) == [(ATTACKER, 2)]


def test_every_refusal_costs_exactly_one_hash_check(accounts, monkeypatch):
    checks: list[str] = []

    def counting(password_hash: str, password: str) -> bool:
        checks.append(password_hash)
        return real(password_hash, password)

    real = sign_in.verify_password
    monkeypatch.setattr(sign_in, "verify_password", counting)
    monkeypatch.setattr(sign_in, "MAX_ADDRESS_ATTEMPTS", 2)  # (20 in earnest; fewer hashes to wait for)
    services.disable_user(ADMIN, "carla")
    for _ in range(5):
        attempt("bert", "falsches passwort", now=NOW)
    for _ in range(2):
        attempt("niemand", "falsches passwort", ATTACKER, NOW)
    cases = {
        "unknown name": ("niemand", "falsches passwort", None),
        "wrong password": ("erika", "falsches passwort", None),
        "locked": ("bert", PASSWORD, None),
        "disabled": ("carla", PASSWORD, None),
        "address limited": ("erika", PASSWORD, ATTACKER),
        "right password": ("erika", PASSWORD, None),
    }
    for case, (name, password, address) in cases.items():
        checks.clear()
        signed_in = attempt(name, password, address, NOW)
        assert len(checks) == 1, case
        assert signed_in == (case == "right password")


def test_a_session_is_opened_only_with_the_password_of_the_moment(accounts, monkeypatch):
    """A password changed while the old one is being checked opens no session (a sign-in that began before
    ``tracker user set-password`` cannot outlive it)."""
    real = sign_in.verify_password

    def slow_check(password_hash: str, password: str) -> bool:
        right = real(password_hash, password)
        services.set_password(ADMIN, "erika", "das neue passwort!")  # meanwhile, an admin sets a new one
        return right

    monkeypatch.setattr(sign_in, "verify_password", slow_check)
    with pytest.raises(services.SignInFailed):
        services.start_session("erika", PASSWORD)
    assert stored_scalars(select(StaffSession.id)) == []
    assert failure_reasons("erika") == Counter(account_changed=1)


def post_sign_in(name: str, password: str, client: str, forwarded: str | None = None) -> int:
    """POST the sign-in form to the route as a browser at ``client`` would (through a proxy: ``forwarded``);
    the response's status."""
    body = urlencode({"name": name, "password": password, "csrf": "token", "next": "/staff"}).encode()
    headers = [
        (b"host", b"tracker.example.org"),
        (b"origin", b"https://tracker.example.org"),
        (b"cookie", f"{session_routes.CSRF_COOKIE}=token".encode()),
        (b"content-type", b"application/x-www-form-urlencoded"),
    ]
    if forwarded:
        headers.append((b"x-forwarded-for", forwarded.encode()))
    scope = {
        "type": "http", "method": "POST", "path": session_routes.SIGN_IN_PATH, "query_string": b"",
        "headers": headers, "client": (client, 51000), "server": ("tracker.example.org", 443), "scheme": "https",
    }  # fmt: skip

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    return asyncio.run(session_routes.sign_in(Request(scope, receive))).status_code


def test_the_sign_in_page_counts_against_the_client_address_and_a_trusted_proxys_forwarded_one(accounts, monkeypatch):
    assert post_sign_in("erika", "falsch", "198.51.100.5", forwarded="203.0.113.66") == 401
    monkeypatch.setenv("TRACKER_TRUSTED_PROXIES", "10.0.0.2, 10.1.0.0/16")
    assert post_sign_in("erika", "falsch", "198.51.100.5", forwarded="203.0.113.66") == 401  # not via a proxy
    # through the proxies: the last address they did not write (what comes before it, a client may have forged)
    assert post_sign_in("erika", "falsch", "10.0.0.2", forwarded="6.6.6.6, 203.0.113.9, 10.1.4.4") == 401
    assert post_sign_in("bert", PASSWORD, "10.0.0.2", forwarded="203.0.113.10") == 303
    addresses = [e.detail["address"] for e in reversed(services.list_events(ADMIN, action="sign_in.failed"))]
    assert addresses == ["198.51.100.5", "198.51.100.5", "203.0.113.9"]
    counted = dict(stored(select(SignInAddress.address, SignInAddress.attempts)))
    assert counted == {"198.51.100.5": 2, "203.0.113.9": 1, "203.0.113.10": 0}  # the sign-in gave its attempt back
