"""Test support anyone writing rules or backends can use: a fake of Google's APIs."""
from sheetsync.testing.fake import Call, FakeGoogle

__all__ = ["Call", "FakeGoogle"]
