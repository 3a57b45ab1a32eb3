"""The import-linter contracts of pyproject.toml (docs/architecture.md) hold, and each
is shown failing: a contract nothing can break promises nothing.

Each case copies forum/ into a temporary folder, adds one import that breaks one contract,
and runs `lint-imports` on the copy: that contract, and no other, must be reported broken.
The copy is only parsed, never imported."""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
CONTRACTS = {
    contract["id"]: contract
    for contract in tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]
}
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# Contract id → (file of forum/, the import a careless change would add to it).
VIOLATIONS = {
    # Core would stand on the models it lies under.
    "site-layers": ("forum/core/names.py", "from forum.models import Person"),
    # When and where (a read) would import the iCalendar builder that is made from it.
    "capability-layers": ("forum/programme/schedule.py", "from forum.programme import calendars"),
    # A view would reach into another capability's admin.
    "admin-from-admin": ("forum/reports/views.py", "from forum.press import admin"),
    # A capability would import another's views.
    "pages-from-urls": ("forum/programme/views.py", "from forum.press import views"),
    # A command would connect the search index's receivers a second time.
    "receivers-from-apps": (
        "forum/management/commands/rebuild_search_index.py",
        "from forum.discovery import receivers",
    ),
    # An admin would take the roles from the old migrations' path.
    "shims-for-migrations": (
        "forum/programme/admin.py",
        "from forum.roles import ROLE_PERMISSIONS",
    ),
    # The read-only API would call the workflow.
    "api-reads": ("forum/api/views.py", "from forum.reports import workflow"),
    # An admin template tag would ask the workflow instead of the roles.
    "presenters-read": ("forum/templatetags/forum_admin.py", "from forum.reports import workflow"),
    # A selector would call another capability's service.
    "selectors-read": ("forum/reports/selectors.py", "from forum.press import services"),
    # The page cache would follow a capability's selectors instead of the models' map.
    "pagecache-models-only": ("forum/pagecache/store.py", "from forum.reports import selectors"),
}


def lint_imports(root):
    """{contract id: kept} for the forum/ package and pyproject.toml in `root`."""
    result = subprocess.run(  # noqa: S603 (the venv's own lint-imports, fixed arguments)
        [LINT_IMPORTS, "--no-cache", "--no-logo", root / "pyproject.toml"],
        cwd=root,
        # The copy, not the checkout, is the package found; a wide console keeps each
        # contract's name and verdict on one line.
        env={**os.environ, "PYTHONPATH": str(root), "COLUMNS": "10000"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    verdicts = {}
    for contract_id, contract in CONTRACTS.items():
        found = re.search(rf"^{re.escape(contract['name'])} (KEPT|BROKEN)$", result.stdout, re.M)
        assert found, f"no verdict for {contract_id!r}:\n{result.stdout}\n{result.stderr}"
        verdicts[contract_id] = found.group(1) == "KEPT"
    assert (result.returncode == 0) == all(verdicts.values()), result.stdout
    return verdicts


@pytest.fixture
def forum_copy(tmp_path):
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "forum", tmp_path / "forum", ignore=ignore)
    shutil.copy(PYPROJECT, tmp_path / "pyproject.toml")
    return tmp_path


def test_every_contract_has_a_violation():
    assert set(VIOLATIONS) == set(CONTRACTS)


def test_there_are_at_least_ten_contracts():
    assert len(CONTRACTS) >= 10


def test_every_contract_is_kept(forum_copy):
    assert lint_imports(forum_copy) == dict.fromkeys(CONTRACTS, True)


@pytest.mark.parametrize("contract_id", sorted(VIOLATIONS))
def test_a_violation_breaks_its_contract_and_no_other(forum_copy, contract_id):
    path, line = VIOLATIONS[contract_id]
    module = forum_copy / path
    module.write_text(f"{module.read_text()}\n{line}\n")

    broken = [id_ for id_, kept in lint_imports(forum_copy).items() if not kept]

    assert broken == [contract_id]


def layer_names(contract):
    """The module names of a layers contract: "(admin) | views" → {"admin", "views"}."""
    return {
        name.strip().strip("()")
        for layer in contract["layers"]
        for name in re.split(r"[|:]", layer)
    }


def is_placed(parts):
    """Whether the module (its name's parts) is in a layer of the site and, inside a
    capability, in a layer of the capability."""
    if len(parts) >= 2 and parts[1] not in layer_names(CONTRACTS["site-layers"]):
        return False
    capabilities = CONTRACTS["capability-layers"]
    if len(parts) >= 3 and ".".join(parts[:2]) in capabilities["containers"]:
        return parts[2] in layer_names(capabilities)
    return True


def test_every_module_of_forum_is_in_a_layer():
    """Read from the files, not the import graph: import-linter does not see a folder
    without __init__.py, so a module in one would escape every contract."""
    outside = []
    for path in sorted((ROOT / "forum").rglob("*.py")):
        relative = path.relative_to(ROOT)
        folders = [
            ROOT.joinpath(*relative.parts[:depth]) for depth in range(1, len(relative.parts))
        ]
        parts = relative.with_suffix("").parts
        if not all((folder / "__init__.py").exists() for folder in folders):
            outside.append(f"{relative} (its folder has no __init__.py)")
        elif not is_placed(parts[:-1] if parts[-1] == "__init__" else parts):
            outside.append(str(relative))
    assert outside == []
