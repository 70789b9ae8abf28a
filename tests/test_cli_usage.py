"""A person's mistakes on the command line: exit 2 and one line saying what is valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result
from test_cli import make_programme, run

from sheetsync.arguments import check_month, resolve_unit
from sheetsync.errors import EXIT_CONFIG, UsageError
from sheetsync.model import Ambassador, Registry, Village


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = make_programme(tmp_path_factory.mktemp("usage") / "prog")
    assert run(config, "sync", "--month", "2026-08").exit_code == 0
    return config


def error_line(result: Result) -> str:
    assert result.exit_code == EXIT_CONFIG, result.output
    assert "report it" not in result.output and "unexpected" not in result.output
    [line] = [ln for ln in result.output.splitlines() if ln.startswith("Error")]
    return line


EXPLAIN = ("explain", "--month", "2026-08")


@pytest.mark.parametrize(
    "args,expected",
    [
        (
            (*EXPLAIN, "--village", "19.02.04.2004", "--metric", "foo"),
            "Error: Invalid value for '--metric': 'foo' is not one of 'orders', ",
        ),
        (
            (*EXPLAIN, "--village", "Air Seru", "--metric", "orders"),
            "Error: --village 'Air Seru' is unknown; did you mean 19.02.04.2004 (Air Seruk)",
        ),
        (
            (*EXPLAIN, "--village", "99.99", "--metric", "orders"),
            "Error: --village '99.99' is unknown; e.g. 19.02.04.2004 (Air Seruk), ",
        ),
        (
            (*EXPLAIN, "--shop", "TK-999", "--metric", "orders"),
            "Error: --shop 'TK-999' is unknown; e.g. TK-001 (Kopi Aik Seruk), TK-002 ",
        ),
        (
            (*EXPLAIN, "--ambassador", "DD-077", "--metric", "orders"),
            "Error: --ambassador 'DD-077' is unknown; did you mean ",
        ),
        (
            (*EXPLAIN, "--kecamatan", "Mars", "--metric", "orders"),
            "Error: --kecamatan 'Mars' is unknown; e.g. Badau, Sijuk (2 valid).",
        ),
        (
            ("kpi", "--month", "2031-01"),
            "Error: no data for 2031-01; data exists for 2026-08 … 2026-09.",
        ),
        (
            ("kpi", "--month", "2020-01"),
            "Error: no data for 2020-01; data exists for 2026-08 … 2026-09.",
        ),
        (
            (*EXPLAIN[:2], "2031-01", "--shop", "TK-001", "--metric", "orders"),
            "Error: no data for 2031-01; data exists for 2026-08 … 2026-09.",
        ),
        (
            ("kpi", "--month", "2026-08", "--format", "xml"),
            "Error: Invalid value for '--format': 'xml' is not one of 'table', 'csv', 'tsv', ",
        ),
        (
            ("kpi", "--month", "2026-08", "--by", "desa"),
            "Error: Invalid value for '--by': 'desa' is not one of 'shop', 'ambassador', ",
        ),
        (
            ("report", "--month", "2026-08", "--level", "provinsi"),
            "Error: Invalid value for '--level': 'provinsi' is not one of 'all', ",
        ),
        (
            ("validate", "--format", "xml"),
            "Error: Invalid value for '--format': 'xml' is not one of 'table', ",
        ),
    ],
    ids=[
        "metric",
        "village-typo",
        "village",
        "shop",
        "ambassador",
        "kecamatan",
        "future",
        "before-data",
        "explain-future",
        "format",
        "by",
        "level",
        "validate-format",
    ],
)
def test_a_mistake_is_a_usage_error_saying_what_is_valid(
    programme: Path, args: tuple[str, ...], expected: str
) -> None:
    assert error_line(run(programme, *args)).startswith(expected)


def test_a_village_may_be_given_by_its_unique_name(programme: Path) -> None:
    result = run(programme, *EXPLAIN, "--village", "air seruk", "--metric", "orders")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("Jumlah: 2 (")


def test_resolve_unit_refuses_a_name_shared_by_two_villages() -> None:
    registry = Registry(
        (Village("19.02.01.2001", "Kota", "A"), Village("19.02.02.2001", "Kota", "B")), (), ()
    )
    with pytest.raises(UsageError, match=r"names more than one; did you mean 19\.02\.01\.2001"):
        resolve_unit(registry, "village", "Kota")
    assert resolve_unit(registry, "village", " 19.02.02.2001 ") == "19.02.02.2001"
    people = Registry((), (Ambassador("DD-001", "Siti", "x", "", "", True),), ())
    assert resolve_unit(people, "ambassador", "dd-001") == "DD-001"


def test_months_inside_the_data_or_up_to_now_are_fine() -> None:
    check_month("2026-09", first="2026-08", last="2026-09", current="2026-11")
    check_month("2026-11", first="2026-08", last="2026-09", current="2026-11")  # no data yet
    check_month("2026-11", first=None, last=None, current="2026-11")  # empty ledger
    with pytest.raises(UsageError, match="in the future"):
        check_month("2026-12", first=None, last=None, current="2026-11")
