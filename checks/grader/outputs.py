"""What a grading run writes: grades.csv, results.json and one feedback file per student.

Every file is written atomically: a temp file in the same folder, then ``os.replace``, so a
reader (or a run killed halfway) sees the old file or the new one, never half of one. Temp
files a killed run left behind are removed by the next run.

The output folder (``--out``) is the grader's own: created by it, or else checked before
grading to be a real folder of the user running the grader, holding no symbolic link and no
folder of another user anywhere, with no folder where a file must go. Files are then written
only through the folder's open file descriptor, never through a path that a link could divert.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import secrets
import stat
import tempfile
from pathlib import Path

from checks.grader.grading import NOT_GRADED, NOT_SUBMITTED, Run, SubmissionResult
from checks.grader.submissions import UsageError

TEMP_PREFIX = ".grading-"
TEMP_SUFFIX = ".tmp"
FEEDBACK = "feedback"
_DIRECTORY = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def atomic_write(path: Path, data: str | bytes) -> None:
    """Replace ``path`` whole with ``data``."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=TEMP_PREFIX + path.name + ".",
                                         suffix=TEMP_SUFFIX, delete=False)
    try:
        with handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(handle.name, 0o666 & ~umask)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _refuse_unsafe(top: Path, files: tuple[str, ...], folders: tuple[str, ...]) -> None:
    """UsageError if ``top`` (an existing path) or anything in it is a link or belongs to
    another user, or if an entry the grader writes has the wrong kind."""
    me = os.geteuid()

    def check(path: Path, info: os.stat_result) -> None:
        where = f"--out {top}" if path == top else f"{path} (in --out)"
        if stat.S_ISLNK(info.st_mode):
            raise UsageError(f"{where} is a symbolic link: the grader never writes through a link; "
                             "remove it, or give a new folder for --out (the grader creates it)")
        if stat.S_ISDIR(info.st_mode) and info.st_uid != me:
            raise UsageError(f"{where} is a folder owned by another user (uid {info.st_uid}): the "
                             "grader writes only into its own user's folders; give a new folder for --out")

    info = os.lstat(top)
    check(top, info)
    if not stat.S_ISDIR(info.st_mode):
        raise UsageError(f"--out {top} is not a folder")
    for root, dirs, names in os.walk(top):
        for name in dirs + names:
            path = Path(root) / name
            check(path, os.lstat(path))
    for name in files:
        if (top / name).is_dir():
            raise UsageError(f"{top / name} is a folder, where the grader writes a file: remove it, "
                             "or give another folder for --out")
    for name in folders:
        if (top / name).exists() and not (top / name).is_dir():
            raise UsageError(f"{top / name} is a file, where the grader writes a folder: remove it, "
                             "or give another folder for --out")
        inner = [entry for entry in (top / name).iterdir() if entry.is_dir()] if (top / name).is_dir() else []
        if inner:
            raise UsageError(f"{inner[0]} is a folder, in {top / name} where the grader writes only "
                             "files: remove it, or give another folder for --out")


class OutputFolder:
    """A folder the grader writes into, through its open file descriptor only."""

    def __init__(self, path: Path, fd: int):
        self.path, self.fd = path, fd

    @classmethod
    def prepare(cls, path: Path, files: tuple[str, ...] = (),
                folders: tuple[str, ...] = ()) -> "OutputFolder":
        """``path`` created, or checked to be safe to write ``files`` and ``folders`` into;
        UsageError when it is not."""
        try:
            if os.path.lexists(path):
                _refuse_unsafe(path, files, folders)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                os.mkdir(path)
            return cls(path, os.open(path, _DIRECTORY))
        except OSError as error:
            raise UsageError(f"--out {path}: {error.strerror}") from None

    def folder(self, name: str) -> "OutputFolder":
        """The subfolder ``name``, created if it does not exist (never through a link)."""
        try:
            os.mkdir(name, dir_fd=self.fd)
        except FileExistsError:
            pass
        return OutputFolder(self.path / name, os.open(name, _DIRECTORY, dir_fd=self.fd))

    def write(self, name: str, data: str | bytes) -> None:
        """Replace the file ``name`` in this folder whole with ``data``."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        temp = f"{TEMP_PREFIX}{name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0),
                     0o666, dir_fd=self.fd)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(raw)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
        except BaseException:
            try:
                os.unlink(temp, dir_fd=self.fd)
            except FileNotFoundError:
                pass
            raise

    def remove_stale_temp_files(self) -> None:
        """Delete the temp files of an earlier run that was killed while writing."""
        for name in os.listdir(self.fd):
            if name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX):
                try:
                    os.unlink(name, dir_fd=self.fd)
                except FileNotFoundError:
                    pass

    def close(self) -> None:
        os.close(self.fd)

    def __enter__(self) -> "OutputFolder":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# Characters a reader cannot see: C0 and C1 controls, line and paragraph separators, and the
# zero-width and bidirectional controls (U+202E shows "txt.exe" as "exe.txt").
_FORMAT_CONTROLS = "\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"
_INVISIBLE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_FORMAT_CONTROLS}]")
_FORMATTING = re.compile(f"[{_FORMAT_CONTROLS}]")
_MARKDOWN_PUNCTUATION = re.compile(r"[\\*\[\]<>!#|~&$]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")  # not relu_grad's
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")   # CommonMark's: runs of equal length


def visible(value: object, line_breaks: bool = True) -> str:
    """``value`` as text with every invisible character as its escape (``\\n``, ``\\u202e``);
    with ``line_breaks=False`` only the zero-width and bidirectional ones (grades.csv quotes the rest)."""
    return (_INVISIBLE if line_breaks else _FORMATTING).sub(_escape, str(value))


def _escape(match: re.Match) -> str:
    character = match.group()
    return repr(character)[1:-1] if character <= "\x9f" else f"\\u{ord(character):04x}"


def literal(value: object) -> str:
    """Learner-controlled text (an id, a path, an error) as one inline code span of Markdown.

    A code span is shown as it is written: no heading, link, emphasis or HTML in it is
    interpreted. Line breaks and other invisible characters become their escapes (``visible``:
    a file name holding a newline is shown as ``\\n``), so the span never ends the line, and its
    fence is one backtick longer than the longest run of backticks inside, so no backtick closes it.
    """
    text = visible(value)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    padded = not text or text.startswith("`") or text.endswith("`")
    return f"{fence} {text} {fence}" if padded else f"{fence}{text}{fence}"


def markdown_line(text: str) -> str:
    """A message of the checks, which quotes learner text (an exception's words, a returned
    value), as one line of Markdown that says only what it says: invisible characters become
    their escapes (no line break starts a forged heading), its code spans are kept, and outside
    them every character Markdown would read as emphasis, a link, an image or HTML is escaped."""
    parts, start, text = [], 0, visible(text)
    for span in _CODE_SPAN.finditer(text):
        parts += [_MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", text[start:span.start()]).replace("`", "\\`"), span.group()]
        start = span.end()
    return "".join(parts) + _MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", text[start:]).replace("`", "\\`")


def feedback_names(students: list[str]) -> dict[str, str]:
    """A distinct feedback file name for each student id, even on a case-blind file system.

    An id that is a safe file name as it is keeps it (``alice.md``); any other gets the id with
    unsafe characters replaced by '_' and a short hash of the id (``sam_smith-3f2a91c0.md``), so
    "sam smith" and "sam_smith" never share a file.
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for student in sorted(students, key=lambda s: (_safe(s) != s, s)):
        base, digits = _safe(student), 8
        name = base if base == student else f"{base}-{_digest(student, digits)}"
        while name.casefold() in taken:
            digits += 4
            name = f"{base}-{_digest(student, digits)}"
        taken.add(name.casefold())
        names[student] = name + ".md"
    return names


