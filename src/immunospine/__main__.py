"""``python -m immunospine`` runs the command line."""

from immunospine.cli import run

run()
