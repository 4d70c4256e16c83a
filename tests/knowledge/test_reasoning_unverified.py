"""A triage result that leans on an unverified fact says so (issue 14)."""

from __future__ import annotations

import pytest

from immunospine.knowledge.reasoning import considerations, referral
from immunospine.knowledge.reasoning.autoimmune import Source, diseases
from immunospine.knowledge.reasoning.considerations import Consideration
from immunospine.knowledge.reasoning.red_flags import catalogue
from immunospine.knowledge.reasoning.unverified import triage_notes
from immunospine.services.triage import triage


def test_an_unverified_red_flag_and_likelihood_ratio_are_named() -> None:
    assert not catalogue().items["thoracic_pain"].verified  # as the data stands (issue 14)
    result = triage(
        {
            "age": 40,
            "red_flags": {"thoracic_pain": True},
            "findings": {"psoriasis": True, "dactylitis": False, "hla_b27": True},
        }
    )
    flag = result.to_dict()["red_flags"][0]
    assert flag["item"] == "thoracic_pain" and flag["verified"] is False and flag["source_note"]
    rows = {c["finding"]: c for c in result.to_dict()["axspa"]["contributions"]}
    assert rows["psoriasis"]["verified"] is False and rows["hla_b27"]["verified"] is True
    notes = result.to_dict()["unverified"]
    assert notes[0].startswith("The warning sign 'pain in the upper or middle back")
    assert any("psoriasis" in n and "×2.5" in n for n in notes)
    assert not any("dactylitis" in n for n in notes)  # its negative is ignored: not used


def test_nothing_unverified_used_nothing_said() -> None:
    result = triage({"age": 30, "findings": {"hla_b27": True}})
    data = result.to_dict()
    assert data["unverified"] == []
    assert all(s["verified"] for s in data["referral"]["strategies"])


def test_unverified_strategy_and_consideration(monkeypatch: pytest.MonkeyPatch) -> None:
    info = referral.strategy_info()
    doubtful = {**info, "asas_2015": info["asas_2015"].model_copy(update={"verified": False})}
    monkeypatch.setattr(referral, "strategy_info", lambda: doubtful)
    import immunospine.knowledge.reasoning.unverified as unverified

    monkeypatch.setattr(unverified, "strategy_info", lambda: doubtful)
    strategies = triage({"age": 30, "findings": {"hla_b27": True}}).referral.strategies
    key, entry = next(iter(diseases().items()))
    unread = Source(citation="A review", verified=False, checked="not read")
    fake = {key: entry.model_copy(update={"sources": [unread]})}
    monkeypatch.setattr(considerations, "diseases", lambda: fake)
    item = Consideration(key, "why", (key,), name=entry.name)
    assert item.to_dict()["verified"] is False
    notes = triage_notes((), (), strategies, (item, Consideration("other", "why")))
    assert notes == (
        f"The referral rule {info['asas_2015'].title} has not yet been checked against its source.",
        f"'{entry.name}' is suggested from a knowledge-base entry whose sources have not all "
        "been checked.",
    )
