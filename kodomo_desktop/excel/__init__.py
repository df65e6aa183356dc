"""Excel returns: a template per unit out (templates.py), the returns back in (reading.py → diff.py →
apply.py), and the state of an edition's returns (overview.py)."""
