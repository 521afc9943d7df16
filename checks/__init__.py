"""Exercise checks and the grader (built in the next steps)."""
