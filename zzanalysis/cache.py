"""A small on-disk cache of DataFrames as Parquet files, keyed by content.

Used by :func:`zzanalysis.tokenize` and meant for anything else that is slow to compute and
a pure function of its inputs (parsed pages, say). A key is the sha256 of the namespace, the
package version and whatever parts the caller passes (settings and content), so a change of
any of them is a different file: an entry is never updated, only written once and read back.

    cache = ParquetCache("tokens")
    key = cache.key({"hmm": True}, text)       # settings, content …
    frame = cache.get(key)                    # None on a miss
    if frame is None:
        frame = expensive(text)
        cache.put(key, frame)

Files live under ``$ZZ_CACHE_DIR/<namespace>/`` (default ``~/.cache/zzanalysis``; see
:func:`cache_dir`). Writes go to a temporary file in the same folder and are renamed into place,
so a reader never sees half a file, and two processes writing the same key both leave a complete
one. A file that cannot be read, or that was written for another key, is deleted and reported as
a miss.

The cache is bounded: after each write, the least recently used files of the whole cache root
are deleted until it holds at most ``$ZZ_CACHE_MAX_MB`` megabytes (default 2000; reading a file
counts as a use). :func:`clear` empties it.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

from ._version import __version__

__all__ = ["ParquetCache", "cache_dir", "clear", "digest", "max_bytes"]

# Stored in each file's Parquet metadata and checked on read: a file renamed or copied under
# another key's name is treated as a miss rather than trusted.
_KEY_FIELD = b"zzanalysis.cache_key"


def cache_dir() -> Path:
    """The package's cache root: ``$ZZ_CACHE_DIR`` if set, else ``~/.cache/zzanalysis``.

    Read on every call (not at import) so tests and the Makefile can point it elsewhere.
    The folder is not created here.
    """
    env = os.environ.get("ZZ_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "zzanalysis"


_DEFAULT_MAX_MB = 2000


def max_bytes() -> int:
    """The cache's size cap in bytes: ``$ZZ_CACHE_MAX_MB`` megabytes (10⁶ bytes), default 2000.

    Raises:
        ValueError: ``ZZ_CACHE_MAX_MB`` is set but is not a number ≥ 0.
    """
    env = os.environ.get("ZZ_CACHE_MAX_MB")
    if env is None or not env.strip():
        return _DEFAULT_MAX_MB * 10**6
    try:
        mb = float(env)
    except ValueError:
        mb = -1.0
    if not mb >= 0:
        raise ValueError(f"ZZ_CACHE_MAX_MB must be a number of megabytes ≥ 0, got {env!r}")
    return int(mb * 10**6)


def clear(namespace: str | None = None, *, root: str | os.PathLike | None = None) -> int:
    """Delete the package's cached files: every namespace, or only ``namespace``.

    Args:
        namespace: e.g. ``"tokens"``; default all of them, and jieba's prefix dictionary.
        root: the cache root; default :func:`cache_dir`.

    Returns:
        How many files were deleted.

    Example:
        >>> zz.cache.clear()          # everything under ~/.cache/zzanalysis (or $ZZ_CACHE_DIR)
        >>> zz.cache.clear("tokens")  # only the token tables
    """
    base = Path(root) if root is not None else cache_dir()
    folders = [base / namespace] if namespace else [p for p in base.glob("*") if p.is_dir()]
    n = 0
    for folder in folders:
        for p in folder.glob("*"):
            if p.is_file() and p.suffix in (".parquet", ".tmp", ".cache"):
                p.unlink(missing_ok=True)
                n += 1
    return n


def _evict(root: Path, cap: int, keep: Path) -> None:
    """Delete the least recently used Parquet files under ``root`` until they fit in ``cap``."""
    files = []
    for p in root.glob("*/*.parquet"):
        try:
            st = p.stat()
        except OSError:  # deleted meanwhile by another process
            continue
        files.append((max(st.st_atime_ns, st.st_mtime_ns), str(p), st.st_size, p))
    total = sum(f[2] for f in files)
    for _, _, size, p in sorted(files):  # oldest first, path order on equal times
        if total <= cap:
            break
        if p == keep:
            continue
        p.unlink(missing_ok=True)
        total -= size


def _encode(part: object) -> bytes:
    # A type prefix keeps 1, "1" and b"1" apart.
    if isinstance(part, bytes):
        return b"b" + part
    if isinstance(part, str):
        return b"s" + part.encode("utf-8", "surrogatepass")
    # Settings dicts: sorted keys so {"a":1,"b":2} and {"b":2,"a":1} give the same key.
    return b"j" + json.dumps(part, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")


def digest(*parts: object) -> str:
    """sha256 hex digest of ``parts`` (str, bytes, or anything JSON can encode).

    Each part is typed and length-prefixed, so ``digest("ab", "c") != digest("a", "bc")`` and
    ``digest(1) != digest("1")``.

    Example:
        >>> len(digest("tokens", {"hmm": True}, "株洲"))
        64
    """
    h = hashlib.sha256()
    for part in parts:
        data = _encode(part)
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class ParquetCache:
    """DataFrames stored as ``<root>/<namespace>/<key>.parquet``.

    Args:
        namespace: a folder name for one kind of result, e.g. ``"tokens"`` or ``"pages"``.
        root: cache root; default :func:`cache_dir` at the time of each call.
        version: mixed into every key; default the package version, so an upgrade never
            reads results computed by older code.

    Example:
        >>> cache = ParquetCache("pages", root="/tmp/zz-cache-demo")
        >>> key = cache.key({"normalize": True}, page_text)   # settings, then content
        >>> frame = cache.get(key)
        >>> if frame is None:
        ...     frame = parse(page_text)
        ...     cache.put(key, frame)
    """

    def __init__(self, namespace: str, *, root: str | os.PathLike | None = None,
                 version: str | None = None) -> None:
        if not namespace or "/" in namespace or namespace.startswith("."):
            raise ValueError(f"namespace must be a plain folder name, got {namespace!r}")
        self.namespace = namespace
        self._root = Path(root) if root is not None else None
        if version is None:
            version = __version__
        self.version = version

    @property
    def folder(self) -> Path:
        return (self._root or cache_dir()) / self.namespace

    def key(self, *parts: object) -> str:
        """The key for ``parts`` within this namespace and package version (see :func:`digest`)."""
        return digest(self.namespace, self.version, *parts)

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.parquet"

    def get(self, key: str) -> pd.DataFrame | None:
        """The frame stored under ``key``, or None on a miss.

        A file that is truncated, corrupt or written for another key is deleted: it could
        only have come from an interrupted or foreign write, and keeping it would make
        every later call pay for the failed read.
        """
        table = self.get_table(key)
        return None if table is None else table.to_pandas()

    def get_table(self, key: str):
        """As :meth:`get`, but the ``pyarrow.Table`` as stored, for callers that convert some
        columns themselves (the parse cache turns list columns into Python lists in bulk)."""
        import pyarrow.parquet as pq

        path = self.path(key)
        if not path.is_file():
            return None
        try:
            table = pq.read_table(path)
            if (table.schema.metadata or {}).get(_KEY_FIELD) != key.encode():
                raise ValueError("cache file written for another key")
            # A use, kept in the access time (the modification time says when it was written):
            # eviction deletes the least recently used files first.
            os.utime(path, ns=(time.time_ns(), path.stat().st_mtime_ns))
            return table
        except Exception:  # pyarrow raises ArrowInvalid, OSError, … for damaged files
            path.unlink(missing_ok=True)
            return None

    def put(self, key: str, frame: pd.DataFrame) -> Path:
        """Store ``frame`` (its index is not kept) under ``key``; returns the file's path."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, preserve_index=False)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), _KEY_FIELD: key.encode()})
        folder = self.folder
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{key[:16]}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                # LZ4: half the size of the default Snappy on page text and twice as fast to read back.
                pq.write_table(table, fh, compression="lz4")
            os.replace(tmp, self.path(key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _evict(folder.parent, max_bytes(), keep=self.path(key))
        return self.path(key)

    def clear(self) -> int:
        """Delete every file of this namespace; returns how many were removed."""
        n = 0
        if self.folder.is_dir():
            for p in self.folder.iterdir():
                if p.suffix in (".parquet", ".tmp"):
                    p.unlink(missing_ok=True)
                    n += 1
        return n

    def __repr__(self) -> str:
        return f"ParquetCache({self.namespace!r}, folder={str(self.folder)!r})"
