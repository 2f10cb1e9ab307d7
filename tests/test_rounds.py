"""Double-rating rounds: the sample, blind ratings, the agreement, settling and closing, the CLI."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest
from sqlalchemy import select

from tests.helpers import ADMIN, TODAY, add_account, make_change, run_cli, stored, stored_scalars
from tracker import db, services
from tracker.models import Area, Pledge, RoundItem, StatusChange
from tracker.services.rounds import draw_sample, proportional_quotas

pytestmark = pytest.mark.review  # review in its default mode, auto (tests/conftest.py turns it off elsewhere)


@pytest.fixture
def team(herne):
    """Two raters, a reviewer and an admin (accounts); the Herne programme's slug."""
    return {
        "slug": herne,
        "rita": add_account("rita", "Rita Rater"),
        "rolf": add_account("rolf", "Rolf Rater"),
        "rudi": add_account("rudi", "Rudi Review", "reviewer"),
        "ada": add_account("ada", "Ada Admin", "admin"),
    }


def sample_codes(round_id: int) -> list[str]:
    return stored_scalars(
        select(Pledge.code)
        .join(RoundItem, RoundItem.pledge_id == Pledge.id)
        .where(RoundItem.round_id == round_id)
        .order_by(Pledge.position)  # in the programme's order (PostgreSQL returns a join in any order)
    )


def current_areas(slug: str) -> Counter:
    rows = stored(select(Area.number).join(Pledge, Pledge.area_id == Area.id).where(Pledge.retired_on.is_(None)))
    return Counter(number for (number,) in rows)


def new_round(team, size=6, **options) -> services.RoundSummary:
    return services.create_round(team["slug"], size, ("rita", "rolf"), team["ada"], **options)


def rate_all(team, round_id, first: dict[str, str], second: dict[str, str]) -> None:
    services.rate_items(team["slug"], round_id, first, team["rita"])
    services.rate_items(team["slug"], round_id, second, team["rolf"])


# --- the sample -----------------------------------------------------------------------------------------------


def test_a_stratified_sample_gives_each_area_its_proportional_share(team):
    areas = current_areas(team["slug"])
    total = sum(areas.values())
    created = new_round(team, 40, stratified=True, seed=7)
    drawn = Counter(
        number
        for (number,) in stored(
            select(Area.number)
            .join(Pledge, Pledge.area_id == Area.id)
            .join(RoundItem, RoundItem.pledge_id == Pledge.id)
            .where(RoundItem.round_id == created.id)
        )
    )
    assert sum(drawn.values()) == 40 == created.sample_size
    for number, count in areas.items():
        share = 40 * count / total
        assert int(share) <= drawn[number] <= int(share) + 1, (number, share, drawn[number])
    assert created.sampling == "stratified"


def test_the_same_seed_draws_the_same_sample_and_another_seed_another(team):
    first = new_round(team, 20, seed=123)
    again = new_round(team, 20, seed=123)
    other = new_round(team, 20, seed=124)
    assert sample_codes(first.id) == sample_codes(again.id) != sample_codes(other.id)
    assert len(set(sample_codes(first.id))) == 20
    # and the stored seed redraws it from the measures alone
    candidates = stored(select(Pledge.code, Area.number).join(Area).order_by(Pledge.position))
    assert draw_sample(candidates, 20, False, first.seed) == sample_codes(first.id)


def test_retired_measures_are_never_drawn(team):
    with db.get_engine().begin() as connection:
        connection.exec_driver_sql("UPDATE pledge SET retired_on = '2026-01-01' WHERE code LIKE '8.%%'")
    current = stored_scalars(select(Pledge.code).where(Pledge.retired_on.is_(None)).order_by(Pledge.position))
    created = new_round(team, len(current), seed=1)  # every current measure
    assert sample_codes(created.id) == current and not [c for c in current if c.startswith("8.")]
    with pytest.raises(services.InvalidInput, match="accepted: 2 to 200"):
        new_round(team, len(current) + 1)


