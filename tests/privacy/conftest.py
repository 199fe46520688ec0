"""Shared by the privacy tests: a umask of 022 (the common default, which makes new
files readable by everyone) for the test's length, and what a path's mode lets others do."""
import os
import stat

import pytest


@pytest.fixture
def umask_022():
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def open_to_others(paths) -> list[str]:
    """Every path among these and under the folders among them that another user could
    read or enter, with its mode."""
    found = []
    for top in paths:
        walk = [(str(top), [], [])] if top.is_file() else os.walk(top)
        if top.is_dir():
            found += [f"{top} {stat.S_IMODE(top.stat().st_mode):o}"] if top.stat().st_mode & 0o077 else []
        for root, dirs, files in walk:
            for name in dirs + files:
                p = os.path.join(root, name)
                if os.lstat(p).st_mode & 0o077:
                    found.append(f"{p} {stat.S_IMODE(os.lstat(p).st_mode):o}")
        if top.is_file() and top.stat().st_mode & 0o077:
            found.append(f"{top} {stat.S_IMODE(top.stat().st_mode):o}")
    return found
