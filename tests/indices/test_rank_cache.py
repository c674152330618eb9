"""Cached ranks: a second read costs one query, and an import shows at once (never stale)."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from papitrack.indices.models import Index
from papitrack.indices.queries import (
    province_history,
    ranked_scores,
    ranked_year,
    scores_version,
)
from papitrack.indices.services import import_published_scores
from papitrack.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def papi():
    # As the pages load it: with its group rules.
    return Index.objects.prefetch_related("group_rules").get(code="PAPI")


def _import(tmp_path, body):
    path = tmp_path / "scores.csv"
    path.write_text("province,year,dimension,score\n" + body, encoding="utf-8")
    return import_published_scores(index_code="PAPI", path=path)


def _quang_nam(rows):
    return next(row for row in rows if row.province_code == "49")


def test_second_read_of_ranks_costs_only_the_version_query(
    papi, django_assert_num_queries, django_assert_max_num_queries
):
    with django_assert_num_queries(2):  # the version, the scores
        first = ranked_scores(index=papi, year=2020, dimension_code="overall")
    with django_assert_num_queries(1):  # the version
        second = ranked_scores(index=papi, year=2020, dimension_code="overall")

    assert second == first
    assert (_quang_nam(second).score, _quang_nam(second).rank) == (Decimal("43.2623330"), 21)


def test_changed_score_shows_in_every_cached_ranking(papi, tmp_path):
    province = OrgUnit.objects.get(code="49")
    ranked_scores(index=papi, year=2020, dimension_code="overall")
    ranked_year(index=papi, year=2020)
    province_history(index=papi, province=province)
    version = scores_version(index=papi)

    result = _import(tmp_path, "Quảng Nam,2020,overall,60\n")

    assert (result.created, result.updated) == (0, 1)
    assert scores_version(index=papi) != version
    table = ranked_scores(index=papi, year=2020, dimension_code="overall")
    assert (_quang_nam(table).score, _quang_nam(table).rank) == (Decimal("60.0000000"), 1)
    assert ranked_year(index=papi, year=2020)["overall"]["49"].rank == 1
    history = province_history(index=papi, province=province)
    overall_2020 = next(
        row
        for row in history
        if (row.current.year, row.current.dimension_code) == (2020, "overall")
    )
    assert overall_2020.previous is not None
    assert (overall_2020.current.rank, overall_2020.rank_change) == (
        1,
        overall_2020.previous.rank - 1,
    )


def test_new_year_shows_after_its_import(papi, tmp_path):
    assert ranked_scores(index=papi, year=2030, dimension_code="overall") == []

    _import(tmp_path, "49,2030,overall,50\n48,2030,overall,51\n")

    table = ranked_scores(index=papi, year=2030, dimension_code="overall")
    assert [(row.province_code, row.rank, row.count) for row in table] == [
        ("48", 1, 2),
        ("49", 2, 2),
    ]


def test_plan_overview_shows_the_new_actual_after_an_import(coordinator_client, plan, tmp_path):
    url = reverse("web:plan_overview", args=[plan.pk])
    before = coordinator_client.get(url).context["rows"][0]

    _import(tmp_path, "Quảng Nam,2020,overall,60\n")
    after = coordinator_client.get(url).context["rows"][0]

    assert (before.dimension_code, before.actual) == ("overall", Decimal("43.2623330"))
    assert (after.dimension_code, after.actual, after.actual_rank) == (
        "overall",
        Decimal("60.0000000"),
        1,
    )


def test_plan_overview_reads_fewer_queries_the_second_time(coordinator_client, plan):
    url = reverse("web:plan_overview", args=[plan.pk])
    coordinator_client.get(url)  # the session's first request costs more
    cache.clear()
    reset_queries()  # a request resets the log, which would hide earlier entries
    with CaptureQueriesContext(connection) as cold:
        first = coordinator_client.get(url)
    cold_queries = len(cold)  # now: the log is reset by the next request
    with CaptureQueriesContext(connection) as warm:
        second = coordinator_client.get(url)

    assert second.context["rows"] == first.context["rows"]
    assert len(warm) == cold_queries - 1  # the scores are not read again
