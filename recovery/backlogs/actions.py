"""Every write to backlogs goes through a `do_*` function listed here."""

# Data calls, releases and feeds (releases engineer)
from recovery.backlogs.releases import do_publish_release  # noqa: F401
