"""Network calls off the UI thread that can never hold up the exit.

Textual's thread workers run on asyncio's default executor, whose threads are joined when the
event loop closes: a detail list or an RBAC review stuck behind a slow or partitioned API kept
``q`` (and SIGHUP) waiting until its timeout. These are daemon threads instead; they report
back with ``post_message`` (thread-safe, and dropped once the app is closing).
"""

from __future__ import annotations

import threading
from collections.abc import Callable


def in_background(work: Callable[[], None], name: str) -> threading.Thread:
    """Run ``work`` on a new daemon thread; its exceptions must be handled by ``work`` itself."""
    thread = threading.Thread(target=work, name=f"rollout-tui {name}", daemon=True)
    thread.start()
    return thread
