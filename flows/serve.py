"""`storywatch serve`: the simplest always-on schedule, with Prefect's serve.

Needs a Prefect server (PREFECT_API_URL): a temporary in-process server cannot schedule.
Deployments are not paused on shutdown, so a restart picks the schedule up again.
"""
from __future__ import annotations

import os
import sys

from flows.story import load_story


def serve(stories: list[str], *, interval_minutes: float, cron: str | None, db: str | None,
          allow_hosts: list[str], allow_private_network: bool) -> int:
    if not os.environ.get("PREFECT_API_URL"):
        print(
            "storywatch serve needs a Prefect server: start one with `prefect server start --host 127.0.0.1` and set\n"
            "PREFECT_API_URL=http://127.0.0.1:4200/api (see the README's 'Run on a schedule').",
            file=sys.stderr,
        )
        return 2
    from prefect import serve as prefect_serve

    from flows.monitor import monitor_story

    deployments = []
    for folder in stories:
        config = load_story(folder)
        schedule = {"cron": cron} if cron else {"interval": interval_minutes * 60}
        deployments.append(
            monitor_story.to_deployment(
                name=f"serve-{config.story_id}",
                parameters={"story": str(folder), "db": db, "trigger": "schedule",
                            "allow_hosts": allow_hosts or None, "allow_private_network": allow_private_network},
                concurrency_limit=1,  # never two runs of one story at once
                description=f"storywatch: {config.title or config.story_id}",
                **schedule,
            )
        )
    prefect_serve(*deployments, pause_on_shutdown=False)
    return 0
