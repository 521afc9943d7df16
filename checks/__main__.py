"""``python -m checks``: the grader's command line (see ``checks.grader.cli``)."""

import sys

from checks.grader.cli import main

sys.exit(main())
