"""Rebuild one event's catalogue index from the table, as the organiser's route does.

    .venv/bin/python -m localcloud.search_rebuild <tenant_id> <event_id>

Runs against the environment's table and engine (``TABLE_NAME``, ``SEARCH_ENGINE``... as a search
function has them). The local cloud's tantivy engine lives in the cloud's own process: there, call
`main` from that process (as the tests and the demo do) or use the route.
"""

from __future__ import annotations

import argparse
import sys

from salon.matchmaking.services.indexing import rebuild_event


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localcloud.search_rebuild", description=__doc__)
    parser.add_argument("tenant_id")
    parser.add_argument("event_id")
    args = parser.parse_args(argv)
    indexed = rebuild_event(args.tenant_id, args.event_id)
    print(f"{indexed} cards indexed for {args.tenant_id}/{args.event_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
