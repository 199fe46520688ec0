"""dedup rules."""
