# Replaces PyInstaller's hook for PySide6.QtGui: the same, less the Qt plugins a desktop Widgets
# program never loads. Each one dropped here also keeps out the libraries it links (QtNetwork for
# VNC and TUIO touch, EGL for embedded screens, GTK and Cairo for the GTK theme).
import re
from pathlib import PurePath

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

UNUSED_PLUGINS = {
    "platforms": {"qeglfs", "qlinuxfb", "qminimal", "qminimalegl", "qvkkhrdisplay", "qvnc", "qdirect2d"},
    "platformthemes": {"qgtk3"},
    "imageformats": {"qicns", "qpdf", "qtga", "qtiff", "qwbmp", "qwebp"},
    "generic": None,  # None: the whole folder
    "egldeviceintegrations": None,
}


def unused(source: str, dest: str) -> bool:
    kind = PurePath(dest).name
    if kind not in UNUSED_PLUGINS or PurePath(dest).parent.name != "plugins":
        return False
    names = UNUSED_PLUGINS[kind]
    return names is None or re.sub(r"^lib|\..*$", "", PurePath(source).name) in names


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, dest) for source, dest in binaries if not unused(source, dest)]
