"""Writing an output file without damaging what its path points at.

A regular file is replaced atomically (a reader never sees half of it, a failed
write leaves the old one, and the new one keeps the old one's mode and owner).
A symlink is written through to its target, never replaced.  A device or a FIFO
(`-json_out /dev/stdout`, a pipe to another tool) is written directly: renaming a
file over `/dev/null` would replace the system's device with a file.  A folder is
refused.  Every failure is an OSError; callers turn it into one line naming their
option.

A FIFO needs a reader, or a write to it blocks: the check before measuring opens
its write end without blocking (no reader: ENXIO, refused with what to do) and
keeps it open until the write, because closing it would hand the reader (`cat
FIFO`) its end of file before anything was written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
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


class StreamError(OSError):
    """A FIFO that cannot take the output; its message says what to do."""


# FIFO (real path) -> its write end, opened by the check and kept for the write.
_held_streams: dict[str, int] = {}


def check_writable(path: str) -> None:
    """Raise OSError when `path` could not be written; writes and creates nothing.

    For the checks before measuring: a folder, a missing or read-only parent
    folder, a read-only file, a FIFO nobody reads."""
    real, info = _target(path)
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder, not a file", path)
    if info is not None and stat.S_ISFIFO(info.st_mode):
        if real not in _held_streams:
            _held_streams[real] = _open_stream(real, path)
        return
    if info is not None and not stat.S_ISREG(info.st_mode):
        return  # a device: opened when written
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
        _write_stream(real, payload, path)
        return
    _replace_atomically(real, payload, info)


def _encode(text: str, newline: str | None) -> bytes:
    # As open(..., newline=newline) would: None and "" keep "\n" on POSIX.
    if newline not in (None, "", "\n"):
        text = text.replace("\n", newline)
    return text.encode("utf-8")


def _open_stream(real: str, path: str) -> int:
    # Non-blocking open: a FIFO nobody reads fails at once (ENXIO) instead of hanging.
    try:
        fd = os.open(real, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ENXIO:
            raise StreamError(
                errno.ENXIO,
                "it is a FIFO that no process is reading, so writing to it would block: "
                f"start its reader first (e.g. `cat {path} > out.json &`), or give a "
                "regular file",
            ) from None
        raise
    os.set_blocking(fd, True)
    return fd


def _write_stream(real: str, payload: bytes, path: str) -> None:
    fd = _held_streams.pop(real, None)
    if fd is None:
        fd = _open_stream(real, path)
    try:
        if _reader_gone(fd):
            raise BrokenPipeError(errno.EPIPE, "no reader")
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except BrokenPipeError:
        raise StreamError(
            errno.EPIPE,
            "the FIFO's reader closed it before the output was written: keep it reading "
            "until ovbench-tui ends, or give a regular file",
        ) from None
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


def _reader_gone(fd: int) -> bool:
    """A FIFO whose reader left: writing would raise SIGPIPE, which `run` leaves at its
    default (`| head` ends it quietly) and which would end the process unseen."""
    if not stat.S_ISFIFO(os.fstat(fd).st_mode):
        return False
    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    return any(events & select.POLLERR for _, events in poller.poll(0))


def describe(error: OSError) -> str:
    """An OSError as the end of a one-line message."""
    return str(error.strerror or error)


def describe_with(error: OSError, advice: str) -> str:
    """`describe`, then `advice` (" (check the folder ...)") unless the error says
    what to do already (a FIFO's)."""
    return describe(error) if isinstance(error, StreamError) else describe(error) + advice


# The files each kind writes at PREFIX (default: PREFIX.csv and PREFIX.json).
PREFIX_FILES = {"tune": (".csv", ".json", ".config.json")}


def output_prefix(given: str, kind: str) -> str:
    """Where a sweep, capacity search or tune writes PREFIX.csv/.json: `--out` as
    given, its default names inside a folder given as one, or
    ovbench-<kind>-<date>-<time> here; refused (one line) when its folder or one of
    its files cannot be written (a FIFO nobody reads), before anything is measured."""
    default = time.strftime(f"ovbench-{kind}-%Y%m%d-%H%M%S")
    prefix = given
    if prefix and (prefix.endswith(os.sep) or os.path.isdir(prefix)):
        prefix = os.path.join(prefix, default)  # a folder: the default names inside it
    prefix = (prefix or default).removesuffix(".json").removesuffix(".csv")
    folder = os.path.dirname(os.path.abspath(prefix))
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
        raise UsageError(f"--out {prefix}: the folder {folder} does not exist or is not writable")
    for path in (prefix + suffix for suffix in PREFIX_FILES.get(kind, (".csv", ".json"))):
        if not os.path.exists(path) or os.path.isfile(path):
            continue  # a regular file is replaced whatever its mode
        try:
            check_writable(path)  # a folder, a FIFO nobody reads
        except OSError as error:
            advice = describe_with(error, ": give another --out")
            raise UsageError(f"--out {prefix}: cannot write {path}: {advice}") from error
    return prefix
