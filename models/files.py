"""Files written whole: a file or a folder is replaced in one step, so a reader (or a crash) sees the old one or
the new one, never half of one; what a killed writer leaves behind is cleared by the next write.

Everything written here holds the company's books or its secrets, so it is its owner's only whatever the umask:
files 0600, folders made on the way 0700 (at the usual 022 every local user could read them otherwise)."""
from __future__ import annotations

import errno
import fcntl
import functools
import glob
import os
import re
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator


OWNER_ONLY, OWNER_ONLY_FOLDER = 0o600, 0o700
# What the entry points (the command line, the app) set, so what other libraries make beside ours is owner-only too.
OWNER_ONLY_UMASK = 0o077


def make_folder(folder: Path) -> Path:
    """`folder` and the parents it lacks, each made its owner's only; folders already there are left as they are
    (a home folder is not this program's to change)."""
    missing = [folder, *folder.parents]
    for made in reversed(missing[:next(i for i, f in enumerate(missing) if f.exists())]):
        try:
            made.mkdir(mode=OWNER_ONLY_FOLDER)
        except FileExistsError:  # made meanwhile by another writer
            pass
    return folder


@contextmanager
def replacing(path: Path, durable: bool = True) -> Iterator[Path]:
    """A temporary path beside `path`, renamed over it when the block succeeds and removed when it
    fails: a reader (or a crash) sees the old file or the new one, never half of one. A symbolic link is
    written through: its target is replaced (models.files.through_links). Not `durable`: neither file nor folder
    is flushed to the disk (a reader still sees the old file or the new one; after a crash the new one may be
    empty), for a file whose loss costs nothing but time, written where a flush would wait on the disk."""
    path = through_links(path)
    make_folder(path.parent)
    _clear_leftovers(path)
    temporary = _temporary(path)
    temporary.unlink(missing_ok=True)
    try:
        yield temporary
        os.chmod(temporary, OWNER_ONLY)  # made by whoever wrote it (DuckDB, openpyxl) with the umask's mode
        if durable:
            _fsync(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    if durable:
        _fsync(path.parent)


def through_links(path: Path) -> Path:
    """Where a write to `path` must land: the file or folder a symbolic link points to (links followed to the
    end), else `path`. Renamed over the link itself, the new file would replace the link, and whoever reads
    through it (a shared copy for the accountant) would keep last month's while the command said "wrote"."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


class FolderInUse(ValueError):
    """A folder to be replaced whole holds something its writer did not put there."""


@contextmanager
def replacing_folder(path: Path, belongs: Callable[[Path], bool]) -> Iterator[Path]:
    """An empty folder beside `path`, put in its place whole when the block succeeds (the old folder is
    removed) and removed when it fails: a reader, or a crash, sees the old folder's files or the new
    one's, never a mix. `belongs(entry)` says which entries of the old folder its writer made; anything
    else refuses the whole replacement, before anything is written, so it never deletes someone's file.
    A symbolic link to a folder is written through: the folder it points to is replaced."""
    path = through_links(path)
    make_folder(path.parent)
    _clear_leftovers(path)
    if path.exists() and not path.is_dir():
        raise FolderInUse(f"{path} is a file, not a folder")
    strangers = sorted(e.name for e in path.iterdir() if not belongs(e)) if path.exists() else []
    if strangers:
        raise FolderInUse(f"{path} holds {strangers[0]}, which was not written there by this command; the folder "
                          "is replaced whole, so give one of its own (new or empty)")
    temporary = _temporary(path)
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(mode=OWNER_ONLY_FOLDER)
    try:
        yield temporary
        for entry in temporary.iterdir():
            os.chmod(entry, OWNER_ONLY)
            _fsync(entry)
        _fsync(temporary)
        old = _swap_in(temporary, path)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    _fsync(path.parent)
    if old:
        shutil.rmtree(old)


def _swap_in(new: Path, path: Path) -> Path | None:
    """Put folder `new` at `path` in one step where the system can; returns where the old folder went."""
    if not path.exists():
        os.rename(new, path)
        return None
    if _exchange(new, path):
        return new
    # no exchange here (not Linux): for a moment between the renames `path` is missing, never mixed
    old = _temporary(path, "old")
    os.rename(path, old)
    os.rename(new, path)
    return old


AT_FDCWD, RENAME_EXCHANGE = -100, 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux's renameat2 with RENAME_EXCHANGE); False where that is missing."""
    import ctypes  # a writer's only: --help never loads it (DECISIONS.md, "Starting light")

    rename = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if rename is None:
        return False
    if rename(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(error, os.strerror(error), str(b))


def _temporary(path: Path, kind: str = "tmp") -> Path:
    return path.with_name(f".{path.name}.{pid_namespace()}-{os.getpid()}.{threading.get_ident()}.{kind}")


# NAMESPACE-PID.THREAD.KIND; a name without the namespace is an older version's, of this machine's processes.
# .wal: DuckDB's log beside a snapshot being written.
LEFTOVER = re.compile(r"(?:(\d+)-)?(\d+)\.\d+\.(tmp|old)(\.wal)?")
# A temporary of another namespace's writer is taken for a leftover only once nothing could still be writing
# it: no write of ours takes a day.
FOREIGN_LEFTOVER_AGE = 24 * 3600


@functools.cache
def pid_namespace() -> str:
    """Which processes the pid in a temporary's name counts among. Containers sharing the warehouse folder
    (the app and the jobs runner) each number their processes from 1, so another's pid 40 may be a live
    writer however dead our pid 40 is."""
    try:
        return str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:  # no /proc: one namespace, the machine's
        return "0"


def _clear_leftovers(path: Path) -> None:
    """Remove the temporaries of `path` that writers killed before they finished left beside it: a
    temporary whose process is gone is never renamed, and nothing else would ever remove it."""
    prefix = f".{path.name}."
    for entry in path.parent.glob(glob.escape(prefix) + "*"):
        leftover = LEFTOVER.fullmatch(entry.name[len(prefix):])
        if leftover and _left_behind(entry, leftover.group(1), int(leftover.group(2))):
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def _left_behind(entry: Path, namespace: str | None, pid: int) -> bool:
    if namespace in (None, pid_namespace()):
        return not _running(pid)
    try:
        return time.time() - entry.lstat().st_mtime > FOREIGN_LEFTOVER_AGE
    except FileNotFoundError:  # its writer renamed or removed it meanwhile
        return False


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def write_atomically(path: Path, data: str | bytes, mode: int = OWNER_ONLY, durable: bool = True) -> Path:
    """Write a whole file through `replacing` (`durable`: see there), its owner's only from the first byte."""
    with replacing(path, durable) as temporary:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(descriptor, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def copy_owner_only(source: Path, copy: Path) -> None:
    """A copy of `source` (the books), its owner's only from its first byte. Made in the kernel where it will (a
    shared extent on a filesystem with reflinks, an in-kernel copy on ext4), else through Python in 1 MB chunks."""
    with open(source, "rb") as old, open(os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY), "wb") as new:
        size = os.fstat(old.fileno()).st_size
        for way in _KERNEL_COPIES:
            if _in_kernel(way, old.fileno(), new.fileno(), size):
                return
        shutil.copyfileobj(old, new, 1 << 20)


def _copy_file_range(source: int, copy: int, offset: int, count: int) -> int:
    return os.copy_file_range(source, copy, count, offset, offset)


def _sendfile(source: int, copy: int, offset: int, count: int) -> int:
    return os.sendfile(copy, source, offset, count)


# Linux's copy_file_range first (none before 4.5, none across filesystems, none on some network or overlay
# filesystems), then sendfile (file to file on Linux; elsewhere to a socket only): each refuses before its first byte.
_KERNEL_COPIES = tuple(way for way, name in ((_copy_file_range, "copy_file_range"), (_sendfile, "sendfile"))
                       if hasattr(os, name))


def _in_kernel(way: Callable[[int, int, int, int], int], source: int, copy: int, size: int) -> bool:
    """Copies the `size` bytes of `source` into the empty `copy` the given way, at explicit offsets; False, with
    nothing written, when that way is refused before the first byte. An error after it, or a disk that cannot take
    the copy (full, read-only: said as it is, not tried again another way), is raised: the caller removes the copy."""
    copied = 0
    while copied < size:
        try:
            step = way(source, copy, copied, size - copied)
        except OSError as refused:
            if copied == 0 and refused.errno not in DISK_FAULTS:
                return False
            raise
        if step == 0:  # shorter than its size said: what is copied is never written in place, so this is the end
            break
        copied += step
    return True


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class LockTimeout(TimeoutError):
    """Another writer held the lock for longer than the caller would wait."""


@contextmanager
def locked(path: Path, wait: float = 120) -> Iterator[None]:
    """Hold the lock of `path` (PATH.lock beside it) for the block: one holder at a time, across processes
    and threads alike (each call opens the lock file anew, and flock locks each opening), so a
    read-change-write of `path` never loses another's change. The lock goes with the process that held it."""
    make_folder(path.parent)
    lock = os.open(path.with_name(path.name + ".lock"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, OWNER_ONLY)
    with os.fdopen(lock, "a") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockTimeout(f"{path} has been locked by another writer for over {wait:.0f} s") from None
                time.sleep(0.01)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# A disk that cannot take a write, as the system says it (DuckDB passes the system's words inside its own
# errors) -> what is wrong with it and what the owner can do.
DISK_FAULTS = {
    errno.ENOSPC: ("No space left on device", "is full", "free space there"),
    errno.EDQUOT: ("Disk quota exceeded", "is over its quota", "free space there"),
    errno.EROFS: ("Read-only file system", "is read-only", "make it writable"),
}
_QUOTED_PATH = re.compile(r'"(/[^"]+)"')


def disk_fault(err: BaseException) -> tuple[Path | None, str, str] | None:
    """(the file being written if known, what is wrong with its disk, what to do) when `err`, or an error
    it came from, is a full or read-only disk; None for any other error."""
    while err is not None:
        code = getattr(err, "errno", None)
        words = str(err)
        fault = DISK_FAULTS.get(code) or next((f for f in DISK_FAULTS.values() if f[0] in words), None)
        if fault:
            named = getattr(err, "filename", None) or next(iter(_QUOTED_PATH.findall(words)), None)
            return (Path(named) if named else None), fault[1], fault[2]
        err = err.__cause__ or err.__context__
    return None


class NoRoom(OSError):
    """The disk has no room for a file `reserving` was to make (errno ENOSPC or EDQUOT)."""


@contextmanager
def reserving(path: Path, size: int, mode: int = OWNER_ONLY) -> Iterator[Callable[[str | bytes], None]]:
    """Room on `path`'s disk for a new file of up to `size` bytes, taken before the block runs (a full
    disk raises NoRoom here, before anything else happened); the block writes the file whole with the
    function it is given, into the room already taken, and it is renamed into place as `replacing` does
    (a block that wrote nothing leaves `path` as it was). For what exists nowhere else once made:
    Intuit's rotated refresh token."""
    written: list[bool] = []

    def write(data: str | bytes) -> None:
        _overwrite(descriptor, data.encode("utf-8") if isinstance(data, str) else data, size)
        written.append(True)

    with replacing(path) as temporary:
        descriptor = os.open(temporary, os.O_RDWR | os.O_CREAT | os.O_TRUNC, mode)
        try:
            try:
                _allocate(descriptor, size)
            except OSError as err:
                if err.errno in (errno.ENOSPC, errno.EDQUOT):
                    raise NoRoom(err.errno, err.strerror, str(path.parent)) from None
                raise
            yield write
        finally:
            os.close(descriptor)
        if not written:
            raise RuntimeError(f"nothing was written to the room reserved for {path.name}")


def _allocate(descriptor: int, size: int) -> None:
    if hasattr(os, "posix_fallocate"):
        os.posix_fallocate(descriptor, 0, size)
    else:  # no fallocate (macOS): written and synced, the blocks are the file's
        os.write(descriptor, bytes(size))
    os.fsync(descriptor)


def _overwrite(descriptor: int, data: bytes, size: int) -> None:
    if len(data) > size:
        raise ValueError(f"{len(data)} bytes do not fit the {size} reserved")
    written = 0
    while written < len(data):
        written += os.pwrite(descriptor, data[written:], written)
    os.ftruncate(descriptor, len(data))
