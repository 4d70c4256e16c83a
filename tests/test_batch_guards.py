"""Batch scoring refuses, loudly, calculators whose inputs or formula it cannot mirror."""

from __future__ import annotations

import typing
from typing import Any

import numpy as np
import pytest
from pydantic import Field, field_validator

from immunospine.errors import InputError, KnowledgeError
from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._spec import CalculatorSpec, Reference, bands_from_cutoffs
from immunospine.services import batch as batch_module
from immunospine.services.batch import BatchResult, calculate_batch
from tests.test_batch import _asdas, _score_list


class _Toy(ClinicalInputs):
    a: typing.Annotated[float, Field(gt=0, lt=4)]
    b: float = 1.0


def _toy(**changes: Any) -> CalculatorSpec:
    def compute(x: _Toy) -> Any:
        return spec.result(score=x.a + x.b)

    fields: dict[str, Any] = {
        "name": "toy",
        "version": "1",
        "title": "Toy",
        "kind": "instrument",
        "inputs": _Toy,
        "compute": compute,
        "references": (Reference("constructed", doi="10.0/0"),),
        "bands": bands_from_cutoffs(("lo", "hi"), (3.0,), upper_inclusive=(False,)),
        "batch_score": lambda cols: cols["a"] + cols["b"],
    }
    fields.update(changes)
    spec = CalculatorSpec(**fields)
    return spec


def _run(monkeypatch: pytest.MonkeyPatch, spec: CalculatorSpec, table: Any) -> BatchResult:
    monkeypatch.setattr(batch_module, "get_calculator", lambda name: spec)
    return calculate_batch(spec.name, table)


def test_open_bounds_and_defaulted_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(monkeypatch, _toy(), {"a": [0.0, 4.0, 2.0, 2.0, 1e-9]})
    assert [(p.row, p.code) for p in result.invalid] == [(0, "greater_than"), (1, "less_than")]
    assert _score_list(result) == (
        [None, None, 3.0, 3.0, 1.000000001],
        [None, None, "hi", "hi", "lo"],
    )
    filled = _run(monkeypatch, _toy(), {"a": [2.0, 2.0], "b": [None, 0.5]})
    assert filled.ok and _score_list(filled)[0] == [3.0, 2.5]


def test_invalid_row_next_to_a_cut_off_stays_null(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = _toy(batch_score=lambda cols: cols["a"] * 0 + 3.0 + 1e-12)
    result = _run(monkeypatch, spec, {"a": [2.0, 9.0]})
    assert _score_list(result) == ([3.0, None], ["hi", None])


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"batch_score": lambda cols: cols["a"][:1]}, "must return 2 float64 scores"),
        ({"batch_score": lambda cols: cols["a"] * np.nan}, "non-finite scores at rows"),
        ({"bands": None, "categories": ("x",)}, "categories but no bands"),
    ],
)
def test_a_broken_formula_is_a_knowledge_error(
    monkeypatch: pytest.MonkeyPatch, changes: dict[str, Any], words: str
) -> None:
    with pytest.raises(KnowledgeError, match=words):
        _run(monkeypatch, _toy(**changes), {"a": [1.0, 2.0]})


class _Validated(ClinicalInputs):
    a: float

    @field_validator("a")
    @classmethod
    def _positive(cls, value: float) -> float:
        return value


class _Text(ClinicalInputs):
    a: str


class _Multiple(ClinicalInputs):
    a: typing.Annotated[float, Field(multiple_of=2)]


class _Impossible(ClinicalInputs):
    a: typing.Annotated[int, Field(gt=0, lt=1)]


@pytest.mark.parametrize(
    ("model", "words"),
    [
        (_Validated, "custom validators"),
        (_Text, "cannot come from a column"),
        (_Multiple, "is not checked in batch"),
        (_Impossible, "no value satisfies"),
    ],
)
def test_inputs_batch_cannot_mirror_are_a_knowledge_error(
    monkeypatch: pytest.MonkeyPatch, model: type[ClinicalInputs], words: str
) -> None:
    with pytest.raises(KnowledgeError, match=words):
        _run(monkeypatch, _toy(inputs=model), {"a": [1.0]})


def test_a_column_of_an_unknown_kind_is_refused() -> None:
    with pytest.raises(InputError, match="crp_mg_l: is a set"):
        calculate_batch("asdas_crp", {**_asdas(1), "crp_mg_l": {1.0}})
