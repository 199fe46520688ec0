"""The `sheetsync` command (entry point `sheetsync.cli:main`): the group in app, each
kind of command in a module of its own, registered on import."""
from sheetsync.cli.app import main
from sheetsync.cli import nights, onboarding, rules, students  # noqa: F401  (they register their commands)

__all__ = ["main"]
