"""Apps depend one way: members <- communities <- knowledge <- mentoring <-
dashboards. A lower app never imports a higher one (a page section goes
through members.sections instead), checked on the source of every module."""

import ast
from pathlib import Path

import pytest

LAYERS = ["members", "communities", "knowledge", "mentoring", "dashboards"]
ROOT = Path(__file__).resolve().parent.parent


def _imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names)
    return found & set(LAYERS)


@pytest.mark.parametrize("app", LAYERS[:-1])
def test_a_lower_app_never_imports_a_higher_one(app):
    higher = set(LAYERS[LAYERS.index(app) + 1 :])
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_apps(path) & higher)
        for path in (ROOT / app).rglob("*.py")
        if _imported_apps(path) & higher
    }
    assert offenders == {}
