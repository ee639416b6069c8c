"""The runs: a meeting run, the quality run, the calendar of meetings, the demo run.

A run sequences the building blocks (``transforms``, ``checks``, ``outputs``, ``demo``)
for one purpose; flows wrap runs in Prefect tasks, the CLI calls them directly.
"""
