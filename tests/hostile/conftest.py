"""Every test here runs on each client route (``tests.hostile.routes``)."""

from tests.hostile.routes import kind

__all__ = ["kind"]
