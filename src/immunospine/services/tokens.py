"""Bearer tokens for the API: signed (HS256, PyJWT), expiring, checked against the database.

The signing key is ``IMMUNOSPINE_SECRET_KEY`` when set; otherwise the key in
``Settings.resolved_key_file()`` (by default ``secret.key`` in the user's data directory), which
is generated once with a random 256-bit key and permissions 0600 and reused after that. There is
no key in the code. A key file that other users can read is refused.

A token names the user and their role; ``verify_token`` re-reads the user, so a disabled or
deleted user's tokens stop working at once and a changed role takes effect.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import jwt

from immunospine.errors import InputError, Unauthorized
from immunospine.services.accounts import Principal, principal_of
from immunospine.settings import Settings, load_settings
from immunospine.storage.uow import Database

__all__ = ["ALGORITHM", "ISSUER", "issue_token", "signing_key", "verify_token"]

ALGORITHM = "HS256"
ISSUER = "immunospine"
KEY_BYTES = 32
INVALID = "the token is invalid or has expired; sign in again"


def issue_token(principal: Principal, settings: Settings | None = None) -> tuple[str, int]:
    """A signed token for ``principal`` and its lifetime in seconds (``expires_in``)."""
    s = settings or load_settings()
    now = datetime.now(UTC)
    lifetime = s.token_lifetime_seconds
    claims = {
        "iss": ISSUER,
        "sub": principal.username,
        "role": principal.role,
        "iat": now,
        "exp": now + timedelta(seconds=lifetime),
        "jti": secrets.token_urlsafe(12),
    }
    return jwt.encode(claims, signing_key(s), algorithm=ALGORITHM), lifetime


def verify_token(db: Database, token: str, settings: Settings | None = None) -> Principal:
    """The current ``Principal`` of a valid token; ``Unauthorized`` for a bad, expired or
    tampered token, or one whose user is gone or disabled."""
    s = settings or load_settings()
    try:
        claims = jwt.decode(
            token,
            signing_key(s),
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "iss"]},
        )
    except jwt.PyJWTError:
        raise Unauthorized(INVALID) from None
    username = claims.get("sub")
    if not isinstance(username, str):
        raise Unauthorized(INVALID)
    return principal_of(db, username)


def signing_key(settings: Settings) -> str:
    """The HS256 key: the secret setting, else the key file (created on first use)."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    return _key_from_file(settings.resolved_key_file())


def _key_from_file(path: Path) -> str:
    if not path.exists():
        _create_key_file(path)
    info = path.stat()
    return _read_key(str(path), info.st_mtime_ns, stat.S_IMODE(info.st_mode))


@lru_cache(maxsize=8)
def _read_key(name: str, mtime_ns: int, mode: int) -> str:
    """The key in file ``name`` (cached while its time and mode are unchanged)."""
    path = Path(name)
    if mode & 0o077:
        raise InputError.single(
            ("IMMUNOSPINE_KEY_FILE",),
            f"can be read by other users (permissions {mode:04o}); allow only its owner "
            f"(chmod 600 {path})",
            str(path),
            code="insecure",
        )
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < KEY_BYTES:
        raise InputError.single(
            ("IMMUNOSPINE_KEY_FILE",),
            f"holds too short a key (at least {KEY_BYTES} characters)",
            str(path),
            code="short_key",
        )
    return key


def _create_key_file(path: Path) -> None:
    """Write a new random key, 0600, atomically: if two processes race, one key wins."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_urlsafe(KEY_BYTES) + "\n")
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):  # another process made it first: keep theirs
            os.link(temp, path)
    finally:
        temp.unlink(missing_ok=True)
