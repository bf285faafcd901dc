"""Locks that last as long as the current transaction, named by anything hashable.

The summaries are counted again by the service that changed what they count, in its
transaction. Two such transactions counting the same hub year at once would each miss the
other's change (neither sees what the other has not committed) and the one to commit last
would leave its count, one short. Holding the summary's lock from before the count until commit
puts them one after the other: the second counts after the first has committed. On PostgreSQL a
transaction-scoped advisory lock; SQLite has one writer at a time already.
"""

import hashlib

from django.db import connection


def lock_key(name: str) -> int:
    """A stable signed 64-bit number for the name: PostgreSQL's advisory lock key."""
    digest = hashlib.blake2b(f"hubportal:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def hold_until_commit(*names) -> None:
    """Wait for, and hold until the transaction ends, the lock of each name (in one order
    everywhere, so two transactions never wait on each other)."""
    if connection.vendor != "postgresql" or not names:
        return
    keys = sorted({lock_key(repr(name)) for name in names})
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
