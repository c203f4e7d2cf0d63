"""``python -m pressroom`` is the ``pressroom`` command."""

from .cli import run

run()
