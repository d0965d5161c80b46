"""Writing output files safely: never a half-written file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path


def write_atomic(path: Path | str, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.chmod(temporary, 0o666 & ~current_umask())  # mkstemp makes 0600; a graph file is for sharing
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_output(output: Path | str, inputs: Sequence[Path | str], store_suffix: str = "") -> None:
    """Raise ValueError with a one-line reason before any work if `output` cannot be written:
    a folder (unless a store folder), a place not writable, or one of the input documents."""
    output = Path(output)
    if output.is_dir() and not (store_suffix and output.suffix == store_suffix):
        raise ValueError(f"{output}: is a folder; name a file to write the graph to")
    parent = next((p for p in (output.parent, *output.parent.parents) if p.exists()), Path("."))
    try:  # a real probe: permission bits say nothing for root or on read-only and virtual file systems
        handle, probe = tempfile.mkstemp(prefix=".kg-probe-", dir=parent)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        raise ValueError(f"{output}: cannot write in {parent} ({error.strerror or error})") from None
    from kg.documents import find_documents

    target = output.resolve()
    if any(isinstance(found, Path) and found.resolve() == target for found in find_documents(inputs)):
        raise ValueError(f"{output}: is one of the input documents; it would be overwritten")
