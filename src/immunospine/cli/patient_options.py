"""``immunospine patient options ID``: treatment options for a patient, the state read from the
record (issue 12); the output is ``immunospine treatment options``'s."""

from __future__ import annotations

from typing import Annotated

import typer

from immunospine.cli.db import ActorOption, DbOption
from immunospine.cli.patient import patient_app
from immunospine.cli.treatment import JsonOption, print_options


@patient_app.command(
    "options",
    help="Treatment options for a patient, the state read from the record (diagnosis, latest "
    "scores, CRP, imaging, medication history); what the record does not hold shows as "
    "'depends on'. To discuss with the clinician, never a prescription.",
)
def patient_options(
    patient_id: Annotated[str, typer.Argument(metavar="ID", help="pseudonymous patient id")],
    db: DbOption = None,
    as_json: JsonOption = False,
    actor: ActorOption = "cli",
) -> None:
    from immunospine.services import database
    from immunospine.services.treatment import options_for_patient

    with database.opened(db) as handle:
        answer = options_for_patient(handle, actor, patient_id)
    print_options(answer.to_dict(), as_json, patient_id)
