# Runtime hook. The windowed Windows executable starts with sys.stdout and sys.stderr set to None:
# anything that writes to them (the window's error handler, warnings, argparse) would fail there.
import os
import sys

for _name in ("stdout", "stderr"):
    if getattr(sys, _name) is None:
        setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115  (open for the process lifetime)
