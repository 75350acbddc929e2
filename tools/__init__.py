"""Coach's data core: storage, analytics and the agent's tools.

Nothing here imports ``assistant`` or ``web``; dependencies are passed in.
"""
