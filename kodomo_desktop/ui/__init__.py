"""The desktop editor (PySide6): widgets, models, delegates and undo commands over core operations."""
