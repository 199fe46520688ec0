"""The privacy tests run some nights with a umask of 022 (the common default, which
makes a new file readable by everyone), set for the test's length only."""
import os

import pytest


@pytest.fixture
def umask_022():
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)
