"""Arrow tables from the generator's event blocks (see ``cohort.synthetic.generator``)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from immunospine.cohort.omop_schema import EHR_TYPE_CONCEPT, arrow_schema

I64 = npt.NDArray[np.int64]
NA_DAY = np.iinfo(np.int64).min


class Events:
    """Rows of one OMOP table, collected as (person index, day, concept, extras) blocks."""

    def __init__(self) -> None:
        self.blocks: list[dict[str, npt.NDArray[np.generic]]] = []

    def add(self, who: I64, day: I64, concept: npt.ArrayLike, **extra: npt.ArrayLike) -> None:
        cols: dict[str, npt.NDArray[np.generic]] = {
            "who": who,
            "day": day,
            "concept": np.broadcast_to(np.asarray(concept, dtype=np.int64), who.shape).copy(),
        }
        for k, v in extra.items():
            cols[k] = np.broadcast_to(np.asarray(v), who.shape).copy()
        self.blocks.append(cols)

    def collect(self) -> dict[str, npt.NDArray[np.generic]]:
        keys = {k for b in self.blocks for k in b}
        n = sum(b["who"].size for b in self.blocks)
        out: dict[str, npt.NDArray[np.generic]] = {}
        for k in keys:
            parts = [b[k] if k in b else np.full(b["who"].size, np.nan) for b in self.blocks]
            out[k] = np.concatenate(parts) if parts else np.empty(0)
        if n == 0:
            return {"who": np.empty(0, np.int64), "day": np.empty(0, np.int64)} | {
                k: np.empty(0) for k in keys - {"who", "day"}
            }
        order = np.lexsort((out["day"], out["who"]))
        return {k: v[order] for k, v in out.items()}


def dates(days: I64) -> pa.Array:
    mask = days == NA_DAY
    return pa.array(np.where(mask, 0, days).astype(np.int32), type=pa.date32(), mask=mask)


def event_table(name: str, kind: str, ev: Events, pid: I64) -> pa.Table:
    c = ev.collect()
    who = c["who"].astype(np.int64)
    day = c["day"].astype(np.int64)
    cols: dict[str, npt.ArrayLike] = {"person_id": pid[who]}
    concept = c.get("concept", np.empty(0)).astype(np.int64)
    if kind == "condition":
        cols |= {"condition_concept_id": concept, "condition_start_date": day,
                 "condition_type_concept_id": EHR_TYPE_CONCEPT}  # fmt: skip
    elif kind == "drug":
        supply = np.nan_to_num(c.get("supply", np.zeros(who.size)), nan=30).astype(np.int64)
        cols |= {"drug_concept_id": concept, "drug_exposure_start_date": day,
                 "drug_exposure_end_date": day + supply - 1, "days_supply": supply,
                 "drug_type_concept_id": EHR_TYPE_CONCEPT}  # fmt: skip
    elif kind == "measurement":
        cols |= {"measurement_concept_id": concept, "measurement_date": day,
                 "measurement_type_concept_id": EHR_TYPE_CONCEPT, "value_as_number": c["vnum"],
                 "value_as_concept_id": np.nan_to_num(c["vcon"]).astype(np.int64),
                 "unit_concept_id": np.nan_to_num(c["unit"]).astype(np.int64),
                 "range_low": c["lo"], "range_high": c["hi"]}  # fmt: skip
    elif kind == "procedure":
        cols |= {"procedure_concept_id": concept, "procedure_date": day,
                 "procedure_type_concept_id": EHR_TYPE_CONCEPT}  # fmt: skip
    elif kind == "observation":
        cols |= {"observation_concept_id": concept, "observation_date": day,
                 "observation_type_concept_id": EHR_TYPE_CONCEPT,
                 "value_as_concept_id": np.zeros(who.size, np.int64)}  # fmt: skip
    else:
        los = np.nan_to_num(c.get("los", np.zeros(who.size))).astype(np.int64)
        cols |= {"visit_concept_id": concept, "visit_start_date": day, "visit_end_date": day + los,
                 "visit_type_concept_id": EHR_TYPE_CONCEPT}  # fmt: skip
    return table(name, cols, n=who.size)


def table(name: str, cols: Mapping[str, npt.ArrayLike], n: int | None = None) -> pa.Table:
    schema = arrow_schema(name)
    size = n if n is not None else len(np.asarray(next(iter(cols.values()))))
    arrays: list[pa.Array] = []
    for f in schema:
        if f.name not in cols:
            is_row_id = f.name == f"{name}_id"
            arrays.append(
                pa.array(np.zeros(size, np.int64)) if is_row_id else pa.nulls(size, f.type)
            )
            continue
        v = np.broadcast_to(np.asarray(cols[f.name]), (size,))
        if pa.types.is_date(f.type):
            arrays.append(dates(v.astype(np.int64)))
        elif pa.types.is_floating(f.type):
            arrays.append(pa.array(v.astype(np.float64), from_pandas=True))
        else:
            arrays.append(pa.array(v.astype(f.type.to_pandas_dtype())))
    return pa.Table.from_arrays(arrays, schema=schema)
