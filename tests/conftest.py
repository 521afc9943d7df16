"""Test settings: progress records go to a temp folder, never into the course."""

import os
import tempfile

os.environ["RELU_COURSE_PROGRESS"] = os.path.join(tempfile.mkdtemp(prefix="relu-course-"), "progress.json")
