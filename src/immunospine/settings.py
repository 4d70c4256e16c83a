"""Settings: the one place that reads the environment (prefix ``IMMUNOSPINE_``).

Precedence: a CLI flag (passed in by the caller) > environment > ``.env`` > default. Pass a
``Settings`` object explicitly; nothing else in immunospine reads ``os.environ``. A bad
``IMMUNOSPINE_SECRET_KEY`` is reported without its value.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from immunospine.errors import InputError, validation_problems

__all__ = ["Settings", "database_url_of", "default_data_dir", "load_settings", "sqlite_file_of"]


MIN_SECRET_KEY_CHARS = 32
SECRET_FIELDS = frozenset({"secret_key"})
"""Settings whose values an error never shows."""


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
    api_max_body_bytes: int = Field(
        default=1_048_576,
        ge=1,
        description="Largest request body the HTTP API accepts, in bytes (larger: HTTP 413)",
    )
    api_max_json_depth: int = Field(
        default=32,
        ge=1,
        le=1000,
        description="Deepest nesting of JSON arrays and objects the HTTP API accepts (deeper: 422)",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Key that signs API tokens (HS256), at least 32 characters; default: the "
        "key in key_file, generated once",
    )
    key_file: Path | None = Field(
        default=None,
        description="File holding the token signing key when secret_key is not set; created "
        "once with a random key and permissions 0600; default: secret.key in the user's data "
        "directory",
    )
    token_lifetime_seconds: int = Field(
        default=3600, ge=60, le=7 * 24 * 3600, description="How long an API token is valid"
    )
    web_session_idle_seconds: int = Field(
        default=1800,
        ge=60,
        le=24 * 3600,
        description="A web page session ends after this long without a request (seconds)",
    )
    web_session_max_seconds: int = Field(
        default=12 * 3600,
        ge=300,
        le=30 * 24 * 3600,
        description="A web page session ends this long after signing in, whatever its use",
    )
    login_window_seconds: int = Field(
        default=900,
        ge=1,
        description="Failed sign-ins count for rate limiting when this recent (seconds)",
    )
    login_slow_after_failures: int = Field(
        default=3,
        ge=1,
        description="After this many recent failures for a username or an address, each further "
        "sign-in attempt waits login_slow_delay_ms first",
    )
    login_slow_delay_ms: int = Field(
        default=1000, ge=0, le=10_000, description="The wait of a slowed sign-in attempt"
    )
    login_max_failures_per_username: int = Field(
        default=10,
        ge=1,
        description="Recent failures for one username after which sign-in is refused (HTTP 429) "
        "until the oldest leaves the window",
    )
    login_max_failures_per_address: int = Field(
        default=50,
        ge=1,
        description="Recent failures from one network address after which sign-in is refused",
    )
    argon2_time_cost: int = Field(
        default=3, ge=1, le=20, description="Argon2id passes over memory (password hashing)"
    )
    argon2_memory_kib: int = Field(
        default=65_536, ge=8, le=4_194_304, description="Argon2id memory per hash, in KiB"
    )
    argon2_parallelism: int = Field(
        default=4, ge=1, le=64, description="Argon2id lanes (threads) per hash"
    )

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_SECRET_KEY_CHARS:
            raise ValueError(f"must be at least {MIN_SECRET_KEY_CHARS} characters")
        return value

    def resolved_key_file(self) -> Path:
        """``key_file`` if set, else ``secret.key`` in the user's data directory."""
        return self.key_file.expanduser() if self.key_file else default_data_dir() / "secret.key"

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


def _secret(loc: tuple[str | int, ...]) -> bool:
    return bool(loc) and loc[0] in SECRET_FIELDS


def load_settings() -> Settings:
    """Read settings from the environment (and ``.env``); a bad value is an ``InputError``
    naming its variable (``IMMUNOSPINE_SQLITE_BUSY_TIMEOUT_MS = "abc": must be a whole number``).
    """
    try:
        return Settings()
    except ValidationError as exc:
        problems = [
            replace(
                p,
                loc=(f"IMMUNOSPINE_{str(p.loc[0]).upper()}", *p.loc[1:]) if p.loc else (),
                value=None if _secret(p.loc) else p.value,
                has_value=p.has_value and not _secret(p.loc),
            )
            for p in validation_problems(exc, model=Settings)
        ]
        raise InputError.from_problems(problems, "settings") from None
