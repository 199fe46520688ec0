"""cleanup rules."""
