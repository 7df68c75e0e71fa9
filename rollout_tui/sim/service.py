"""``Service``: what the simulator's long-running parts share as context managers."""

from __future__ import annotations

from typing import Self


class Service:
    """Started by ``start`` (which returns it) and ended by ``stop``; ``with`` does both."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
