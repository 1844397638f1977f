"""Pieces loaded into the Rasa server by configuration: the REST channel and the tracker store.

Importing this package also installs one measured speed-up (see speedups.py).
"""
from . import speedups  # noqa: F401 - installs itself on import

speedups.install()
