"""Settings: the one place that reads the environment (prefix ``IMMUNOSPINE_``).

Precedence: a CLI flag (passed in by the caller) > environment > ``.env`` > default. Pass a
``Settings`` object explicitly; nothing else in immunospine reads ``os.environ``.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "default_data_dir", "load_settings"]


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
        description="Patient database URL (sqlite:///PATH or postgresql+psycopg://…); "
        "default: a SQLite file immunospine.db in the user's data directory",
    )
    sqlite_busy_timeout_ms: int = Field(
        default=30_000,
        ge=0,
        description="How long a SQLite writer waits for another writer's lock, in milliseconds",
    )

    def resolved_database_url(self, override: str | None = None) -> str:
        """``override`` (a CLI flag) if given, else ``database_url``, else the default file."""
        if override:
            return override
        if self.database_url:
            return self.database_url
        return f"sqlite:///{default_data_dir() / 'immunospine.db'}"


def load_settings() -> Settings:
    """Read settings from the environment (and ``.env``)."""
    return Settings()
