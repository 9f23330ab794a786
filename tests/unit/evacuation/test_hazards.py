from __future__ import annotations

import pytest

from evacuation import HAZARD_LABELS_JA, Hazard, parse_hazard


def test_every_hazard_has_a_japanese_label() -> None:
    assert set(HAZARD_LABELS_JA) == set(Hazard)
    assert HAZARD_LABELS_JA[Hazard.TSUNAMI] == "津波"
    assert HAZARD_LABELS_JA[Hazard.LANDSLIDE] == "崖崩れ・土石流・地滑り"


@pytest.mark.parametrize(
    ("text", "hazard"),
    [("tsunami", Hazard.TSUNAMI), ("Storm-Surge", Hazard.STORM_SURGE), ("津波", Hazard.TSUNAMI)],
)
def test_parse_hazard_accepts_english_and_japanese(text: str, hazard: Hazard) -> None:
    assert parse_hazard(text) is hazard


def test_unknown_hazard_lists_the_valid_names() -> None:
    with pytest.raises(ValueError, match="unknown hazard 'tsunam'") as info:
        parse_hazard("tsunam")
    for hazard in Hazard:
        assert hazard.value in str(info.value)