def _safe(student: str) -> str:
    return (re.sub(r"[^\w@+.-]", "_", student).lstrip(".") or "_")[:100]


def _digest(text: str, digits: int) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:digits]


def spreadsheet_safe(value: str) -> str:
    """A text cell that a spreadsheet shows as text: one starting with '=', '+', '-', '@', a tab
    or a carriage return would be read as a formula, so it gets a leading apostrophe."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def grades_csv(run: Run) -> str:
    """One row per student: a column per exercise, then total, max_total and status. Rows end
    in CRLF (RFC 4180), so a cell holding a carriage return is quoted too."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["student", *run.exercises, "total", "max_total", "status"])
    for result in run.results:
        writer.writerow([spreadsheet_safe(visible(result.student, line_breaks=False)),
                         *(f"{result.exercises[key].score:g}" for key in run.exercises),
                         f"{result.total:g}", f"{result.max_total:g}", spreadsheet_safe(result.status)])
    return buffer.getvalue()


def results_json(run: Run, names: dict[str, str]) -> str:
    return json.dumps([result.to_dict() | {"feedback": f"{FEEDBACK}/{names[result.student]}"}
                       for result in run.results], indent=1, ensure_ascii=False) + "\n"


def headline(check) -> str:
    """An exercise's headline, saying when it was not submitted or not graded."""
    if check.status == NOT_SUBMITTED:
        return f"{check.exercise}: not submitted ({check.score:g}/{check.max_score:g} points)"
    if check.status == NOT_GRADED:
        return f"{check.exercise}: not graded ({check.score:g}/{check.max_score:g} points)"
    return check.headline


def feedback_markdown(result: SubmissionResult) -> str:
    """A student's feedback: every exercise with its messages (up to its first failing input).
    The learner's id, errors and the text their code produced are shown, never read as Markdown
    (``literal``, ``markdown_line``)."""
    lines = [f"# Feedback for {literal(result.student)}", "",
             f"**Total: {result.total:g} / {result.max_total:g} points.**", ""]
    if result.error:
        lines += [f"Part of your submission could not be graded: {literal(result.error)}", ""]
    for check in result.exercises.values():
        lines += [f"## {markdown_line(headline(check))}", ""]
        block: list[str] = []                   # the indented lines: expected and got
        for message in [*check.messages, ""]:
            if message.startswith("  "):
                block.append(visible(message.strip()))
                continue
            if block:
                fence = "`" * max([3, *(len(run) + 1 for line in block for run in re.findall("`+", line))])
                lines += [f"  {fence}", *(f"  {line}" for line in block), f"  {fence}"]
                block = []
            if message:
                lines.append(f"- {markdown_line(message)}")
        lines.append("")
    return "\n".join(lines)


OUT_FILES = ("grades.csv", "results.json")


def write(out: OutputFolder, run: Run) -> int:
    """Write the feedback files, results.json and grades.csv into ``out``; the number of
    feedback files written (one per row)."""
    names = feedback_names([result.student for result in run.results])
    with out.folder(FEEDBACK) as feedback:
        out.remove_stale_temp_files()
        feedback.remove_stale_temp_files()
        for result in run.results:
            feedback.write(names[result.student], feedback_markdown(result))
    out.write("results.json", results_json(run, names))
    out.write("grades.csv", grades_csv(run))
    return len(set(names.values()))
