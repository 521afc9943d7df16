"""JupyterLab settings for the course's own environment: no "notify me of Jupyter news?" pop-up.

    python -m checks.lab_settings     (run by `make lab` / `make test` when .venv is built)

JupyterLab reads ``<sys.prefix>/share/jupyter/lab/settings/overrides.json`` as the defaults of
the environment it runs in, below each user's own settings; writing it there changes nothing
in the learner's home folder. The course needs no network, so it asks for no news and no
update checks: a learner opening the first notebook meets the notebook, not a question.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OVERRIDES = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                               "checkForUpdates": False}}


def overrides_path(prefix: str = sys.prefix) -> Path:
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def write(prefix: str = sys.prefix) -> Path:
    """Merge OVERRIDES into the environment's overrides.json (other settings there are kept)."""
    path = overrides_path(prefix)
    path.parent.mkdir(parents=True, exist_ok=True)
    current = json.loads(path.read_text()) if path.exists() else {}
    for plugin, settings in OVERRIDES.items():
        current.setdefault(plugin, {}).update(settings)
    path.write_text(json.dumps(current, indent=2) + "\n")
    return path


if __name__ == "__main__":
    print(f"wrote {write()}")
