"""The rules of dependencies: no circles, nothing due before what it comes after, forecasts that wait."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.command_types import CommandError
from bot.core.dependencies import (
    Adding,
    DependencyError,
    Predecessor,
    chain_from,
    check_link,
    check_order,
    forecast_after,
    forecasts_after,
    is_out_of_order,
    left_behind,
)
from bot.core.forecasts import Basis, Forecast

TODAY = date(2026, 11, 25)
DRAFT = Predecessor(number=3, title="Draft docs", due=date(2026, 12, 11), closed=False)


def test_a_milestone_cannot_come_after_itself() -> None:
    with pytest.raises(CommandError) as refused:
        check_link(number=5, after=5, found=True, links={})
    assert refused.value.message == "#5 can't come after itself."
    assert refused.value.example == "/milestone update 5 after 4"


def test_a_number_not_in_the_workspace_is_not_found() -> None:
    with pytest.raises(CommandError) as refused:
        check_link(number=1, after=9, found=False, links={})
    assert refused.value.message.startswith("There's no milestone #9 in this workspace")
    assert refused.value.example == "/milestone update 1 after 2"


@pytest.mark.parametrize(
    ("links", "path"),
    [({3: 5}, "#3 → #5"), ({3: 4, 4: 6, 6: 5}, "#3 → #4 → #6 → #5")],
)
def test_a_circle_of_any_length_is_refused(links: dict[int, int], path: str) -> None:
    with pytest.raises(CommandError) as refused:
        check_link(number=5, after=3, found=True, links=links)
    assert refused.value.message == f"#3 already comes after #5 ({path}), so #5 can't come after #3."
    assert refused.value.example == "/milestone update 5 after none"


def test_a_chain_that_does_not_come_back_is_allowed() -> None:
    check_link(number=5, after=3, found=True, links={3: 2, 2: 1, 5: 4})


def test_a_chain_stops_at_a_repeat() -> None:
    assert chain_from(1, links={1: 2, 2: 1}) == [1, 2]


def test_a_due_date_before_the_one_it_comes_after_is_refused_naming_both() -> None:
    with pytest.raises(CommandError) as refused:
        check_order(number=5, due=date(2026, 12, 8), before=DRAFT, today=TODAY)
    assert refused.value.message == (
        "#5 would be due Tue Dec 8, before #3 Draft docs (due Fri Dec 11), which it comes after."
    )
    assert refused.value.example == "/milestone update 5 due Dec 11"


@pytest.mark.parametrize(
    ("due", "before"),
    [
        (date(2026, 12, 11), DRAFT),  # the same day
        (date(2026, 12, 20), DRAFT),
        (None, DRAFT),
        (date(2026, 12, 1), Predecessor(number=3, title="Draft", due=None, closed=False)),
        (date(2026, 12, 1), Predecessor(number=3, title="Draft", due=date(2026, 12, 11), closed=True)),
    ],
)
def test_a_date_on_or_after_it_or_missing_or_a_done_one_is_in_order(
    due: date | None, before: Predecessor
) -> None:
    assert not is_out_of_order(due=due, before=before)
    check_order(number=5, due=due, before=before, today=TODAY)


def test_left_behind_are_the_later_ones_now_due_first() -> None:
    later = [(5, date(2026, 12, 15)), (6, date(2026, 12, 18)), (7, None), (8, date(2026, 12, 20))]
    assert left_behind(moved_to=date(2026, 12, 18), later=later) == [5]
    assert left_behind(moved_to=None, later=later) == []


def _forecast(likely: date, *, earliest: date | None = None, latest: date | None = None) -> Forecast:
    return Forecast(
        likely=likely, earliest=earliest or likely, latest=latest or likely, samples=5, basis=Basis.WORKSPACE
    )


def test_a_forecast_is_never_earlier_than_the_likely_date_of_the_one_before() -> None:
    own = _forecast(date(2026, 12, 16), earliest=date(2026, 12, 15), latest=date(2026, 12, 20))
    moved = forecast_after(own, before=_forecast(date(2026, 12, 18)))
    assert moved is not None
    assert (moved.likely, moved.earliest, moved.latest) == (
        date(2026, 12, 18),
        date(2026, 12, 18),
        date(2026, 12, 20),
    )
    assert forecast_after(own, before=_forecast(date(2026, 12, 10))) == own
    assert forecast_after(own, before=None) == own
    assert forecast_after(None, before=_forecast(date(2026, 12, 18))) is None


def test_forecasts_wait_on_every_open_one_up_the_chain_and_a_circle_ends() -> None:
    own = {
        1: _forecast(date(2026, 12, 20)),
        2: _forecast(date(2026, 12, 10)),
        3: _forecast(date(2026, 12, 12)),
    }
    moved = forecasts_after(own, after={3: 2, 2: 1})
    assert {key: f.likely for key, f in moved.items() if f} == {
        1: date(2026, 12, 20),
        2: date(2026, 12, 20),
        3: date(2026, 12, 20),
    }
    # A link to one not given (done, or outside the report) is not waited on; a circle stops.
    assert forecasts_after(own, after={3: 9})[3] == own[3]
    assert forecasts_after(own, after={1: 2, 2: 1})[2] == _forecast(date(2026, 12, 20))


def test_a_milestone_being_added_is_named_by_its_title_and_the_add_put_right_is_the_example() -> None:
    adding = Adding(title="Teaser", command="/milestone add Teaser due Dec 8")
    with pytest.raises(DependencyError) as early:
        check_order(number=5, due=date(2026, 12, 8), before=DRAFT, today=TODAY, adding=adding)
    assert (early.value.message, early.value.example) == (
        "Teaser would be due Tue Dec 8, before #3 Draft docs (due Fri Dec 11), which it comes after.",
        "/milestone add Teaser due Dec 11 after 3",
    )
    with pytest.raises(DependencyError) as missing:
        check_link(number=5, after=9, found=False, links={}, adding=adding)
    assert missing.value.example == "/milestone add Teaser due Dec 8"
