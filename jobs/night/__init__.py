"""One night, by stage, in the order it runs:

    context    what the night shares (config, backend, state store, report, judge)
    read       the roster, which sheets to read, each read and understood
    judge      the rules over the cohort: findings, states, next steps, summaries
    write      each student's sheet laid out and written; what later nights rely on
    reach_out  the weekly digests and the students' calendars
    report     the staff master, the run closed and kept

`outcome` is the run report's data; `stream` the schedule that writes while it reads.
jobs.nightly.run_nightly runs a night top to bottom.
"""
