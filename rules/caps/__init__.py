"""caps rules."""