def test_proportional_quotas_add_up_by_the_largest_remainder():
    assert proportional_quotas({1: 10, 2: 10, 3: 10}, 10) == {1: 4, 2: 3, 3: 3}
    assert proportional_quotas({1: 50, 2: 30, 3: 20}, 7) == {1: 4, 2: 2, 3: 1}
    assert sum(proportional_quotas({n: n * 3 for n in range(1, 18)}, 40).values()) == 40


def test_a_round_needs_a_sensible_size_and_two_different_accounts(team):
    for size, raters, code in [
        (1, ("rita", "rolf"), "out_of_range"),
        (10_000, ("rita", "rolf"), "out_of_range"),
        (5, ("rita", "rita"), "raters_same"),
        (5, ("rita", "nobody"), "rater_unknown"),
    ]:
        with pytest.raises(services.InvalidInput) as error:
            services.create_round(team["slug"], size, raters, team["ada"])
        assert error.value.code == code
    services.disable_user(ADMIN, "rolf")
    with pytest.raises(services.InvalidInput) as error:
        services.create_round(team["slug"], 5, ("rita", "rolf"), team["ada"])
    assert error.value.code == "rater_disabled"
    assert services.list_rounds(team["slug"], ADMIN) == []


def test_only_an_admin_creates_a_round(team):
    with pytest.raises(services.PermissionDenied, match="Only an admin"):
        services.create_round(team["slug"], 5, ("rita", "rolf"), team["rudi"])


# --- rating blind ---------------------------------------------------------------------------------------------


def test_a_raters_view_holds_neither_the_other_rating_nor_the_public_one(team):
    slug = team["slug"]
    created = new_round(team, 4, seed=5)
    code, *_ = sample_codes(created.id)
    services.record_status_change(slug, code, make_change("stalled", "2026-02-01"), ADMIN, today=TODAY)
    services.add_evidence(slug, code, services.SourceInput("https://www.herne.de/frei", "Freie Quelle"), ADMIN)
    services.rate_items(slug, created.id, {code: "kept"}, team["rita"])

    view = services.rater_view(slug, created.id, team["rolf"])
    item = next(i for i in view.items if i.code == code)
    shown = repr(dataclasses.asdict(view))
    assert "'kept'" not in shown and "'stalled'" not in shown
    assert {f.name for f in dataclasses.fields(services.BlindItem)} >= {"text", "success_criterion", "sources"}
    assert not {"status", "status_date", "history", "rating_a", "rating_b"} & {
        f.name for f in dataclasses.fields(services.BlindItem)
    }
    # the source added on its own is there; the one of the public rating is not
    assert [s.url for s in item.sources] == ["https://www.herne.de/frei"]
    assert item.own_rating is None and len(view.open) == 4
    # and the figures wait for both raters
    result = services.round_result(slug, created.id, team["rita"])
    assert result.overall is None and result.disagreements == ()
    assert (result.round.rated_a, result.round.rated_b, result.round.state) == (1, 0, "rating")


def test_a_rating_is_final_and_only_the_two_raters_rate(team):
    slug = team["slug"]
    created = new_round(team, 3, seed=5)
    code = sample_codes(created.id)[0]
    services.rate_items(slug, created.id, {code: "kept"}, team["rita"])
    with pytest.raises(services.InvalidInput) as error:
        services.rate_items(slug, created.id, {code: "broken"}, team["rita"])
    assert error.value.code == "rating_final"
    for outsider in (team["rudi"], team["ada"], ADMIN):
        with pytest.raises(services.PermissionDenied) as error:
            services.rate_items(slug, created.id, {code: "kept"}, outsider)
        assert error.value.code == "not_a_rater"
        with pytest.raises(services.PermissionDenied):
            services.rater_view(slug, created.id, outsider)
    with pytest.raises(services.InvalidInput) as error:
        services.rate_items(slug, created.id, {"1-1" if code != "1-1" else "1-2": "kept"}, team["rolf"])
    assert error.value.code == "not_in_round"
    with pytest.raises(services.InvalidInput) as error:
        services.rate_items(slug, created.id, {code: "great"}, team["rolf"])
    assert error.value.code == "unknown_status"
    with pytest.raises(services.NotFound) as error:
        services.rate_items(slug, 999, {code: "kept"}, team["rolf"])
    assert error.value.code == "no_round"
    [item] = stored(select(RoundItem.rating_a, RoundItem.rating_b).join(Pledge).where(Pledge.code == code))
    assert tuple(item) == ("kept", None)


