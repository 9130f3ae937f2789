"""Apps depend one way. Each app may use the apps below it in APP_ORDER and
never one above it: not by import (at module level or inside a function),
and not by enqueueing a higher app's Celery task by its string name. A lower
app that needs a higher one offers a hook the higher app fills from its
AppConfig.ready() (members.sections, members.notifier)."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

APP_ORDER = [
    "members",
    "notifications",
    "communities",
    "knowledge",
    "mentoring",
    "journeys",
    "digests",
    "dashboards",
    "integrations",
    "api",
    "privacy",
]
RANK = {app: rank for rank, app in enumerate(APP_ORDER)}
# Calls whose first argument is a task name, "app.verb".
TASK_SENDERS = {"enqueue_on_commit", "send_task"}


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def upward_references(app: str, source: str) -> list[str]:
    """What `source`, a module of `app`, uses from apps above it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (
            isinstance(node, ast.Call)
            and _called_name(node) in TASK_SENDERS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        for name in names:
            top = name.split(".")[0]
            if RANK.get(top, -1) > RANK[app]:
                found.append(f"line {node.lineno}: {name}")
    return found


@pytest.mark.parametrize("app", APP_ORDER)
def test_no_module_uses_a_higher_app(app):
    root = Path(settings.BASE_DIR) / app
    modules = sorted(root.rglob("*.py"))
    assert modules, f"{app} has no modules"
    problems = [
        f"{path.relative_to(settings.BASE_DIR)} {reference}"
        for path in modules
        for reference in upward_references(app, path.read_text())
    ]
    assert problems == [], f"{app} reaches above itself in {APP_ORDER}"


@pytest.mark.parametrize(
    ("app", "source"),
    [
        ("members", "from notifications.services import notify"),
        ("knowledge", "def f():\n    import digests.build\n"),
        ("communities", 'enqueue_on_commit("knowledge.reindex", item_id=1)'),
        ("notifications", 'jobs.send_task("digests.run", {})'),
    ],
)
def test_the_check_sees_upward_imports_and_task_names(app, source):
    assert upward_references(app, source)


@pytest.mark.parametrize(
    ("app", "source"),
    [
        ("digests", "from notifications.selectors import notifications_to_fold"),
        ("notifications", 'enqueue_on_commit("notifications.send", id=1)'),
        ("members", "from django.db import models\nimport celery"),
    ],
)
def test_the_check_allows_same_and_lower_apps(app, source):
    assert upward_references(app, source) == []


def test_installed_apps_and_readme_list_the_same_order():
    installed = [app for app in settings.INSTALLED_APPS if app in RANK]
    assert installed == APP_ORDER
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    assert " ← ".join(APP_ORDER) in readme
