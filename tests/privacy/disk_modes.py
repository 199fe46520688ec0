"""What a path's mode lets another user of the machine do."""
import os
import stat
from pathlib import Path


def open_to_others(paths) -> list[str]:
    """Every path among these, and under the folders among them, that another user could
    read or enter (any group or other bit), with its mode."""
    found = []
    for top in map(Path, paths):
        every = [top] + ([Path(root) / name for root, dirs, files in os.walk(top) for name in dirs + files]
                         if top.is_dir() else [])
        for p in every:
            mode = stat.S_IMODE(os.lstat(p).st_mode)
            if mode & 0o077:
                found.append(f"{p} {mode:o}")
    return found
