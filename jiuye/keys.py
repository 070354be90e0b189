"""Secrets the assistant's processes share, and the files that hold people's data.

A secret is read from the environment (``JIUYE_<NAME>_TOKEN``), else from
``var/keys/<name>`` (``JIUYE_VAR_DIR``), made on first use with 256 random bits:
the folder 0700, the file 0600. Two processes making it at once agree (the file is
created exclusively; the second reads the first's). To rotate a key, delete its file
(or set the variable) and restart the servers and the doors.

- ``actions``: the Rasa server → the action server (``Authorization: Bearer``);
- ``assistant``: a door → the Rasa server (its REST channel and its HTTP API).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Optional

from jiuye.paths import ROOT

NAMES = ("actions", "assistant")


def var_dir() -> Path:
    """Where run-time files live (the SQLite database, keys): ``JIUYE_VAR_DIR`` or var/."""
    return Path(os.environ.get("JIUYE_VAR_DIR") or ROOT / "var")


def private_dir(path: Path) -> Path:
    """A folder only this user can enter."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def private_file(path: Path) -> Path:
    """A file only this user can read, made empty if missing (SQLite then keeps its
    mode for the database's WAL and shared-memory files)."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    return path


def secret(name: str, directory: Optional[Path] = None, env: Optional[str] = None) -> str:
    """The secret ``name``: from the environment, else its file (made on first use)."""
    value = os.environ.get(env or f"JIUYE_{name.upper()}_TOKEN")
    if value:
        return value
    folder = private_dir(directory or var_dir() / "keys")
    path = folder / name
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return _read(path)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(32))
    return _read(path)


def _read(path: Path) -> str:
    for _ in range(50):  # the other process may still be writing it
        value = path.read_text().strip()
        if value:
            return value
        import time

        time.sleep(0.01)
    raise RuntimeError(f"empty key file {path}")