# --- agreement, settling, closing -----------------------------------------------------------------------------


def test_a_complete_round_gives_the_agreement_and_its_disagreements_are_settled_and_published(team):
    slug = team["slug"]
    created = new_round(team, 4, seed=11)
    codes = sample_codes(created.id)
    first = dict(zip(codes, ["kept", "broken", "in_progress", "kept"], strict=True))
    second = dict(zip(codes, ["kept", "broken", "stalled", "in_progress"], strict=True))
    rate_all(team, created.id, first, second)

    result = services.round_result(slug, created.id, team["rudi"])
    assert result.round.state == "settling"
    assert (result.overall.items, result.overall.agreed) == (4, 2)
    assert result.overall.observed == 0.5
    assert result.overall.kappa == pytest.approx(1 / 3)  # (8 - 4) / (16 - 4)
    assert [d.code for d in result.disagreements] == codes[2:]
    assert sum(a.agreement.items for a in result.areas) == 4

    with pytest.raises(services.InvalidInput) as error:  # not before every disagreement is settled
        services.close_round(slug, created.id, "Abgeglichen.", team["ada"])
    assert error.value.code == "unsettled"
    with pytest.raises(services.PermissionDenied) as error:  # a rater cannot settle
        services.settle_disagreement(slug, created.id, codes[2], make_change("stalled"), team["rita"], TODAY)
    assert error.value.code == "rater_cannot_settle"
    with pytest.raises(services.InvalidInput) as error:  # an agreement needs no settling
        services.settle_disagreement(slug, created.id, codes[0], make_change("kept"), team["rudi"], TODAY)
    assert error.value.code == "no_disagreement"

    for code in codes[2:]:
        services.settle_disagreement(slug, created.id, code, make_change("stalled"), team["rudi"], TODAY)
    with pytest.raises(services.InvalidInput) as error:
        services.settle_disagreement(slug, created.id, codes[2], make_change("kept"), team["ada"], TODAY)
    assert error.value.code == "already_settled"

    linked = stored(
        select(StatusChange.status, StatusChange.author, Pledge.code)
        .join(RoundItem, RoundItem.settled_change_id == StatusChange.id)
        .join(Pledge, Pledge.id == StatusChange.pledge_id)
    )
    assert sorted(tuple(row) for row in linked) == sorted(("stalled", "Rudi Review", code) for code in codes[2:])
    settled = services.round_result(slug, created.id, team["rudi"])
    assert [d.settled_status for d in settled.disagreements] == ["stalled", "stalled"]
    assert all(d.settled_by == "Rudi Review" for d in settled.disagreements)

    assert services.closed_rounds(slug) == ()
    services.close_round(slug, created.id, "Zwei Abweichungen, beide von Rudi abgeglichen.", team["ada"])
    [published] = services.closed_rounds(slug)
    assert (published.sample_size, published.disagreements, published.settled) == (4, 2, 2)
    assert published.overall.kappa == pytest.approx(1 / 3)
    assert "rita" not in repr(published) and "Rita" not in repr(published)
    with pytest.raises(services.InvalidInput) as error:
        services.rate_items(slug, created.id, {codes[0]: "kept"}, team["rita"])
    assert error.value.code == "round_closed"


def test_a_round_cannot_be_settled_or_closed_before_both_have_rated(team):
    slug = team["slug"]
    created = new_round(team, 2, seed=3)
    code = sample_codes(created.id)[0]
    services.rate_items(slug, created.id, {code: "kept"}, team["rita"])
    for call in (
        lambda: services.settle_disagreement(slug, created.id, code, make_change(), team["rudi"], TODAY),
        lambda: services.close_round(slug, created.id, "x", team["ada"]),
    ):
        with pytest.raises(services.InvalidInput) as error:
            call()
        assert error.value.code == "round_incomplete"


