"""Files and folders with personal data are the service account's alone: files 0600, folders 0700.

Screenshots and traces show whole pages of a case, logs name case references, the ledger holds
everything. Under the usual umask 0022 they would be readable by every account on the machine, so
Nattskift creates them owner-only whatever the umask, and tightens the folders it owns when it finds
its own folders (logs/, artifacts/) when it finds them looser (an install from before this rule). A backup that must read them runs as the same user.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import stat
from pathlib import Path
from typing import IO, Any

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path, *, ours: bool = False) -> Path:
    """`path` and its missing parents created owner-only. `ours`: the folder is Nattskift's own (logs/,
    artifacts/…), so an existing one is tightened too; a folder that may be shared (the one the settings
    name for the ledger, a report's destination) is never changed."""
    missing: list[Path] = []
    p = path
    while not p.exists():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            pass
    if ours:
        _tighten(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Tighten a file someone else wrote (Playwright's screenshots and traces) to owner-only."""
    _tighten(path, FILE_MODE)
    return path


def private_opener(path: str, flags: int) -> int:
    """`open(..., opener=private_opener)`: a new file is created 0600, never readable by others."""
    return os.open(path, flags, FILE_MODE)


def write_private_text(path: Path, text: str) -> Path:
    """Write `text` to a file that only this user can read (a new folder is owner-only too)."""
    private_dir(path.parent)
    with open(path, "w", encoding="utf-8", opener=private_opener) as fh:
        fh.write(text)
    return private_file(path)


def _tighten(path: Path, mode: int) -> None:
    """chmod to `mode` when group or others have any access; only what this user owns."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return
    if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077:
        path.chmod(mode)


class PrivateFileHandlerMixin:
    """For logging file handlers: the log file is created 0600 (also when reopened after rotation)."""

    baseFilename: str
    mode: str
    encoding: str | None
    errors: str | None

    def _open(self) -> IO[Any]:
        # a folder removed under a running service (by hand, by a clean-up) is made again, owner-only:
        # WatchedFileHandler reopens outside logging's error handling, so a missing folder would make
        # every log call raise, and the night would stop for a log line
        private_dir(Path(self.baseFilename).parent)
        stream = open(self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors, opener=private_opener)
        private_file(Path(self.baseFilename))
        return stream


class PrivateFileHandler(PrivateFileHandlerMixin, logging.FileHandler):
    pass


class PrivateWatchedFileHandler(PrivateFileHandlerMixin, logging.handlers.WatchedFileHandler):
    pass
