"""A writer process for the durability and concurrency tests (run as a script, not a test).

    python -m tests.storage.diary_writer URL PATIENT_ID START COUNT

Inserts COUNT diary entries, one committed transaction each (through the service, so each
also writes its audit entry), and prints the sequence number of each entry right after its
commit, so the parent knows exactly what was committed.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from immunospine.records import DiaryEntry
from immunospine.services import record
from immunospine.storage.uow import Database

BASE = datetime(2015, 1, 1, 8, 0, tzinfo=UTC)


def entry(patient_id: str, seq: int) -> DiaryEntry:
    return DiaryEntry(
        patient_id=patient_id,
        recorded_at=BASE + timedelta(minutes=seq),
        pain_nrs=float(seq % 11),
        note=f"seq {seq}",
    )


def main(url: str, patient_id: str, start: int, count: int) -> None:
    db = Database.connect(url)
    for seq in range(start, start + count):
        record.add_entry(db, entry(patient_id, seq), actor=f"writer-{start}")
        sys.stdout.write(f"{seq}\n")
        sys.stdout.flush()
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
