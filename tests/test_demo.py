"""Demo data: reproducible, marked as invented, and the fast figures agree with a plain computation."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import func, select

from tests.conftest import ADMIN
from tracker import services
from tracker.models import Evidence, Pledge, StatusChange
from tracker.services import browse, demo

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def demo_programmes(session):
    report = demo.generate_demo_data(session, ADMIN, programmes=3, pledges=900, changes=4000, seed=7, today=TODAY)
    session.commit()
    return report


def plain_counts(session, slug: str, as_of: dt.date | None) -> Counter:
    """Each pledge's status the slow, obvious way: load its whole history and take the latest."""
    programme = services.get_programme(session, slug)
    pledges = session.scalars(select(Pledge).where(Pledge.programme_id == programme.id)).all()
    history: dict[int, list] = {p.id: [] for p in pledges}
    for change in session.scalars(select(StatusChange).where(StatusChange.programme_id == programme.id)):
        if as_of is None or change.effective_date <= as_of:
            history[change.pledge_id].append(change)
    return Counter(
        max(history[p.id], key=lambda c: (c.effective_date, c.sequence)).status if history[p.id] else "not_rated"
        for p in pledges
    )


def test_sizes_and_marking(session, demo_programmes):
    assert (demo_programmes.programmes, demo_programmes.pledges, demo_programmes.changes) == (3, 900, 4000)
    assert session.scalar(select(func.count()).select_from(Pledge)) == 900
    assert session.scalar(select(func.count()).select_from(StatusChange)) == 4000
    assert session.scalar(select(func.count()).select_from(Evidence)) == 4000  # every change has its source
    assert all(p.is_demo for p in services.list_programmes(session))


@pytest.mark.parametrize("as_of", [None, dt.date(2025, 12, 31), dt.date(2026, 6, 30), TODAY])
def test_fast_figures_equal_the_plain_computation(session, demo_programmes, as_of):
    for programme in services.list_programmes(session):
        fast = services.status_counts(session, programme, as_of)
        assert Counter({k: v for k, v in fast.items() if v}) == plain_counts(session, programme.slug, as_of)
        per_area = services.area_status_counts(session, programme, as_of)
        assert sum(r.count for r in per_area) == sum(fast.values())


def test_timeline_equals_as_of_counts(session, demo_programmes):
    programme = services.list_programmes(session)[0]
    rows = browse.status_timeline(session, programme, TODAY)
    for day in {d for d, _s, _n in rows}:
        assert {s: n for d, s, n in rows if d == day} == services.status_counts(session, programme, day)


def test_same_seed_same_data_and_replace(session, demo_programmes):
    first = services.export_json(session, services.get_programme(session, "demo-7-1"))
    demo.remove_demo_data(session, ADMIN)
    demo.generate_demo_data(session, ADMIN, programmes=3, pledges=900, changes=4000, seed=7, today=TODAY)
    session.commit()
    assert services.export_json(session, services.get_programme(session, "demo-7-1")) == first


def test_the_app_says_the_data_is_invented(app_env, session, demo_programmes):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    for page in ("pages/overview.py", "pages/pledges.py", "pages/timeline.py", "pages/method.py", "pages/open_data.py"):
        app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
        app.switch_page(page)
        app.run()
        assert not app.exception, app.exception
        assert any("Demo-Daten" in w.value for w in app.warning), page


def test_changes_are_spread_without_a_pile_up(session, demo_programmes):
    per_pledge = session.execute(select(func.count()).select_from(StatusChange).group_by(StatusChange.pledge_id))
    busiest = max(n for (n,) in per_pledge)
    assert busiest <= 40  # 4000 changes over 900 pledges: a few per pledge, never hundreds on one


def test_a_long_history_is_paged_on_the_permalink(app_env, session, herne):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import EDITOR, ROOT, make_change

    for _ in range(45):
        services.record_status_change(session, herne, "1-1", make_change("in_progress"), EDITOR, today=TODAY)
    session.commit()
    app = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
    app.query_params["pledge"] = "1-1"
    app.run()
    assert not app.exception, app.exception
    assert any("1 bis 20 von 45" in c.value for c in app.caption)
    assert len([t for t in app.text if t.value.startswith("Der Rat")]) == 20
