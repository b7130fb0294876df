"""Every write to backlogs goes through a `do_*` function listed here."""

# Data calls, releases and feeds (releases engineer)
from recovery.backlogs.datacalls import (  # noqa: F401, E402
    do_close_data_call,
    do_create_data_call,
    do_remind_data_call,
)
from recovery.backlogs.feeds import do_create_feed_token, do_revoke_feed_token  # noqa: F401, E402
from recovery.backlogs.releases import do_publish_release  # noqa: F401
