"""The distribution installs exactly the product layout under ``luma_desktop``."""

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAPPED = {
    "luma_desktop": "luma_desktop",
    "luma_desktop.tools": "tools",
    "luma_desktop.voice": "voice",
    "luma_desktop.ui": "ui",
    "luma_desktop.resources": "resources",
}


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def source_packages() -> set[str]:
    """Every folder holding Python code, as the dotted name it installs under."""
    found = set()
    for dotted, folder in MAPPED.items():
        for path in (ROOT / folder).rglob("*.py"):
            if "__pycache__" in path.parts:
                continue
            relative = path.parent.relative_to(ROOT / folder).parts
            found.add(".".join((dotted, *relative)))
    return found


def test_package_dir_mapping_is_the_product_layout():
    assert pyproject()["tool"]["setuptools"]["package-dir"] == MAPPED


def test_every_code_folder_is_listed_as_a_package():
    listed = set(pyproject()["tool"]["setuptools"]["packages"])
    assert source_packages() <= listed
    assert all(name.startswith("luma_desktop") for name in listed)


def test_entry_point():
    assert pyproject()["project"]["scripts"] == {"luma": "luma_desktop.cli:main"}


@pytest.mark.slow
def test_wheel_contains_everything_under_luma_desktop(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("luma_desktop-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names}
    assert top_level == {"luma_desktop", wheel.name.split("-py3")[0] + ".dist-info"}
    for required in (
        "luma_desktop/tools/__init__.py",
        "luma_desktop/voice/__init__.py",
        "luma_desktop/ui/__init__.py",
        "luma_desktop/resources/__init__.py",
        "luma_desktop/workspace/migrations/env.py",
        "luma_desktop/workspace/migrations/script.py.mako",
        "luma_desktop/workspace/migrations/versions/0001_initial_schema.py",
    ):
        assert required in names, required
