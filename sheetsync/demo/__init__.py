"""A generated demo cohort: local workbooks laid out as differently as real students'."""
from sheetsync.demo.cohort import DemoCohort, demo_date, generate_cohort, write_demo

__all__ = ["DemoCohort", "demo_date", "generate_cohort", "write_demo"]
