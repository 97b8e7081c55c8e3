"""Writing an output file without damaging what its path points at.

A regular file is replaced atomically (a reader never sees half of it, a failed
write leaves the old one, and the new one keeps the old one's mode and owner).
A symlink is written through to its target, never replaced.  A device or a FIFO
(`-json_out /dev/stdout`, a pipe to another tool) is written directly: renaming a
file over `/dev/null` would replace the system's device with a file.  A folder is
refused.  Every failure is an OSError; callers turn it into one line naming their
option.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
import uuid

from ..errors import UsageError


def _target(path: str) -> tuple[str, os.stat_result | None]:
    """The file a write to `path` lands in (through symlinks), and its stat if it exists."""
    real = os.path.realpath(path)
    try:
        return real, os.stat(real)
    except FileNotFoundError:
        return real, None


def check_writable(path: str) -> None:
    """Raise OSError when `path` could not be written; writes and creates nothing.

    For the checks before measuring: a folder, a missing or read-only parent
    folder, a read-only file."""
    real, info = _target(path)
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder, not a file", path)
    if info is not None and not stat.S_ISREG(info.st_mode):
        return  # a device or a FIFO: opened when written
    folder = os.path.dirname(real) or "."
    if not os.path.isdir(folder):
        raise FileNotFoundError(errno.ENOENT, f"the folder {folder} does not exist", path)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(errno.EACCES, f"the folder {folder} is not writable", path)
    if info is not None and not os.access(real, os.W_OK):
        raise PermissionError(errno.EACCES, "the file is not writable", path)


def write_file(path: str, data: str | bytes, newline: str | None = None) -> None:
    """Write `data` (text as UTF-8) to `path`, safely for whatever `path` is."""
    payload = data if isinstance(data, bytes) else _encode(data, newline)
    real, info = _target(path)
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder, not a file", path)
    if info is not None and not stat.S_ISREG(info.st_mode):
        _write_stream(real, payload)
        return
    _replace_atomically(real, payload, info)


def _encode(text: str, newline: str | None) -> bytes:
    # As open(..., newline=newline) would: None and "" keep "\n" on POSIX.
    if newline not in (None, "", "\n"):
        text = text.replace("\n", newline)
    return text.encode("utf-8")


def _write_stream(path: str, payload: bytes) -> None:
    # Non-blocking open: a FIFO nobody reads fails at once (ENXIO) instead of hanging.
    fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    try:
        os.set_blocking(fd, True)
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    finally:
        os.close(fd)


def _replace_atomically(path: str, payload: bytes, info: os.stat_result | None) -> None:
    folder = os.path.dirname(path) or "."
    temporary = os.path.join(
        folder, f".{os.path.basename(path)}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    )
    try:
        # O_EXCL (not mkstemp) so a new file gets the usual umask permissions, not 0600.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            if info is not None:
                os.fchmod(fd, stat.S_IMODE(info.st_mode))
                with contextlib.suppress(OSError):  # only root may give a file away
                    os.fchown(fd, info.st_uid, info.st_gid)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def describe(error: OSError) -> str:
    """An OSError as the end of a one-line message."""
    return str(error.strerror or error)


def output_prefix(given: str, kind: str) -> str:
    """Where a sweep, capacity search or tune writes PREFIX.csv/.json: `--out` as
    given, its default names inside a folder given as one, or
    ovbench-<kind>-<date>-<time> here; refused (one line) when its folder cannot
    be written, before anything is measured."""
    default = time.strftime(f"ovbench-{kind}-%Y%m%d-%H%M%S")
    prefix = given
    if prefix and (prefix.endswith(os.sep) or os.path.isdir(prefix)):
        prefix = os.path.join(prefix, default)  # a folder: the default names inside it
    prefix = (prefix or default).removesuffix(".json").removesuffix(".csv")
    folder = os.path.dirname(os.path.abspath(prefix))
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
        raise UsageError(f"--out {prefix}: the folder {folder} does not exist or is not writable")
    return prefix
