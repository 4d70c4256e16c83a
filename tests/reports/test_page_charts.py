"""The web pages' charts: the cached compile (data values taken out, shape compiled once, values
put back) draws exactly what a direct vl-convert compile of the same specification draws."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import vl_convert

from immunospine.reports import page_charts
from immunospine.reports.charts import CHARTS
from immunospine.reports.model import PrevisitData
from immunospine.services import database
from immunospine.services import previsit as gathering
from tests.reports.previsit_record import ACTOR, build_axspa

TODAY = date(2025, 1, 20)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrevisitData]:
    path = tmp_path_factory.mktemp("page-charts") / "clinic.db"
    db = database.open_database(f"sqlite:///{path}")
    database.upgrade(db)
    built = build_axspa(db)
    yield gathering.gather_previsit(db, built.patient_id, actor=ACTOR, today=TODAY)
    db.dispose()


def _svg(vega: dict[str, Any]) -> str:
    """The drawing, with the renderer's running clip-path numbers taken out."""
    return re.sub(r"clip\d+", "clip", str(vl_convert.vega_to_svg(vega)))


def _halved(node: Any) -> Any:
    """``node`` with every number in its data values halved (the same shape, other values)."""
    if isinstance(node, dict):
        if isinstance(node.get("values"), list):
            return {**node, "values": [
                {k: v / 2 if isinstance(v, float) else v for k, v in row.items()}
                for row in node["values"]
            ]}  # fmt: skip
        return {k: _halved(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_halved(x) for x in node]
    return node


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_the_cached_compile_draws_what_a_direct_compile_draws(
    data: PrevisitData, name: str
) -> None:
    spec = page_charts.interactive(CHARTS[name](data))
    assert _svg(page_charts.to_vega(spec)) == _svg(page_charts.compile_vega_lite(spec))


def test_the_same_shape_with_other_values_compiles_once_and_keeps_its_own_values(
    data: PrevisitData,
) -> None:
    spec = page_charts.interactive(CHARTS["activity_chart"](data))
    other = _halved(copy.deepcopy(spec))
    assert other != spec
    page_charts.to_vega(spec)
    hits = page_charts._compiled_shape.cache_info().hits
    vega = page_charts.to_vega(other)
    assert page_charts._compiled_shape.cache_info().hits == hits + 1
    assert _svg(vega) == _svg(page_charts.compile_vega_lite(other))
    assert _svg(vega) != _svg(page_charts.to_vega(spec))


def test_a_specification_with_its_own_datasets_is_compiled_as_it_is() -> None:
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "datasets": {"mine": [{"a": 1.0}, {"a": 2.0}]},
        "data": {"name": "mine"},
        "mark": "point",
        "encoding": {"x": {"field": "a", "type": "quantitative"}},
    }
    assert page_charts.to_vega(spec) == page_charts.compile_vega_lite(spec)
