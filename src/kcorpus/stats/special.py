"""scipy.special's compiled functions (cephes: erfc, xlog1py, chdtri, ...) without the start-up of the
scipy.special package.

Importing scipy.special runs its package module, which loads its array-API layer (array_api_compat,
numpy.f2py, numpy.testing): about 0.25 s, more than a warm `kcorpus keywords` on a few documents spends on
everything else. The functions themselves live in the compiled module scipy.special._ufuncs, which loads in
a third of that time. NumPy's and libm's log1p and erfc differ from cephes in the last bits, so the
printed numbers would change with them: these are the very same function objects as scipy.special's.

`ufuncs()` returns scipy.special itself once anything has imported it, and falls back to it whenever the
compiled module cannot be loaded on its own.
"""

from __future__ import annotations

import importlib
import sys
import threading
import types
from functools import cache

_LOCK = threading.Lock()


@cache
def ufuncs() -> types.ModuleType:
    """A module holding scipy.special's ufuncs (erfc, xlog1py, chdtri, ndtr, stdtrit, ...)."""
    with _LOCK:
        loaded = sys.modules.get("scipy.special")
        if loaded is not None:
            return loaded
        try:
            return _compiled_only()
        except Exception:  # another scipy layout: the package as it is
            from scipy import special

            return special


def _compiled_only() -> types.ModuleType:
    """scipy.special._ufuncs, loaded under a bare stand-in for its package that is removed afterwards, so a
    later `import scipy.special` runs the real package module (and finds these same ufuncs)."""
    import scipy

    stand_in = types.ModuleType("scipy.special")
    stand_in.__path__ = [f"{scipy.__path__[0]}/special"]
    stand_in.__package__ = "scipy.special"
    sys.modules["scipy.special"] = stand_in
    try:
        return importlib.import_module("scipy.special._ufuncs")
    finally:
        if sys.modules.get("scipy.special") is stand_in:
            del sys.modules["scipy.special"]
