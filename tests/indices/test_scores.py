from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from papitrack.indices.enums import GroupSizeStatus
from papitrack.indices.models import Index, PublishedScore
from papitrack.indices.queries import province_history, ranked_scores
from papitrack.indices.services import import_published_scores
from papitrack.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def papi():
    return Index.objects.get(code="PAPI")


def write_csv(tmp_path, text, name="scores.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_every_year_2018_to_2024_is_loaded_with_missing_values_absent(papi):
    counts = {
        year: PublishedScore.objects.filter(
            index=papi, year=year, dimension__code="overall"
        ).count()
        for year in range(2018, 2025)
    }
    assert counts == {2018: 61, 2019: 63, 2020: 63, 2021: 60, 2022: 61, 2023: 61, 2024: 61}
    provinces = PublishedScore.objects.filter(index=papi).values("province").distinct().count()
    assert provinces == 63
    assert not PublishedScore.objects.filter(score=0).exists()


def test_quang_nam_2020_overall_is_rank_21_of_63_in_group_2(papi):
    table = ranked_scores(index=papi, year=2020, dimension_code="overall")
    quang_nam = next(row for row in table if row.province_code == "49")
    assert (quang_nam.score, quang_nam.rank, quang_nam.count, quang_nam.group) == (
        Decimal("43.2623330"),
        21,
        63,
        2,
    )
    assert quang_nam.group_status == GroupSizeStatus.OFFICIAL
    assert [sum(1 for row in table if row.group == g) for g in (1, 2, 3, 4)] == [16, 16, 15, 16]


def test_published_checks_reproduce(papi):
    # data/papi/SOURCE.md §6: Tuyên Quang 12th of 63 in 2020 in the highest group; Tây Ninh
    # 51st (2020) then 31st of 60 (2021); Hà Nội 56th on corruption in 2018 behind Quảng Ngãi.
    table_2020 = {
        row.province_name: row
        for row in ranked_scores(index=papi, year=2020, dimension_code="overall")
    }
    assert (table_2020["Tuyên Quang"].rank, table_2020["Tuyên Quang"].group) == (12, 1)
    assert table_2020["Tây Ninh"].rank == 51
    table_2021 = {
        row.province_name: row
        for row in ranked_scores(index=papi, year=2021, dimension_code="overall")
    }
    assert (table_2021["Tây Ninh"].rank, table_2021["Tây Ninh"].count) == (31, 60)
    assert table_2021["Tây Ninh"].group_status == GroupSizeStatus.ASSUMED
    corruption_2018 = {
        row.province_name: row
        for row in ranked_scores(index=papi, year=2018, dimension_code="corruption")
    }
    assert corruption_2018["Hà Nội"].rank == 56
    assert corruption_2018["Hà Nội"].tied_at_two_decimals


def test_2023_uses_the_configured_assumed_sizes(papi):
    table = ranked_scores(index=papi, year=2023, dimension_code="overall")
    assert [sum(1 for row in table if row.group == g) for g in (1, 2, 3, 4)] == [15, 16, 16, 14]


def test_province_history_gives_change_and_rank_change(papi):
    quang_nam = OrgUnit.objects.get(code="49")
    rows = {
        (row.current.year, row.current.dimension_code): row
        for row in province_history(index=papi, province=quang_nam)
    }
    overall_2020 = rows[(2020, "overall")]
    assert overall_2020.change == Decimal("43.2623330") - Decimal("44.3318250")
    assert overall_2020.rank_change == 22 - 21
    assert rows[(2018, "overall")].previous is None


def test_import_is_idempotent(papi, tmp_path, settings):
    path = settings.DATA_DIR / "papi" / "papi_scores_2019.csv"
    result = import_published_scores(index_code="PAPI", path=path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 567)


def test_import_accepts_bom_and_ci_bounds_and_updates(papi, tmp_path):
    path = write_csv(
        tmp_path,
        "\ufeffprovince,year,dimension,score,ci_low,ci_high\n"
        'Quảng Nam,2030,overall,"45,5",44.1,46.9\n',
    )
    result = import_published_scores(index_code="PAPI", path=path)
    assert result.created == 1
    score = PublishedScore.objects.get(year=2030, province__code="49")
    assert (score.score, score.ci_low, score.ci_high) == (
        Decimal("45.5"),
        Decimal("44.1"),
        Decimal("46.9"),
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Atlantis,2030,overall,45", "không có tỉnh «Atlantis»"),
        ("Quảng Nam,2030,happiness,5", "«happiness» không thuộc chỉ số PAPI"),
        ("Quảng Nam,2030,transparency,11", "nằm ngoài thang 1.00–10.00"),
        ("Quảng Nam,2030,overall,abc", "«abc» không phải là số"),
        ("Quảng Nam,20x0,overall,45", "năm «20x0» không hợp lệ"),
        ("Quảng Nam,2030,overall,45\nQuang Nam,2030,overall,46", "Dòng 4: trùng với dòng 3"),
    ],
)
def test_import_refuses_bad_rows_and_writes_nothing(papi, tmp_path, body, message):
    path = write_csv(
        tmp_path, "province,year,dimension,score\nĐà Nẵng,2030,overall,44\n" + body + "\n"
    )
    before = PublishedScore.objects.count()
    with pytest.raises(ValidationError) as error:
        import_published_scores(index_code="PAPI", path=path)
    assert any(message in text for text in error.value.messages)
    assert PublishedScore.objects.count() == before


def test_import_refuses_missing_columns_and_wrong_encoding(papi, tmp_path):
    with pytest.raises(ValidationError, match="Thiếu cột bắt buộc: score"):
        import_published_scores(
            index_code="PAPI", path=write_csv(tmp_path, "province,year,dimension\nA,1,b\n")
        )
    latin = tmp_path / "latin.csv"
    latin.write_bytes("province,year,dimension,score\nHà Nam,2030,overall,45\n".encode("cp1258"))
    with pytest.raises(ValueError, match="không phải UTF-8"):
        import_published_scores(index_code="PAPI", path=latin)
