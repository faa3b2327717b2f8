"""Encryption of backup files at rest: Fernet (AES-128-CBC + HMAC-SHA256) with a rotatable key list.

Keys come from SAFEGUARD_BACKUP_KEY (Fernet keys separated by commas, newest first) or from the file named
by SAFEGUARD_BACKUP_KEY_FILE (one key a line, newest first; `#` comments). They are not SECRET_KEY and not
the field keys (SAFEGUARD_FIELD_KEYS): whoever holds the backups should not also hold what opens them.
New backups are encrypted with the first key; restore tries every key (MultiFernet), so old backups stay
readable while the old key is listed. `safeguard backup --rekey FILE` re-encrypts a backup with the
newest key, after which the old key can be retired.

An encrypted backup is a text file: the line `safeguard-backup-encrypted/1`, then one Fernet token a line.
Each token holds 1 MiB of the plain (gzip) backup, prefixed with its frame number and a last-frame flag,
so frames cannot be dropped, reordered or cut off at the end without restore noticing; the plain backup's
own checksum and row counts are then checked as for an unencrypted file.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import IO

MAGIC = b"safeguard-backup-encrypted/1\n"
FRAME = 1 << 20
_PREFIX = struct.Struct(">QB")  # frame number, last-frame flag


class BackupKeyError(Exception):
    """No usable backup key, or a key that is not a Fernet key."""


def configured_keys(environ: dict[str, str] | None = None) -> list[bytes]:
    """The backup keys, newest first (empty when none is configured)."""
    env = os.environ if environ is None else environ
    text = env.get("SAFEGUARD_BACKUP_KEY", "")
    keys = [k.strip() for k in text.split(",") if k.strip()]
    path = env.get("SAFEGUARD_BACKUP_KEY_FILE", "")
    if path:
        try:
            lines = Path(path).read_text().splitlines()
        except OSError as exc:
            raise BackupKeyError(f"SAFEGUARD_BACKUP_KEY_FILE: cannot read {path}: {exc.strerror}") from None
        keys += [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return [k.encode() for k in keys]


def multifernet(keys: list[bytes]):  # type: ignore[no-untyped-def]
    from cryptography.fernet import Fernet, MultiFernet

    try:
        return MultiFernet([Fernet(k) for k in keys])
    except (ValueError, TypeError):
        raise BackupKeyError("a backup key is not a Fernet key (44 characters of URL-safe base64; make one with "
                        "`safeguard backup --new-key`)") from None


def new_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def is_encrypted(path: str | Path) -> bool:
    try:
        with open(path, "rb") as stream:
            return stream.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def encrypt_file(plain: Path, out: IO[bytes], keys: list[bytes]) -> None:
    """Write `plain` to `out` as an encrypted backup, with the newest key."""
    crypt = multifernet(keys[:1])
    out.write(MAGIC)
    size = plain.stat().st_size
    frames = max(1, -(-size // FRAME))
    with open(plain, "rb") as source:
        for number in range(frames):
            chunk = source.read(FRAME)
            out.write(crypt.encrypt(_PREFIX.pack(number, number == frames - 1) + chunk) + b"\n")


def _tokens(path: str | Path) -> Iterator[bytes]:
    with open(path, "rb") as stream:
        if stream.read(len(MAGIC)) != MAGIC:
            raise ValueError(f"{path} is not an encrypted Safeguard backup")
        for line in stream:
            if line.strip():
                yield line.strip()


def decrypted_frames(path: str | Path, keys: list[bytes]) -> Iterator[bytes]:
    """The plain backup's bytes, frame by frame, checking order and completeness."""
    from cryptography.fernet import InvalidToken

    if not keys:
        raise BackupKeyError(f"{path} is encrypted: set SAFEGUARD_BACKUP_KEY or SAFEGUARD_BACKUP_KEY_FILE to the key "
                        "it was made with")
    crypt = multifernet(keys)
    last = False
    for expected, token in enumerate(_tokens(path)):
        if last:
            raise ValueError(f"{path} is damaged: data after its last frame")
        try:
            data = crypt.decrypt(token)
        except InvalidToken:
            raise BackupKeyError(f"{path} cannot be decrypted with the configured backup keys (wrong key, or the "
                            f"file was altered at frame {expected})") from None
        number, last = _PREFIX.unpack_from(data)
        if number != expected:
            raise ValueError(f"{path} is damaged: frame {number} where frame {expected} was expected")
        yield data[_PREFIX.size:]
    if not last:
        raise ValueError(f"{path} is damaged: it ends before its last frame (cut short)")


class _FrameReader(io.RawIOBase):
    def __init__(self, frames: Iterator[bytes]) -> None:
        self._frames = frames
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._buffer:
            try:
                self._buffer = next(self._frames)
            except StopIteration:
                return 0
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


def open_plain(path: str | Path, keys: list[bytes]) -> IO[bytes]:
    """A binary stream of the plain (gzip) backup, decrypting when the file is encrypted."""
    if is_encrypted(path):
        return io.BufferedReader(_FrameReader(decrypted_frames(path, keys)), buffer_size=FRAME)
    return open(path, "rb")


def rekey(path: Path, out: IO[bytes], keys: list[bytes]) -> None:
    """Re-encrypt an encrypted backup with the newest key (MultiFernet.rotate keeps the content as it is)."""
    crypt = multifernet(keys)
    out.write(MAGIC)
    for token in _tokens(path):
        out.write(crypt.rotate(token) + b"\n")


__all__ = ["MAGIC", "BackupKeyError", "configured_keys", "decrypted_frames", "encrypt_file", "is_encrypted", "new_key",
           "open_plain", "rekey"]
