"""Excel returns: a template per unit out (templates.py), the returns back in (safe_open.py →
reading.py with cells.py → diff.py → apply.py), and the state of an edition's returns (overview.py)."""
