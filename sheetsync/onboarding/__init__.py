"""Getting a cohort connected: a CRM template, roster discovery, checks before night one."""
