"""Serialised answers kept between requests, each valid for one revision of what it was built from.

A long answer (a patient's ten-year timeline is over a megabyte of JSON) costs far more to read,
validate and serialise than to send. The services keep the JSON text they built, keyed on the
question (patient, filters) and stored with the *revision* of the data it was built from (e.g.
``RecordRepo.revision``: changes with every write to that patient's record). A later request
reads the current revision in its own transaction and reuses the text only if it is the same,
so a write invalidates it at once, whichever process made the write. Only the work is saved:
every request is still authorised and audited as before.

The cache is per database engine (dropped with it) and per process, bounded in entries and
bytes, least recently used first out. It is thread-safe (routes run in a thread pool).
"""

from __future__ import annotations

import json
import threading
import weakref
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any, Generic, TypeVar

import orjson

from immunospine.storage.uow import UnitOfWork

__all__ = ["AnswerCache", "json_bytes"]


def json_bytes(value: Any) -> bytes:
    """Compact UTF-8 JSON of a JSON-ready value, as ``json.dumps(value, ensure_ascii=False,
    allow_nan=False, separators=(",", ":"))`` would write it (orjson; the standard library for
    what orjson does not take, e.g. integers beyond 64 bits)."""
    try:
        return orjson.dumps(value)
    except TypeError:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.encode("utf-8")


V = TypeVar("V")


class AnswerCache(Generic[V]):
    """``get``/``put`` answers by ``(database, key)``, each valid for one ``revision``; the
    size of an answer (for the bound) is given to ``put`` (its length, for bytes)."""

    def __init__(self, *, max_entries: int = 64, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._by_db: weakref.WeakKeyDictionary[object, _Entries[V]] = weakref.WeakKeyDictionary()

    def get(self, uow: UnitOfWork, key: Hashable, revision: Hashable) -> V | None:
        """The answer kept for ``key`` in ``uow``'s database if it was built at ``revision``."""
        with self._lock:
            entries = self._by_db.get(_database(uow))
            return entries.get(key, revision) if entries is not None else None

    def put(self, uow: UnitOfWork, key: Hashable, revision: Hashable, answer: V, size: int) -> None:
        """Keep ``answer`` for ``key`` at ``revision`` (not kept if larger than the bound)."""
        if size > self.max_bytes:
            return
        with self._lock:
            entries = self._by_db.setdefault(_database(uow), _Entries())
            entries.put(key, revision, answer, size)
            while len(entries.items) > self.max_entries or entries.size > self.max_bytes:
                entries.drop(next(iter(entries.items)))

    def clear(self) -> None:
        with self._lock:
            self._by_db.clear()


def _database(uow: UnitOfWork) -> object:
    """The engine behind ``uow`` (one per ``Database``)."""
    return uow.session.get_bind()


class _Entries(Generic[V]):
    """One database's answers, least recently used first."""

    def __init__(self) -> None:
        self.items: OrderedDict[Hashable, tuple[Hashable, V, int]] = OrderedDict()
        self.size = 0

    def get(self, key: Hashable, revision: Hashable) -> V | None:
        found = self.items.get(key)
        if found is None:
            return None
        if found[0] != revision:
            self.drop(key)
            return None
        self.items.move_to_end(key)
        return found[1]

    def put(self, key: Hashable, revision: Hashable, answer: V, size: int) -> None:
        if key in self.items:
            self.drop(key)
        self.items[key] = (revision, answer, size)
        self.size += size

    def drop(self, key: Hashable) -> None:
        self.size -= self.items.pop(key)[2]
