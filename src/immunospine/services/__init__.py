"""Use-cases: the only thing the faces (CLI, API, web) call."""