def test_an_editor_cannot_settle(team):
    slug = team["slug"]
    created = new_round(team, 2, seed=3)
    a, b = sample_codes(created.id)
    rate_all(team, created.id, {a: "kept", b: "kept"}, {a: "broken", b: "kept"})
    erika = add_account("erika", "Erika Editor")
    with pytest.raises(services.PermissionDenied) as error:
        services.settle_disagreement(slug, created.id, a, make_change(), erika, TODAY)
    assert error.value.code == "reviewer_only"


def test_kappa_not_computable_when_both_raters_give_one_status(team):
    slug = team["slug"]
    created = new_round(team, 3, seed=3)
    same = dict.fromkeys(sample_codes(created.id), "in_progress")
    rate_all(team, created.id, same, same)
    result = services.round_result(slug, created.id, team["ada"])
    assert result.overall.observed == 1.0 and result.overall.kappa is None
    services.close_round(slug, created.id, "", team["ada"])  # nothing to settle: the note may be empty
    assert services.closed_rounds(slug)[0].overall.kappa is None


# --- the command line -----------------------------------------------------------------------------------------


def test_a_round_from_the_command_line(team):
    out = run_cli("round", "create", "--size", "3", "--raters", "rita", "rolf", "--seed", "9", "--as", "ada")
    assert out.exit_code == 0, out.stderr
    assert "Round 1" in out.stdout and "rita" in out.stdout
    codes = sample_codes(1)
    assert all(code in out.stdout for code in codes)
    listed = run_cli("round", "list")
    assert listed.exit_code == 0 and "1\t" in listed.stdout
    for rater, statuses in (("rita", ["kept", "broken", "kept"]), ("rolf", ["kept", "kept", "kept"])):
        for code, status in zip(codes, statuses, strict=True):
            rated = run_cli("round", "rate", "1", code, status, "--as", rater)
            assert rated.exit_code == 0, rated.stderr
    twice = run_cli("round", "rate", "1", codes[0], "broken", "--as", "rita")
    assert twice.exit_code == 1 and "final" in twice.stderr and "Traceback" not in twice.stderr
    shown = run_cli("round", "show", "1")
    assert shown.exit_code == 0
    assert "2 of 3" in shown.stdout and "kappa" in shown.stdout and codes[1] in shown.stdout
    by_rater = run_cli(
        "round", "settle", "1", codes[1], "kept", "--rationale", "Beschlossen.", "--source", "https://www.herne.de/b",
        "--as", "rita",
    )  # fmt: skip
    assert by_rater.exit_code == 1 and "cannot settle" in by_rater.stderr
    settled = run_cli(
        "round", "settle", "1", codes[1], "kept", "--rationale", "Beschlossen.", "--source", "https://www.herne.de/b",
        "--as", "rudi",
    )  # fmt: skip
    assert settled.exit_code == 0, settled.stderr
    closed = run_cli("round", "close", "1", "--note", "Von Rudi abgeglichen.", "--as", "ada")
    assert closed.exit_code == 0, closed.stderr
    assert services.closed_rounds(team["slug"])[0].settled == 1


def test_wrong_input_at_the_command_line_gets_a_message(team):
    run_cli("round", "create", "--size", "3", "--raters", "rita", "rolf", "--seed", "9", "--as", "ada")
    for args, message in [
        (["round", "show", "7"], "No round 7"),
        (["round", "rate", "7", "1-1", "kept", "--as", "rita"], "No round 7"),
        (["round", "rate", "1", "1-1", "kept", "--as", "nobody"], "No account named 'nobody'"),
        (["round", "rate", "1", "10.3-3", "great", "--as", "rita"], "unknown status"),
        (["round", "create", "--size", "3", "--raters", "rita", "rita", "--as", "ada"], "two different accounts"),
        (["round", "create", "--size", "0", "--raters", "rita", "rolf", "--as", "ada"], "accepted: 2 to"),
        (["round", "create", "--size", "3", "--raters", "rita", "rolf", "--as", "rudi"], "Only an admin"),
        (["round", "close", "1", "--note", "x", "--as", "ada"], "not complete"),
        (["round", "rate", "1", "1-1", "kept", "--as", "rudi"], "not one of them"),
        (["round", "settle", "1", "1-1", "kept", "--rationale", "x", "--source", "https://a.de", "--as", "rudi"],
         "not complete"),
    ]:  # fmt: skip
        out = run_cli(*args)
        assert out.exit_code != 0, args
        assert message in out.stderr and "Traceback" not in out.stderr, (args, out.stderr)


