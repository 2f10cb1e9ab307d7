"""Cohen's kappa (``tracker.agreement``) against a published worked example and against scikit-learn."""

from __future__ import annotations

import math
import random
import warnings

import pytest

from tracker.agreement import agreement


def pairs_from_table(table: list[list[int]]) -> list[tuple[int, int]]:
    """One (rater A, rater B) pair per counted item of a contingency table (rows: A, columns: B)."""
    return [(row, column) for row, counts in enumerate(table) for column, n in enumerate(counts) for _ in range(n)]


def test_kappa_of_cohens_own_worked_example():
    # Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and Psychological
    # Measurement 20(1), 37-46, Table 1: two judges sort 200 cases into three categories; the paper gives
    # p_o = .70, p_c = .41 and kappa = .29 / .59 = .492.
    table = [[88, 14, 18], [10, 40, 10], [2, 6, 12]]
    result = agreement(pairs_from_table(table))
    assert (result.items, result.agreed, result.disagreed) == (200, 140, 60)
    assert result.observed == pytest.approx(0.70)
    assert result.expected == pytest.approx(0.41)
    assert round(result.kappa, 3) == 0.492


def test_kappa_is_not_computable_when_chance_agreement_is_certain():
    same = agreement([("kept", "kept")] * 5)
    assert (same.observed, same.expected, same.kappa) == (1.0, 1.0, None)
    assert agreement([]).kappa is None and agreement([]).items == 0


def test_kappa_of_total_and_of_no_agreement():
    assert agreement([("kept", "kept"), ("broken", "broken")]).kappa == 1.0
    assert agreement([("kept", "broken"), ("broken", "kept")]).kappa == -1.0


def test_kappa_equals_scikit_learns_on_random_ratings():
    sklearn = pytest.importorskip("sklearn.metrics")
    rng = random.Random(12)
    statuses = ["not_rated", "in_progress", "stalled", "partially_kept", "kept", "broken"]
    compared = undefined = 0
    for _ in range(300):
        n = rng.randint(1, 40)
        categories = rng.sample(statuses, rng.randint(1, len(statuses)))
        first = [rng.choice(categories) for _ in range(n)]
        # often the same as the first rater, so that every kind of agreement occurs
        second = [a if rng.random() < rng.random() else rng.choice(categories) for a in first]
        ours = agreement(zip(first, second, strict=True)).kappa
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # scikit-learn warns where kappa is undefined (and returns nan)
            theirs = sklearn.cohen_kappa_score(first, second)
        if math.isnan(theirs):
            assert ours is None, (first, second)
            undefined += 1
        else:
            assert ours == pytest.approx(theirs, abs=1e-12), (first, second)
            compared += 1
    assert compared > 250 and undefined > 0
