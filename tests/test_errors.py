"""The one translator from pydantic's errors to ``InputError``: fields, values as JSON, plain rules.

Defect 9 of issue 8: messages said ``True`` and ``{'a': 1}`` (Python) where the user typed JSON,
showed a regular expression or a library's wording. Every face goes through
``InputError.from_validation``, so these tests pin its wording once.
"""

from __future__ import annotations

import json
import math
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from immunospine.errors import InputError, json_text, number_text
from immunospine.knowledge import calculate
from immunospine.records import Patient


class _Inner(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    flag: bool | None = Field(default=None, description="true, false or null")


class _Form(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    score: float = Field(ge=0, le=10, description="0–10 numeric rating scale")
    count: int = Field(default=0, gt=0, lt=5)
    half: float = Field(default=0.5, multiple_of=0.5)
    when: date | None = None
    amount: Annotated[Decimal, Field(decimal_places=1)] = Decimal("0")
    code: str = Field(default="ab", pattern=r"^[a-z]+$", description="lowercase letters")
    kind: Literal["published", "rounded"] = "published"
    items: list[int] = Field(default_factory=lambda: [1], min_length=1)
    inner: _Inner = Field(default_factory=_Inner)


def _error(data: dict[str, Any], **kwargs: Any) -> InputError:
    try:
        _Form.model_validate_json(json.dumps(data))
    except ValidationError as exc:
        return InputError.from_validation(exc, model=_Form, **kwargs)
    raise AssertionError("no error")  # pragma: no cover


@pytest.mark.parametrize(
    ("data", "line"),
    [
        ({"score": True}, "score = true: must be a number (allowed: 0–10 numeric rating scale)"),
        ({"score": None}, "score = null: must be a number"),
        ({"score": {"a": 1}}, 'score = {"a": 1}: must be a number'),
        ({"score": "5"}, 'score = "5": must be a number'),
        ({"score": 11}, "score = 11: must be at most 10"),
        ({"score": -0.5}, "score = -0.5: must be at least 0"),
        ({}, "score: is required (0–10 numeric rating scale)"),
        ({"score": 1, "count": 5}, "count = 5: must be below 5"),
        ({"score": 1, "count": 0}, "count = 0: must be above 0"),
        ({"score": 1, "count": 1.5}, "count = 1.5: must be a whole number"),
        ({"score": 1, "half": 0.3}, "half = 0.3: must be a multiple of 0.5"),
        ({"score": 1, "when": "2024-13-01"}, 'when = "2024-13-01": must be a date as YYYY-MM-DD'),
        ({"score": 1, "amount": "1.25"}, "must be a number with at most 1 decimal"),
        ({"score": 1, "code": "A1"}, 'code = "A1": is not in the allowed form (allowed: lower'),
        ({"score": 1, "kind": "exact"}, 'kind = "exact": must be "published" or "rounded"'),
        ({"score": 1, "items": []}, "items = []: must have at least 1 items, not 0"),
        ({"score": 1, "items": [1, "2"]}, 'items[1] = "2": must be a whole number'),
        ({"score": 1, "inner": {"flag": "yes"}}, 'inner.flag = "yes": must be true or false'),
        ({"score": 1, "inner": {"other": 1}}, "inner.other = 1: is not a known field; allowed"),
    ],
)
def test_each_rule_in_plain_words_with_the_value_as_json(data: dict[str, Any], line: str) -> None:
    message = str(_error(data))
    assert line in message
    for python in ("True", "None", "'", "regex", "Input should", "^["):
        assert python not in message, message


def test_context_names_what_an_unknown_field_is_not_part_of() -> None:
    exc = _error({"score": 1, "colour": "red"}, context="demo")
    assert str(exc).startswith('demo: colour = "red": is not an input of demo; allowed fields:')
    assert exc.problems[0].value == "red" and exc.problems[0].code == "extra_forbidden"


def test_prefix_goes_before_every_location() -> None:
    exc = _error({"score": 1, "inner": {"flag": 2}}, prefix=("form",))
    assert exc.problems[0].field == "form.inner.flag"


def test_problems_keep_json_values_for_programs() -> None:
    (problem,) = _error({"score": {"a": [1, None]}}).problems
    assert problem.as_dict()["value"] == {"a": [1, None]}


def test_calculators_say_true_not_python() -> None:
    with pytest.raises(InputError) as caught:
        calculate("basdai", q1=True, q2=None, q3={"a": 1}, q4=1, q5=1, q6=1)
    text = str(caught.value)
    assert "q1 = true: must be a number" in text
    assert "q2 = null" in text and 'q3 = {"a": 1}' in text


def test_a_pattern_is_described_not_shown() -> None:
    with pytest.raises(InputError) as caught:
        Patient.parse_json('{"patient_id": "bad id!", "year_of_birth": 1980, "sex": "x"}')
    text = str(caught.value)
    assert 'patient.patient_id = "bad id!": is not in the allowed form' in text
    assert "letters, digits" in text and "^[" not in text
    assert 'patient.sex = "x": must be "female", "male", "other" or "unknown"' in text


def test_a_library_spec_regex_message_becomes_words() -> None:
    from immunospine.errors import validation_problems

    class _Fhirish(BaseModel):
        value: str

        def model_post_init(self, _: Any) -> None:
            raise ValueError("Decimal value string does not match spec regex.")

    with pytest.raises(ValidationError) as caught:
        _Fhirish.model_validate({"value": "abc"})
    (problem,) = validation_problems(caught.value)
    assert problem.msg == "must be a number"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "true"),
        (None, "null"),
        ({"a": 1}, '{"a": 1}'),
        ("é", '"é"'),
        (0.1 + 0.2, "0.30000000000000004"),
        (3.0, "3"),
        (math.nan, "NaN"),
        (-math.inf, "-Infinity"),
        (Decimal("1.50"), "1.5"),
        (date(2024, 1, 2), '"2024-01-02"'),
        ((1, 2), "[1, 2]"),
    ],
)
def test_json_text(value: Any, text: str) -> None:
    assert json_text(value) == text


