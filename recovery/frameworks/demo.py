"""Demo data for the framework library: the EDM library shipped in library/edms/."""

from recovery.core.scope import DEMO_DATA
from recovery.frameworks.actions import load_library


def load_demo() -> str:
    """Called by `seed_demo`: load and publish every EDM file of the library (idempotent)."""
    results = load_library(acting_user=DEMO_DATA)
    return f"EDM library: {len(results)} files loaded"
