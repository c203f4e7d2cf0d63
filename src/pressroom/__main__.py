"""``python -m pressroom`` is the ``pressroom`` command."""

from .cli import main

main()
