"""The nurse shell: a terminal chat with the assistant over REST that shows, after
each turn, the answers so far and the engine's current result with its reasons.

Run it with `python -m shell [--url http://127.0.0.1:5005] [--sender ID]`.
"""
