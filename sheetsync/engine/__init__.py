"""The rule engine: a registry of rules, the context they judge by, their findings."""
