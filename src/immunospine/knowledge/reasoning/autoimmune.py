"""The autoimmune knowledge base: immune-mediated diseases and whether and how they reach the back.

The data live in ``data/autoimmune_diseases/<group>.toml``, one file per body-system group (the
group is the file stem; ``GROUPS`` lists the allowed ones). ``diseases()`` loads and validates every
file on first use and refuses, naming the file, the entry and the field:

* unknown keys, empty texts or lists, and values outside the allowed vocabularies;
* an entry without ``sources`` (each source says whether it was read: ``verified`` and ``checked``);
* a key defined in two files (both files are named);
* ``mechanisms`` that are empty although the back is involved, or given although it is not
  (``back_involvement = "not_typical"`` ⇔ no mechanism);
* a clue outside ``CLUES`` (``known:<key>`` must name a disease of the base);
* a calculator that is not in the catalogue;
* a list id that ``data/autoimmune_disease_lists.toml`` does not define (``disease_lists()``: the
  recognised lists of autoimmune diseases the base covers, each with its source).

Each entry says by which mechanisms the disease reaches the back (``MECHANISMS``), what should
make a clinician think of it in a person with back pain, the helpful tests, the managing
specialist, the prevalence where published, the triage clues that bring it up, and its sources.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from immunospine.errors import KnowledgeError, json_text, validation_problems
from immunospine.knowledge.reasoning._data import load_toml

__all__ = [
    "CLUES",
    "GROUPS",
    "MECHANISMS",
    "BackInvolvement",
    "Disease",
    "DiseaseList",
    "Group",
    "Mechanism",
    "Source",
    "disease",
    "disease_key",
    "disease_lists",
    "diseases",
    "nearest_names",
    "parse_diseases",
    "resolve",
    "suggest",
]

Group = Literal[
    "spondyloarthritis",
    "inflammatory_arthritis",
    "connective_tissue",
    "vasculitis",
    "neurological",
    "gastrointestinal_liver",
    "endocrine",
    "skin",
    "haematological",
    "kidney",
    "eye",
    "lung_heart",
    "other",
]
GROUPS: tuple[str, ...] = get_args(Group)
"""Allowed file stems of ``data/autoimmune_diseases/`` (body-system groups)."""

Mechanism = Literal[
    "spinal_inflammation",
    "nerve_or_spinal_cord",
    "referred_pain",
    "muscle_or_soft_tissue",
    "treatment_related",
    "widespread_pain",
]
MECHANISMS: tuple[str, ...] = get_args(Mechanism)
"""How a disease reaches the back: inflammation of spinal or sacroiliac joints, entheses or
vertebral bone; the nerves or spinal cord; pain referred from an organ or vessel; muscle or soft
tissue (myositis, girdle inflammation); its treatment (steroid bone loss); widespread pain."""

BackInvolvement = Literal["typical", "possible", "rare", "not_typical"]
BACK_INVOLVEMENT: tuple[str, ...] = get_args(BackInvolvement)

CLUES: tuple[str, ...] = (
    "female",
    "male",
    "age_under_45",
    "age_50_or_over",
    "inflammatory_back_pain",
    "long_morning_stiffness",
    "neck_pain",
    "thoracic_pain",
    "buttock_pain",
    "night_pain",
    "numbness_or_weakness",
    "bladder_or_bowel",
    "saddle_anaesthesia",
    "weight_loss",
    "fever_or_unwell",
    "raised_inflammatory_markers",
    "long_term_steroids",
    "immunosuppression",
    "recent_infection",
    "widespread_pain",
    "psoriasis",
    "ibd",
    "uveitis",
    "dactylitis",
    "enthesitis",
    "peripheral_arthritis",
    "family_history",
)
"""Triage findings a disease can list as ``clues`` (besides ``known:<key>``, a known diagnosis);
``considerations.case_clues`` derives them from a case."""

KNOWN = "known:"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2)]


class Source(BaseModel):
    """A publication behind an entry; ``verified`` only when it was actually read (``checked``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)
    citation: Text
    verified: bool
    checked: Text


