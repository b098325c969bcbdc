"""The README's tour matches the project: a row for every module, and no module that is only an empty shell."""

from pathlib import Path

from django.apps import apps
from django.urls import URLResolver, get_resolver

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")

# Which row of the README's "What is in it" table describes each of Hayat's apps.
TOUR_ROWS = {
    "core": "Permissions", "accounts": "Accounts", "patients": "Patients", "facilities": "Rooms and tariffs",
    "catalog": "Rooms and tariffs", "stays": "Stays", "clinical": "Clinical admission", "lab": "Laboratory",
    "billing": "Billing", "ops": "Background jobs", "web": "API", "backup": "Backups", "documents": "Documents",
    "reports": "Reports", "notifications": "Messages", "treatment": "Treatment",
}


def hayat_apps() -> list[str]:
    return [app.label for app in apps.get_app_configs() if app.name.startswith("hayat.")]


def test_every_module_has_a_row_in_the_readme_tour():
    assert set(hayat_apps()) == set(TOUR_ROWS), "a new app needs a row in the README's tour (and here)"
    tour = README.split("## What is in it", 1)[1].split("\n## ", 1)[0]
    for app, row in TOUR_ROWS.items():
        assert f"\n| {row} |" in tour, f"{app}: no README row {row!r}"


def test_the_readme_promises_nothing_that_is_not_there():
    assert "described in `docs/`" not in README
    assert "python3-venv" in README


def test_every_installed_module_has_tables_or_pages():
    routed = {entry.app_name for entry in get_resolver().url_patterns
              if isinstance(entry, URLResolver) and entry.app_name and entry.url_patterns}
    shells = [label for label in hayat_apps()
              if not list(apps.get_app_config(label).get_models()) and label not in routed]
    assert shells == []
