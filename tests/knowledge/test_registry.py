"""Every calculator in the catalogue is complete, cited and refuses malformed input cleanly."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from immunospine.errors import InputError, KnowledgeError
from immunospine.knowledge import Result, calculate, catalogue, get_calculator
from immunospine.knowledge._spec import CalculatorSpec

SPECS = catalogue()


def test_catalogue_is_not_empty_and_names_are_snake_case() -> None:
    assert SPECS
    for spec in SPECS:
        assert spec.name == spec.name.lower()
        assert " " not in spec.name


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_spec_is_cited_and_versioned(spec: CalculatorSpec) -> None:
    assert spec.version
    assert spec.title
    assert spec.references
    assert all(r.doi or r.pmid for r in spec.references) or spec.notes, (
        f"{spec.name}: cite at least a DOI or PMID, or say in notes why none exists"
    )
    for category in spec.categories:
        assert category == category.lower() and " " not in category


def test_unknown_calculator_lists_known_ones() -> None:
    with pytest.raises(KnowledgeError, match="asdas_crp"):
        get_calculator("asdas")


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1000, 1000),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.lists(st.integers(-2, 6), max_size=30),
    st.dictionaries(st.text(max_size=4), st.booleans(), max_size=3),
)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_malformed_input_is_refused_or_scored_in_range(
    spec: CalculatorSpec, data: st.DataObject
) -> None:
    fields = [*list(spec.inputs.model_fields), "not_a_field"]
    keys = data.draw(st.lists(st.sampled_from(fields), unique=True, max_size=len(fields)))
    inputs: dict[str, Any] = {k: data.draw(JUNK) for k in keys}
    try:
        result = calculate(spec.name, **inputs)
    except InputError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.field in str(exc)
        return
    assert isinstance(result, Result)
    if result.score is not None:
        assert math.isfinite(result.score)
        if spec.score_range:
            lo, hi = spec.score_range
            assert lo - 1e-9 <= result.score <= hi + 1e-9
    if result.category is not None:
        assert result.category in spec.categories


def test_one_calculator_is_found_without_loading_the_catalogue() -> None:
    """``get_calculator`` looks first in the module named after the calculator (start-up of
    ``immunospine calc NAME``); the catalogue is loaded only when that module does not hold it."""
    import subprocess
    import sys

    code = (
        "import sys; from immunospine.knowledge import get_calculator, registry; "
        "names = ['basdai', 'asdas_esr', 'das28_crp_3v']; "
        "assert [get_calculator(n).name for n in names] == names; "
        "print(registry._load.cache_info().currsize, 'numpy' in sys.modules, "
        "'immunospine.knowledge.criteria.caspar' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split()[0] == "0"  # the catalogue was not loaded
    assert done.stdout.split()[2] == "False"
    for spec in SPECS:  # the quick path and the catalogue give the very same spec
        assert get_calculator(spec.name) is spec