def test_number_text() -> None:
    assert number_text(True) == "true"
    assert number_text(Decimal("NaN")) == "NaN"
    assert number_text(7) == "7"
    assert number_text(1e20) == "1e+20"


def test_record_and_fhir_messages_quote_as_json() -> None:
    from immunospine.fhir.validation import binding_problems, model_problems
    from immunospine.records.observation import LabResult

    with pytest.raises(InputError) as caught:
        LabResult.parse_json(
            '{"patient_id": "p1", "collected_on": "2024-01-02", "test": "crp", '
            '"unit": "mg/dL", "value": 3}'
        )
    assert 'lab_result.unit = "mg/dL": must be "mg/L" for crp' in str(caught.value)
    ((_, message),) = binding_problems({"resourceType": "Observation", "status": "bogus"})
    assert message.startswith('"bogus" is not a valid code; allowed: amended, cancelled,')
    assert "['" not in message
    ((_, message),) = model_problems({"resourceType": "Person"})
    assert message.startswith('"Person" is not a supported resource type')


def test_fhir_model_problems_are_in_words_not_the_library_regex_wording() -> None:
    from immunospine.fhir.validation import model_problems

    problems = dict(
        model_problems(
            {
                "resourceType": "Observation",
                "status": "final",
                "code": {"text": "CRP"},
                "valueQuantity": {"value": "abc"},
                "effectiveDateTime": "2020-13-01",
            }
        )
    )
    assert problems[("valueQuantity", "value")] == "must be a number"
    assert problems[("effectiveDateTime",)].startswith("must be a date as YYYY-MM-DD")
    assert not any("regex" in m or "Value error" in m for m in problems.values())


def test_a_bad_setting_names_its_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad IMMUNOSPINE_* value was a pydantic traceback; now an InputError (exit 2)."""
    from immunospine.settings import load_settings

    monkeypatch.setenv("IMMUNOSPINE_SQLITE_BUSY_TIMEOUT_MS", "abc")
    with pytest.raises(InputError) as caught:
        load_settings()
    assert str(caught.value).startswith(
        'settings: IMMUNOSPINE_SQLITE_BUSY_TIMEOUT_MS = "abc": must be a whole number'
    )
