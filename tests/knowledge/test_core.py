"""The knowledge core's own machinery: bands, specs, the registry and input errors."""

from __future__ import annotations

import math
from types import ModuleType

import pytest

from immunospine.errors import InputError
from immunospine.knowledge import calculate, get_calculator
from immunospine.knowledge._spec import Band, Bands, CalculatorSpec, Reference, bands_from_cutoffs
from immunospine.knowledge.registry import index_specs, specs_of, validate_inputs

BASDAI = get_calculator("basdai")


def test_bands_must_not_leave_gaps_or_overlap() -> None:
    with pytest.raises(ValueError, match="gap or overlap"):
        Bands((Band("a", hi=1.0), Band("b", lo=1.5)))
    with pytest.raises(ValueError, match="gap or overlap"):
        Bands((Band("a", hi=1.0, hi_inclusive=True), Band("b", lo=1.0)))


def test_bands_from_cutoffs_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="one more label"):
        bands_from_cutoffs(("a", "b"), (1.0, 2.0), upper_inclusive=(True, False))


def test_bands_cover_the_real_line() -> None:
    bands = bands_from_cutoffs(("low", "high"), (1.0,), upper_inclusive=(True,))
    assert bands.classify(-math.inf) == "low"
    assert bands.classify(1.0) == "low"
    assert bands.classify(math.nextafter(1.0, 2.0)) == "high"
    assert bands.cutoffs == (1.0,)


def test_a_spec_needs_a_reference() -> None:
    with pytest.raises(ValueError, match="at least one reference"):
        CalculatorSpec("x", "1", "X", "instrument", BASDAI.inputs, BASDAI.compute, references=())


def test_categories_default_to_the_band_labels() -> None:
    bands = bands_from_cutoffs(("low", "high"), (1.0,), upper_inclusive=(False,))
    spec = CalculatorSpec(
        "x", "1", "X", "instrument", BASDAI.inputs, BASDAI.compute, (Reference("r"),), bands
    )
    assert spec.categories == ("low", "high")


def _module(name: str, **attrs: object) -> ModuleType:
    module = ModuleType(name)
    for key, value in attrs.items():
        setattr(module, key, value)
    return module


def test_registry_refuses_modules_without_a_spec_and_duplicate_names() -> None:
    with pytest.raises(TypeError, match="exposes no CalculatorSpec"):
        specs_of(_module("empty"))
    with pytest.raises(ValueError, match="defined twice"):
        index_specs([_module("a", SPEC=BASDAI), _module("b", SPEC=BASDAI)])
    assert list(index_specs([_module("a", SPEC=BASDAI)])) == ["basdai"]


def test_inputs_must_be_an_object() -> None:
    with pytest.raises(InputError, match="must be a JSON object"):
        validate_inputs(BASDAI, [1, 2, 3])  # type: ignore[arg-type]


def test_unprintable_values_are_shown_by_repr() -> None:
    with pytest.raises(InputError) as caught:
        calculate("basdai", q1=object(), q2=1, q3=1, q4=1, q5=1, q6=1)
    assert "object object" in str(caught.value.problems[0].value)


def test_errors_inside_nested_and_list_fields_name_the_path() -> None:
    with pytest.raises(InputError) as caught:
        calculate("axspa_probability", findings={"hla_b27": "yes", "nope": True})
    fields = {p.field for p in caught.value.problems}
    assert fields == {"findings.hla_b27", "findings.nope"}
    assert "allowed fields: inflammatory_back_pain" in str(caught.value)
    with pytest.raises(InputError) as caught:
        calculate("rmdq", items=[True] * 23 + ["x"])
    assert caught.value.problems[0].field == "items[23]"


def test_unknown_field_inside_an_unknown_parent_lists_nothing() -> None:
    with pytest.raises(InputError) as caught:
        calculate("basdai", q1=1, q2=1, q3=1, q4=1, q5=1, q6=1, extra={"a": 1})
    assert caught.value.problems[0].field == "extra"


def test_field_descriptions_for_whole_model_errors_and_unknown_paths() -> None:
    from immunospine._validation_text import allowed_text, field_names

    assert allowed_text(BASDAI.inputs, ()) == ""
    assert allowed_text(BASDAI.inputs, ("nope", "deeper")) == ""
    assert field_names(BASDAI.inputs, ("nope",)) == []
