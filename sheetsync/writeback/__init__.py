"""Write-back: what the service puts in a student's sheet, and only in cells it owns."""
