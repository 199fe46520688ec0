"""Personal data the service keeps: private on disk (files), kept only as long as needed
(retention), and a student's own copy (export) or erasure (forget) on request.

docs/privacy.md is the record of processing for the school's data-protection officer.
"""
