"""The list of unverified facts is read from the data where each flag lives (issue 14)."""

from __future__ import annotations

import pytest

from immunospine.errors import KnowledgeError
from immunospine.knowledge import verification as v
from immunospine.knowledge.probability import axspa
from immunospine.knowledge.programme.catalogue import catalogue as programme
from immunospine.knowledge.reasoning import autoimmune, red_flags, referral
from immunospine.knowledge.registry import catalogue
from immunospine.knowledge.treatment import guidelines


def _area(name: str) -> tuple[v.UnverifiedFact, ...]:
    return v.unverified_facts(name)


def test_every_flag_in_the_data_is_listed() -> None:
    assert len(_area("calculators")) == sum(len(s.unverified) for s in catalogue())
    rows = [*axspa.LIKELIHOOD_RATIOS.values(), axspa.HLA_B27_WITH_PSORIASIS_OR_IBD]
    assert [f.item for f in _area("axspa_likelihood_ratios")] == [
        r.finding for r in rows if not r.verified
    ]
    assert [f.item for f in _area("red_flags")] == [
        k for k, i in red_flags.catalogue().items.items() if not i.verified
    ]
    assert len(_area("treatment")) == sum(
        (not g.guideline.verified) + sum(not s.verified for s in g.step) for g in guidelines()
    )
    cat = programme()
    cited = [cat.goal, cat.progression, *cat.contraindications.values(), *cat.red_flag.values()]
    assert len(_area("programme")) == sum(len(c.unverified) for c in [*cited, *cat.session])
    assert len(_area("autoimmune_diseases")) == sum(
        not s.verified for d in autoimmune.diseases().values() for s in d.sources
    ) + sum(not entry.verified for entry in autoimmune.disease_lists().values())
    assert _area("concept_sets") == ()  # collected by the cohort layer
    assert len(v.unverified_facts()) == sum(c.facts for c in v.verification_summary())


def test_the_summary_adds_up() -> None:
    counts = v.verification_summary()
    assert [c.area for c in counts] == [a for a in v.AREAS if a != "concept_sets"]
    for c in counts:
        assert c.verified + c.unverified == c.items
        assert c.facts == len(_area(c.area)) >= c.unverified
        assert c.to_dict()["title"] == v.AREAS[c.area]


def test_each_fact_says_what_why_what_it_affects_and_what_to_check() -> None:
    for fact in v.unverified_facts():
        record = fact.to_dict()
        assert set(record) == {"area", "item", "what", "reason", "affects", "check"}
        assert all(record.values()), record


def test_results_the_triage_uses_say_so() -> None:
    (lr,) = [f for f in _area("calculators") if f.item == "axspa_probability"][:1]
    assert "triage" in lr.affects and lr.reason == v.REASON_IN_FACT
    odi = [f for f in _area("calculators") if f.item == "odi"]
    assert odi and "triage" not in odi[0].affects
    dactylitis = [f for f in _area("axspa_likelihood_ratios") if f.item == "dactylitis"]
    assert dactylitis and "LR+ 4.5" in dactylitis[0].what


def test_unknown_area_names_the_nearest() -> None:
    with pytest.raises(KnowledgeError, match=r'unknown area "red_flag"; nearest: red_flags'):
        v.unverified_facts("red_flag")
    v.check_area(None)


def test_flags_in_areas_that_are_verified_today_would_still_show(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    info = referral.strategy_info()
    first = next(iter(info))
    doubtful = {**info, first: info[first].model_copy(update={"verified": False})}
    monkeypatch.setattr(referral, "strategy_info", lambda: doubtful)
    assert [f.item for f in _area("referral_strategies")] == [first]

    import immunospine.knowledge.treatment as treatment

    g = guidelines()[0]
    unchecked = g.model_copy(
        update={"guideline": g.guideline.model_copy(update={"verified": False})}
    )
    monkeypatch.setattr(treatment, "guidelines", lambda: (unchecked,))
    assert _area("treatment")[0].item == g.guideline.id

    source = autoimmune.Source(citation="A review", verified=False, checked="not read")
    base = autoimmune.diseases()
    quiet = next(d for d in base.values() if not d.clues)
    urgent = next(d for d in base.values() if d.clues and d.red_flag)
    fake = {
        "quiet": quiet.model_copy(update={"sources": [source]}),
        "urgent": urgent.model_copy(update={"sources": [source]}),
    }
    monkeypatch.setattr(autoimmune, "diseases", lambda: fake)
    key, entry = next(iter(autoimmune.disease_lists().items()))
    unread_list = {key: entry.model_copy(update={"verified": False})}
    monkeypatch.setattr(autoimmune, "disease_lists", lambda: unread_list)
    list_fact, quiet_fact, urgent_fact = _area("autoimmune_diseases")
    assert list_fact.item == f"list {key}" and list_fact.reason == entry.checked
    assert "no triage clue" in quiet_fact.affects
    assert "listed first as urgent" in urgent_fact.affects


def test_area_count_counts_items_once() -> None:
    fact = v.UnverifiedFact("red_flags", "x", "w", "r", "a", "c")
    count = v.area_count("red_flags", 3, [fact, fact])
    assert (count.items, count.verified, count.unverified, count.facts) == (3, 2, 1, 2)
