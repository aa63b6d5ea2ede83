"""A fake server's `with` block: `with Fake() as fake:` starts it, and stops it however the block ends."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class StartStop:
    """Base of the fakes that run in the background: subclasses define start() (returning self) and stop()."""

    def start(self) -> Self:
        """Start serving; returns self."""
        raise NotImplementedError

    def stop(self) -> None:
        """Stop serving and free what start() took."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