class Disease(BaseModel):
    """One immune-mediated disease and whether and how it reaches the back."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)
    name: Text
    aliases: list[Text] = []
    back_involvement: BackInvolvement
    mechanisms: list[Mechanism]
    how_it_reaches_the_back: Text
    key_features: Annotated[list[Text], Field(min_length=1)]
    helpful_tests: Annotated[list[Text], Field(min_length=1)]
    specialist: Text
    prevalence: Text
    calculators: list[Text] = []
    clues: list[Text] = []
    red_flag: bool = False
    lists: list[Text] = []
    sources: Annotated[list[Source], Field(min_length=1)]
    group: str = "other"
    """Set by the loader from the file stem (never written in the data)."""

    @property
    def verified(self) -> bool:
        """True when every source of the entry was read and checked."""
        return all(s.verified for s in self.sources)


class DiseaseList(BaseModel):
    """A recognised list of autoimmune diseases; ``size`` as the source states it (0: not)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)
    title: Text
    citation: Text
    verified: bool
    checked: Text
    size: Annotated[int, Field(ge=0)]


@dataclass(frozen=True, slots=True)
class _Entry:
    file: str
    key: str
    raw: Any


def _error(file: str, key: str, field: str, msg: str) -> KnowledgeError:
    where = f"{file} [{key}]" + (f" {field}" if field else "")
    return KnowledgeError(f"autoimmune knowledge base: {where}: {msg}")


def _check(
    entry: _Entry,
    model: Disease,
    keys: set[str],
    calculators: set[str] | None,
    lists: set[str] | None,
) -> None:
    """The rules pydantic cannot state: mechanisms ⇔ involvement, clue, calculator, list names."""
    file, key = entry.file, entry.key
    for name in model.lists:
        if lists is not None and name not in lists:
            raise _error(
                file,
                key,
                "lists",
                f"unknown list {json_text(name)}{nearest_names(name, lists)}; allowed: "
                f"{', '.join(sorted(lists))} (defined in data/autoimmune_disease_lists.toml)",
            )
    if (model.back_involvement == "not_typical") != (not model.mechanisms):
        msg = (
            'must be empty when back_involvement = "not_typical"'
            if model.mechanisms
            else f"must name at least one of {', '.join(MECHANISMS)} when back_involvement = "
            f"{json_text(model.back_involvement)}"
        )
        raise _error(file, key, "mechanisms", msg)
    for clue in model.clues:
        if clue.startswith(KNOWN):
            if clue[len(KNOWN) :] not in keys:
                near = nearest_names(clue[len(KNOWN) :], keys)
                raise _error(file, key, "clues", f"{json_text(clue)} names no disease{near}")
        elif clue not in CLUES:
            raise _error(
                file,
                key,
                "clues",
                f"unknown clue {json_text(clue)}{nearest_names(clue, CLUES)}; allowed: "
                f"{', '.join(CLUES)} or known:<disease key>",
            )
    for name in model.calculators:
        if calculators is not None and name not in calculators:
            near = nearest_names(name, calculators)
            raise _error(file, key, "calculators", f"unknown calculator {json_text(name)}{near}")


def nearest_names(name: str, names: Iterable[str]) -> str:
    """``"; nearest: a, b"`` for the names of ``names`` that begin with ``name`` or are close
    to it (empty text when none is)."""
    pool = sorted(names)
    starts = [n for n in pool if name and n.startswith(name)]
    close = list(dict.fromkeys([*starts, *difflib.get_close_matches(name, pool, n=3, cutoff=0.6)]))
    return f"; nearest: {', '.join(close[:3])}" if close else ""


