"""Synthetic data and the demo: a made-up probation delivery unit, demo sign-ins, `safeguard demo`.

Nothing here is about real people: every name is drawn at random from small invented lists.
"""
