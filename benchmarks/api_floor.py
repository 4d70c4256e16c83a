"""The floor for ``bench_api``: the least a FastAPI app can do to answer ASDAS-CRP.

It reads the same JSON body and computes the same published formula (ASDAS-CRP, CRP floored at
2 mg/L) with no validation, no error envelope, no middleware. Served by the same uvicorn as
``immunospine serve``, it shows what the framework and server cost by themselves.
"""

from __future__ import annotations

import json
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

app = FastAPI()


@app.post("/api/v1/calculators/asdas_crp")
async def asdas_crp(request: Request) -> JSONResponse:
    d: dict[str, Any] = json.loads(await request.body())
    score = (
        0.121 * d["back_pain"]
        + 0.058 * d["morning_stiffness_duration"]
        + 0.110 * d["patient_global"]
        + 0.073 * d["peripheral_pain"]
        + 0.579 * math.log1p(max(d["crp_mg_l"], 2.0))
    )
    return JSONResponse({"name": "asdas_crp", "score": score})
