"""The outcome of a check, as a learner reads it: in JupyterLab (HTML) or a terminal (text)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checks.core import Exercise, Mistake, Problem

NOT_ATTEMPTED = "not attempted"
PASSED, FAILED = "passed", "failed"


def full_stop(text: str) -> str:
    """``text`` ended as a sentence: a full stop, unless it already ends with '.', '?' or '!'."""
    return text if text.endswith((".", "?", "!")) else text + "."


@dataclass
class CheckResult:
    """What ``check`` returns. ``score`` and ``max_score`` are plain floats; ``messages`` holds
    every line of feedback, in the order the learner should read them."""

    exercise: str
    passed: bool
    score: float
    max_score: float
    messages: list[str]
    status: str = FAILED
    groups: list[tuple[str, bool]] = field(default_factory=list)
    failure: dict[str, str] | None = None      # the first failing input, explained
    notes: list[str] = field(default_factory=list)
    next_step: str = ""       # in a notebook: the next hint level to ask for (not in messages)

    # ------------------------------------------------------------------ constructors

    @classmethod
    def not_attempted(cls, exercise: "Exercise") -> "CheckResult":
        text = (f"Not attempted yet: `{exercise.signature}` still raises NotImplementedError. "
                "Replace `raise NotImplementedError()` with your code, run that cell, then this one.")
        return cls(exercise.id, False, 0.0, float(exercise.points), [text], status=NOT_ATTEMPTED)

    @classmethod
    def refused(cls, exercise: "Exercise", reason: str) -> "CheckResult":
        return cls(exercise.id, False, 0.0, float(exercise.points), [reason], status=FAILED,
                   failure={"what": reason})

    @classmethod
    def not_a_function(cls, exercise: "Exercise", type_name: str) -> "CheckResult":
        """The answer to a candidate that is not callable (a value of type ``type_name``)."""
        return cls.refused(exercise, f"Expected a function `{exercise.signature}`, got a "
                                     f"{type_name}: define it with `def {exercise.name}(...)`.")

    @classmethod
    def from_groups(cls, exercise: "Exercise", groups: list[tuple[str, bool, float]],
                    first: "Problem | None", mistake: "Mistake | None",
                    explanations: dict[str, str], notes: list[str]) -> "CheckResult":
        """Score by groups. ``explanations`` (for quizzes) puts a failed group's own feedback on
        its line, instead of detailing the first failing input only."""
        total = sum(weight for _, _, weight in groups) or 1.0
        earned = sum(weight for _, ok, weight in groups if ok)
        score = round(float(exercise.points) * earned / total, 4)
        passed = all(ok for _, ok, _ in groups)
        messages, failure = [], None
        for name, ok, _ in groups:
            line = f"{'✔' if ok else '✘'} {name}"
            messages.append(line + (f": {exercise.name} {explanations[name]}" if name in explanations else ""))
        if first is not None:
            failure = {"what": f"{exercise.name} {first.what}", "input": first.label}
            if not explanations:
                messages.append(full_stop(f"First failing input: {first.label}: {exercise.name} {first.what}"))
                if first.expected is not None:
                    failure.update(expected=first.expected, actual=first.actual or "")
                    messages.append(f"  expected: {first.expected}")
                    messages.append(f"  got:      {first.actual}")
            if mistake is not None:
                failure.update(diagnosis=mistake.message, hint=mistake.hint, mistake=mistake.name)
                if not any(mistake.message in text for text in explanations.values()):   # not said twice
                    messages.append(f"Diagnosis: {mistake.message}")
                if mistake.hint:
                    messages.append(f"Hint: {mistake.hint}")
        messages.extend(f"Note: {n}" for n in notes)
        return cls(exercise.id, passed, score, float(exercise.points), messages,
                   status=PASSED if passed else FAILED,
                   groups=[(name, ok) for name, ok, _ in groups], failure=failure, notes=notes)

    # ------------------------------------------------------------------ rendering

    @property
    def headline(self) -> str:
        points = f"{self.score:g}/{self.max_score:g} points"
        if self.status == NOT_ATTEMPTED:
            return f"{self.exercise}: not attempted yet ({points})"
        if self.passed:
            return f"{self.exercise}: all checks passed ({points})"
        return f"{self.exercise}: not yet right ({points})"

    def __str__(self) -> str:
        return "\n".join([self.headline] + ["  " + m for m in self.messages]
                         + (["  " + self.next_step] if self.next_step else []))

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour = {PASSED: "#1a7f37", FAILED: "#cf222e"}.get(self.status, "#6e7781")
        icon = {PASSED: "✔", FAILED: "✘"}.get(self.status, "…")
        esc = html.escape
        parts = [f'<div style="border-left:6px solid {colour};padding:6px 12px;margin:4px 0">',
                 f'<div style="font-weight:bold;color:{colour}">{icon} {esc(self.headline)}</div>']
        if self.groups:
            lines = self.messages[:len(self.groups)]          # one per group, explanation included
            parts.append("<ul style='margin:4px 0'>" + "".join(
                f"<li>{esc(line)}</li>" for line in lines) + "</ul>")
        if self.status == NOT_ATTEMPTED:
            parts.append(f"<div>{esc(self.messages[0])}</div>")
        if self.failure:
            f = self.failure
            if "input" in f:
                parts.append(f"<div><b>First failing input:</b> <code>{esc(f['input'])}</code>: "
                             f"{esc(f['what'])}.</div>")
            else:
                parts.append(f"<div>{esc(f['what'])}</div>")
            if "expected" in f:
                parts.append("<table style='margin:4px 0'>"
                             f"<tr><td>expected</td><td><code>{esc(f['expected'])}</code></td></tr>"
                             f"<tr><td>got</td><td><code>{esc(f['actual'])}</code></td></tr></table>")
            if "diagnosis" in f and not any(f["diagnosis"] in line for line in self.messages[:len(self.groups)]):
                parts.append(f"<div><b>Diagnosis:</b> {esc(f['diagnosis'])}</div>")
            if f.get("hint"):
                parts.append(f"<div><b>Hint:</b> {esc(f['hint'])}</div>")
        for note in self.notes:
            parts.append(f"<div style='color:#57606a'><b>Note:</b> {esc(note)}</div>")
        if self.next_step:
            parts.append(f"<div style='color:#57606a'>{esc(self.next_step)}</div>")
        parts.append("</div>")
        return "".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the grader's results.json."""
        return {"score": self.score, "max_score": self.max_score, "passed": self.passed,
                "status": self.status, "messages": list(self.messages)}
