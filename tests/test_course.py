"""The course as a whole: navigation, the index, and the notebook conventions."""

import nbformat

from checks import EXERCISES, course


def test_navigation_index_links_and_exercise_cells_are_consistent():
    assert course.problems() == []


def test_the_index_lists_every_notebook():
    index = nbformat.read(course.NOTEBOOKS / course.INDEX, as_version=4)
    text = "\n".join(c.source for c in index.cells if c.cell_type == "markdown")
    for path in course.notebook_paths():
        if path.name != course.INDEX:
            assert f"]({path.name})" in text


def test_every_exercise_lives_in_an_existing_notebook_or_a_later_one():
    stems = {p.stem for p in course.notebook_paths()}
    written = [e.id for e in EXERCISES.values() if e.notebook in stems]
    assert {"relu", "relu_grad", "hat"} <= set(written)


def test_notebooks_open_with_what_you_will_learn_and_end_with_a_summary():
    for path in course.notebook_paths():
        if path.name == course.INDEX:
            continue
        nb = nbformat.read(path, as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert "What you will learn" in nb.cells[0].source, path.name
        assert "## Summary" in text and "Check your understanding" in text, path.name
        assert nb.cells[-1].source.startswith(course.NAV_MARKER), path.name


def test_exercise_cells_are_stubs_in_the_learner_edition():
    for path in course.notebook_paths():
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution"):
                assert "# YOUR CODE HERE" in cell.source and "raise NotImplementedError()" in cell.source


def test_a_quiz_lists_its_questions_as_declared_and_course_write_restores_them(tmp_path):
    import shutil

    from checks.exercises.quizzes import QUESTIONS

    for path in course.notebook_paths():
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / "05_he_init.ipynb"
    nb = nbformat.read(target, as_version=4)
    quiz_cell = next(cell for cell, quiz_id in course._quiz_cells(nb) if quiz_id == "quiz_05")
    quiz_cell.source = quiz_cell.source.replace(QUESTIONS["quiz_05"][0].text, "an old wording")
    nbformat.write(nb, target)
    assert any("quiz_05's questions differ" in p for p in course.problems(tmp_path))
    course.write(tmp_path)
    nb = nbformat.read(target, as_version=4)
    quiz_cell = next(cell for cell, quiz_id in course._quiz_cells(nb) if quiz_id == "quiz_05")
    assert all(f"- **{q.key}**: {q.text}" in quiz_cell.source for q in QUESTIONS["quiz_05"])
    assert not any("quiz_05" in p for p in course.problems(tmp_path))
