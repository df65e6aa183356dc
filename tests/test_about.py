"""The About dialog: the version, and a licence for everything the program ships with."""

from __future__ import annotations

import re
import shutil
from importlib import metadata

from kodomo_desktop import __version__
from kodomo_desktop.core import locations
from kodomo_desktop.ui.about_dialog import AboutDialog, bundled_components


def rows(dialog):
    table = dialog.table
    return {table.topLevelItem(i).text(0): table.topLevelItem(i).text(2) for i in range(table.topLevelItemCount())}


def normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def test_shows_the_version_and_the_licences_of_the_main_components(qtbot):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert f"バージョン {__version__}" in dialog.header.text()
    licences = rows(dialog)
    assert licences["Qt 6 / Qt for Python (PySide6, Shiboken6)"] == "LGPL-3.0"
    assert licences["ReportLab"] == "BSD"
    for name in ("openpyxl", "SQLAlchemy", "Alembic", "platformdirs", "jsonschema"):
        assert licences[name] == "MIT"
    assert licences["defusedxml"] == "PSF-2.0"


def test_selecting_a_component_shows_its_licence_text(qtbot):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.license_view.toPlainText()  # Qt, the first row
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text and "GNU GENERAL PUBLIC LICENSE" in text
    assert "差し替えられます" in text
    items = [dialog.table.topLevelItem(i) for i in range(dialog.table.topLevelItemCount())]
    dialog.table.setCurrentItem(next(item for item in items if item.text(0) == "Python"))
    assert "PYTHON SOFTWARE FOUNDATION LICENSE" in dialog.license_view.toPlainText()


def test_every_runtime_dependency_is_listed_with_a_licence_text():
    listed = {normalized(c.name) for c in bundled_components()}
    required = {normalized(re.split(r"[ ;<>=!~\[]", req)[0]) for req in metadata.requires("kodomo-desktop") or []}
    required.discard("pyside6-essentials")  # listed as Qt for Python
    assert required <= listed
    for component in bundled_components():
        assert component.texts and component.license_text().strip(), component.name


def test_a_font_is_listed_only_when_bundled(tmp_path):
    resources = tmp_path / "resources"
    shutil.copytree(locations.resources_dir() / "licenses", resources / "licenses")
    assert not any("ゴシック" in c.name for c in bundled_components(resources))
    (resources / "fonts").mkdir()
    (resources / "fonts" / "ipaexg.ttf").write_bytes(b"")
    fonts = [c for c in bundled_components(resources) if "ゴシック" in c.name]
    assert [(c.name, c.license) for c in fonts] == [("IPAexゴシック", "IPA Font License v1.0")]
    assert "IPA Font License Agreement v1.0" in fonts[0].license_text()