def test_a_settled_rating_is_a_proposal_while_review_is_on_and_public_once_approved(team, monkeypatch):
    slug = team["slug"]
    created = new_round(team, 2, seed=3)
    a, b = sample_codes(created.id)
    rate_all(team, created.id, {a: "kept", b: "kept"}, {a: "broken", b: "kept"})
    recorded = services.settle_disagreement(slug, created.id, a, make_change("stalled"), team["rudi"], TODAY)
    assert recorded.proposed and recorded.sequence is None
    assert services.pledge_view(slug, a).history == ()  # the public sees nothing yet
    [item] = stored(select(RoundItem.settled_change_id, RoundItem.settled_by).join(Pledge).where(Pledge.code == a))
    assert tuple(item) == (recorded.change_id, "Rudi Review")
    assert services.round_result(slug, created.id, team["ada"]).disagreements[0].settled_state == "proposed"
    with pytest.raises(services.TrackerError):  # not by its own author
        services.approve_proposal(slug, "status_change", recorded.change_id, team["rudi"])
    services.approve_proposal(slug, "status_change", recorded.change_id, team["ada"])
    assert [c.status for c in services.pledge_view(slug, a).history] == ["stalled"]
    assert services.round_result(slug, created.id, team["ada"]).disagreements[0].settled_state == "approved"


def test_a_settled_rating_is_public_at_once_while_review_is_off(team, monkeypatch):
    monkeypatch.setenv("TRACKER_REVIEW", "off")
    slug = team["slug"]
    created = new_round(team, 2, seed=3)
    a, b = sample_codes(created.id)
    rate_all(team, created.id, {a: "kept", b: "kept"}, {a: "broken", b: "kept"})
    recorded = services.settle_disagreement(slug, created.id, a, make_change("broken"), team["rudi"], TODAY)
    assert not recorded.proposed and recorded.sequence == 1
    assert [c.status for c in services.pledge_view(slug, a).history] == ["broken"]


def test_hostile_notes_codes_and_statuses_get_a_clear_refusal(team):
    from tests.hostile import CONTROL, MARKUP, SIZES

    slug = team["slug"]
    created = new_round(team, 2, seed=3)
    a, b = sample_codes(created.id)
    rate_all(team, created.id, {a: "kept", b: "kept"}, {a: "broken", b: "kept"})
    services.settle_disagreement(slug, created.id, a, make_change("stalled"), team["rudi"], TODAY)
    refused = 0
    for name, text in CONTROL + SIZES:
        if name in ("zero-width", "rtl-override", "carriage-return", "many-words"):  # a text of lines takes them
            continue
        with pytest.raises(services.InvalidInput) as error:
            services.close_round(slug, created.id, text, team["ada"])
        assert error.value.field == "note", name
        refused += 1
    for _name, text in CONTROL + MARKUP + SIZES:  # as a code or a status, nothing is taken, nothing breaks
        for call in (
            lambda t=text: services.rate_items(slug, created.id, {t: "kept"}, team["rita"]),
            lambda t=text: services.rate_items(slug, created.id, {a: t}, team["rita"]),
            lambda t=text: services.settle_disagreement(slug, created.id, t, make_change(), team["ada"], TODAY),
        ):
            with pytest.raises(services.TrackerError):
                call()
            refused += 1
    _, markup = MARKUP[0]
    services.close_round(slug, created.id, markup, team["ada"])  # markup is text: kept as typed, shown as text
    assert services.closed_rounds(slug)[0].settlement_note == markup
    print(f"\n{refused} hostile inputs refused with a message")
