"""Alembic environment and revisions of the patient database (run via ``storage.migrate``)."""