def parse_diseases(
    files: Mapping[str, str],
    calculators: Iterable[str] | None = None,
    lists: Iterable[str] | None = None,
) -> dict[str, Disease]:
    """Validate TOML texts by file name (``<group>.toml``) into diseases keyed by their id.

    ``calculators`` and ``lists`` are the known calculator and list names (None: not checked).
    Raises ``KnowledgeError`` naming the file, entry and field of the first problem.
    """
    entries: dict[str, _Entry] = {}
    for file, text in sorted(files.items()):
        group = file.removesuffix(".toml")
        if group not in GROUPS:
            raise _error(
                file,
                "",
                "",
                f"unknown group{nearest_names(group, GROUPS)}; allowed: {', '.join(GROUPS)}",
            )
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise _error(file, "", "", f"not valid TOML: {exc}") from None
        for key, raw in data.items():
            if key in entries:
                raise _error(file, key, "", f"is also defined in {entries[key].file}")
            entries[key] = _Entry(file, key, raw)
    known = set(entries)
    calc_names = set(calculators) if calculators is not None else None
    list_names = set(lists) if lists is not None else None
    out: dict[str, Disease] = {}
    for key, entry in entries.items():
        if key != key.lower() or not key.replace("_", "").isalnum():
            raise _error(entry.file, key, "", "keys must be snake_case ids")
        if not isinstance(entry.raw, dict) or "group" in entry.raw:
            raise _error(
                entry.file, key, "", "must be a table of fields (the group is the file name)"
            )
        try:
            model = Disease.model_validate({**entry.raw, "group": entry.file.removesuffix(".toml")})
        except ValidationError as exc:
            first = validation_problems(exc)[0]
            raise _error(entry.file, key, first.field, first.msg) from None
        _check(entry, model, known, calc_names, list_names)
        out[key] = model
    return dict(sorted(out.items()))


def _files() -> dict[str, str]:
    folder = resources.files("immunospine.knowledge").joinpath("data", "autoimmune_diseases")
    return {f.name: f.read_text("utf-8") for f in folder.iterdir() if f.name.endswith(".toml")}


@cache
def disease_lists() -> dict[str, DiseaseList]:
    """The recognised lists of autoimmune diseases the base covers, by id (file order)."""
    raw = load_toml("autoimmune_disease_lists")
    out = {}
    for key, value in raw.items():
        try:
            out[key] = DiseaseList.model_validate(value)
        except ValidationError as exc:
            first = validation_problems(exc)[0]
            raise _error("autoimmune_disease_lists.toml", key, first.field, first.msg) from None
    return out


@cache
def _all() -> dict[str, Disease]:
    from immunospine.knowledge.registry import catalogue

    return parse_diseases(_files(), (spec.name for spec in catalogue()), disease_lists())


@cache
def _lookup() -> dict[str, str]:
    """Every key, name and alias, case-folded, to its disease key."""
    out: dict[str, str] = {}
    for key, entry in _all().items():
        for label in (key, entry.name, *entry.aliases):
            out.setdefault(label.casefold(), key)
    return out


def resolve(name: str) -> str | None:
    """The key of the disease called ``name`` (key, name or alias, any case); None if none."""
    return _lookup().get(name.strip().casefold())


def disease_key(name: str) -> str:
    """The key of a disease given by key, name or alias (any case); ``KnowledgeError`` names
    the nearest ones."""
    key = resolve(name)
    if key is None:
        raise KnowledgeError(f"unknown disease {json_text(name)}{suggest(name)}")
    return key


def disease(name: str) -> Disease:
    """One entry by key, name or alias (any case); ``KnowledgeError`` names the nearest ones."""
    return _all()[disease_key(name)]


def suggest(name: str) -> str:
    """``"; nearest: ..."`` naming the diseases closest to ``name`` (by key, name or alias)."""
    labels = _lookup()
    close = difflib.get_close_matches(name.strip().casefold(), list(labels), n=3, cutoff=0.5)
    keys = list(dict.fromkeys(labels[c] for c in close))
    if not keys:
        return "; see `immunospine knowledge diseases` for the list"
    return "; nearest: " + ", ".join(f"{k} ({_all()[k].name})" for k in keys)


def diseases(mechanism: str | None = None, group: str | None = None) -> dict[str, Disease]:
    """Every disease of the base keyed by its id (sorted), or those reaching the back by
    ``mechanism`` and in ``group``; an unknown mechanism or group is a ``KnowledgeError`` listing
    the allowed ones.
    """
    if mechanism is not None and mechanism not in MECHANISMS:
        raise KnowledgeError(
            f"unknown mechanism {json_text(mechanism)}{nearest_names(mechanism, MECHANISMS)}; "
            f"allowed: {', '.join(MECHANISMS)}"
        )
    if group is not None and group not in GROUPS:
        raise KnowledgeError(
            f"unknown group {json_text(group)}{nearest_names(group, GROUPS)}; "
            f"allowed: {', '.join(GROUPS)}"
        )
    return {
        k: d
        for k, d in _all().items()
        if (mechanism is None or mechanism in d.mechanisms) and (group is None or d.group == group)
    }
