"""progress rules."""
