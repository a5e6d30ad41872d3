"""Publication routes: the clerk's publish and correction pages, and the public results and open data."""

from app.publication import clerk_routes, public_routes  # noqa: F401  (both register on the blueprint)
