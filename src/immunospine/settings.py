"""Settings: the one place that reads the environment (prefix ``IMMUNOSPINE_``).

Precedence: a CLI flag (passed in by the caller) > environment > ``.env`` > default. Pass a
``Settings`` object explicitly; nothing else in immunospine reads ``os.environ``.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from immunospine.errors import InputError, validation_problems

__all__ = ["Settings", "database_url_of", "default_data_dir", "load_settings", "sqlite_file_of"]


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/immunospine``, else ``~/.local/share/immunospine``."""
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "immunospine"


class Settings(BaseSettings):
    """Every configurable value, each described; read from ``IMMUNOSPINE_*`` variables."""

    model_config = SettingsConfigDict(
        env_prefix="IMMUNOSPINE_", env_file=".env", extra="ignore", frozen=True
    )

    database_url: str | None = Field(
        default=None,
        description="Patient database: a SQLite file path, or a URL (sqlite:///relative/path, "
        "sqlite:////absolute/path, postgresql+psycopg://…); default: a SQLite file "
        "immunospine.db in the user's data directory",
    )
    sqlite_busy_timeout_ms: int = Field(
        default=30_000,
        ge=0,
        description="How long a SQLite writer waits for another writer's lock, in milliseconds",
    )

    def resolved_database_url(self, override: str | None = None) -> str:
        """``override`` (a CLI flag) if given, else ``database_url``, else the default file.

        A plain file path (no ``scheme://``) means that SQLite file; see ``database_url_of``.
        """
        if override:
            return database_url_of(override)
        if self.database_url:
            return database_url_of(self.database_url)
        return f"sqlite:///{default_data_dir() / 'immunospine.db'}"


def database_url_of(value: str) -> str:
    """A database URL for ``value``: a URL as given, a file path as its absolute SQLite URL.

    ``clinic.db`` → ``sqlite:////current/folder/clinic.db``; ``/tmp/x.db`` →
    ``sqlite:////tmp/x.db``. Note that in a URL, ``sqlite:///tmp/x.db`` (three slashes) is the
    RELATIVE path ``tmp/x.db``; four slashes make it absolute.
    """
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().absolute()}"


def sqlite_file_of(url: str) -> Path | None:
    """The absolute file a ``sqlite:///`` URL names (``None``: not a SQLite file URL)."""
    if not url.startswith("sqlite") or ":///" not in url:
        return None
    rest = url.split(":///", 1)[1].split("?", 1)[0]
    if not rest or rest == ":memory:" or rest.startswith("file:"):
        return None
    return Path(rest).expanduser().absolute()


def load_settings() -> Settings:
    """Read settings from the environment (and ``.env``); a bad value is an ``InputError``
    naming its variable (``IMMUNOSPINE_SQLITE_BUSY_TIMEOUT_MS = "abc": must be a whole number``).
    """
    try:
        return Settings()
    except ValidationError as exc:
        problems = [
            replace(p, loc=(f"IMMUNOSPINE_{str(p.loc[0]).upper()}", *p.loc[1:]) if p.loc else ())
            for p in validation_problems(exc, model=Settings)
        ]
        raise InputError.from_problems(problems, "settings") from None
