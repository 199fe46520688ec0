"""followup rules."""
