"""The grader: grade a class's notebooks without trusting them.

    python -m checks grade PATH [PATH ...] --out DIR [--jobs N] [--timeout SECONDS] [--seed N]
                           [--roster FILE] [--nbgrader-gradebook DB --assignment NAME]

How a submission is graded, module by module:

    submissions   find the submissions in the paths given; read each notebook's exercise cells
    notebooks     read one notebook without trusting it: its exercise cells, or why not
    plans         the calls of each exercise in a run, planned once, with their expected answers
    grading       grade a batch, a few submissions at a time, one sandbox job per notebook
    running       run one notebook's job in the sandbox, starting again after a fault
    verdicts      judge what came back with ``checks.engine`` (the notebook's own check)
    protocol      the jobs sent to the sandbox and the checked plain data that comes back
    workers       the sandbox worker processes, seen from the grader
    bubblewrap    which sandbox runs: bubblewrap's namespaces where they work, else the process sandbox
    sandbox       the worker itself: forks a confined child per job (runs as a script)
    wire          frames and arrays on the pipe (shared by both sides)
    outputs       grades.csv, results.json and feedback/<student>.md, written atomically
    report        report.md and its figures, for the instructor
    gradescope    Gradescope's results.json, and the autograder bundle
    gradebook     the scores and feedback written into nbgrader's gradebook
    solutions     the solved edition of the course's notebooks
    cli           the command line
"""
