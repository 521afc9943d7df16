"""The course's JupyterLab opens without asking about Jupyter news (settings in .venv, not $HOME)."""

import json
import sys

from checks import lab_settings


def test_the_course_environment_turns_off_the_news_question():
    settings = json.loads(lab_settings.overrides_path(sys.prefix).read_text())
    notification = settings["@jupyterlab/apputils-extension:notification"]
    assert notification["fetchNews"] == "false" and notification["checkForUpdates"] is False


def test_writing_keeps_other_settings_and_touches_only_the_given_prefix(tmp_path):
    path = lab_settings.overrides_path(str(tmp_path))
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
                                "@jupyterlab/apputils-extension:notification": {"doNotDisturbMode": True}}))
    lab_settings.write(str(tmp_path))
    settings = json.loads(path.read_text())
    assert settings["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert settings["@jupyterlab/apputils-extension:notification"] == {
        "doNotDisturbMode": True, "fetchNews": "false", "checkForUpdates": False}
