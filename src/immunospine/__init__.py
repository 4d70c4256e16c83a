"""immunospine: decision support for chronic back pain that may have an autoimmune cause.

Public API. Names listed in ``__all__`` follow semantic versioning; everything else may change.
"""

from __future__ import annotations

__version__ = "0.1.0"
