"""The desktop editor (PySide6): widgets, models, delegates and undo commands over core operations."""

import sys

if sys.version_info < (3, 12):
    # PySide6 6.12 on Python 3.11: every call of a Qt method that returns nothing (setEnabled,
    # update, a Python override returning None, ...) releases a reference to None that it
    # never took. From Python 3.12 None is immortal and this is harmless; on 3.11 None's count
    # falls by one per call until Python aborts with "none_dealloc" after some thousands of
    # clicks. Giving None a count no session can use up makes 3.11 behave like 3.12. This
    # runs before any widget exists: every UI module is imported through this package.
    import ctypes

    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
