"""Demo data: reproducible, marked as invented, and the fast figures agree with a plain computation."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import func, select

from tests.helpers import ADMIN, EDITOR, ROOT, TODAY, count, make_change, open_app, stored, stored_scalars
from tracker import services
from tracker.models import Evidence, Pledge, Programme, StatusChange


@pytest.fixture
def demo_programmes(engine) -> services.DemoReport:
    return services.generate_demo_data(ADMIN, programmes=3, pledges=900, changes=4000, seed=7, today=TODAY)


def plain_counts(slug: str, as_of: dt.date | None) -> Counter:
    """Each pledge's status the slow, obvious way: load its whole history and take the latest."""
    [programme_id] = stored_scalars(select(Programme.id).where(Programme.slug == slug))
    pledges = stored_scalars(select(Pledge.id).where(Pledge.programme_id == programme_id))
    history: dict[int, list] = {p: [] for p in pledges}
    changes = stored(
        select(StatusChange.pledge_id, StatusChange.effective_date, StatusChange.sequence, StatusChange.status).where(
            StatusChange.programme_id == programme_id
        )
    )
    for pledge_id, effective_date, sequence, status in changes:
        if as_of is None or effective_date <= as_of:
            history[pledge_id].append((effective_date, sequence, status))
    return Counter(max(history[p])[2] if history[p] else "not_rated" for p in pledges)


def test_sizes_and_marking(demo_programmes):
    assert (demo_programmes.programmes, demo_programmes.pledges, demo_programmes.changes) == (3, 900, 4000)
    assert count(Pledge) == 900
    assert count(StatusChange) == 4000
    assert count(Evidence) == 4000  # every change has its source
    assert all(p.is_demo for p in services.list_programmes())


@pytest.mark.parametrize("as_of", [None, dt.date(2025, 12, 31), dt.date(2026, 6, 30), TODAY])
def test_fast_figures_equal_the_plain_computation(demo_programmes, as_of):
    for programme in services.list_programmes():
        fast = services.status_counts(programme.slug, as_of)
        assert Counter({k: v for k, v in fast.items() if v}) == plain_counts(programme.slug, as_of)
        per_area = services.area_status_counts(programme.slug, as_of)
        assert sum(r.count for r in per_area) == sum(fast.values())


def test_timeline_equals_as_of_counts(demo_programmes):
    programme = services.list_programmes()[0]
    rows = services.status_timeline(programme.slug, TODAY)
    for day in {d for d, _s, _n in rows}:
        assert {s: n for d, s, n in rows if d == day} == services.status_counts(programme.slug, day)


def test_same_seed_same_data_and_replace(demo_programmes):
    first = services.export_json("demo-7-1")
    assert services.remove_demo_data(ADMIN) == 3
    services.generate_demo_data(ADMIN, programmes=3, pledges=900, changes=4000, seed=7, today=TODAY)
    assert services.export_json("demo-7-1") == first


def test_the_app_says_the_data_is_invented(app_env, demo_programmes):
    for page in (
        "views/overview.py",
        "views/measures.py",
        "views/timeline.py",
        "views/method.py",
        "views/open_data.py",
    ):
        app = open_app(page)
        assert any("Demo-Daten" in w.value for w in app.warning), page


def test_changes_are_spread_without_a_pile_up(demo_programmes):
    per_pledge = stored(select(func.count()).select_from(StatusChange).group_by(StatusChange.pledge_id))
    busiest = max(n for (n,) in per_pledge)
    assert busiest <= 40  # 4000 changes over 900 pledges: a few per pledge, never hundreds on one


def test_a_long_history_is_paged_on_the_permalink(app_env, herne):
    from streamlit.testing.v1 import AppTest

    for n in range(45):
        change = make_change("in_progress", rationale=f"Der Rat hat zum {n + 1}. Mal beraten.")
        services.record_status_change(herne, "1-1", change, EDITOR, today=TODAY)
    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
    app.query_params["pledge"] = "1-1"
    app.run()
    assert not app.exception, app.exception
    assert any("1 bis 20 von 45" in c.value for c in app.caption)
    assert len([t for t in app.text if t.value.startswith("Der Rat")]) == 20


def test_a_failed_replace_keeps_the_earlier_demo_data(demo_programmes):
    before = [p.slug for p in services.list_programmes()]
    with pytest.raises(services.InvalidInput, match="pledges: must be at least 2"):
        services.generate_demo_data(ADMIN, programmes=2, pledges=1, changes=0, replace=True)
    assert [p.slug for p in services.list_programmes()] == before
    assert count(Pledge) == 900
