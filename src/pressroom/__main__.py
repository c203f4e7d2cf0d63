"""``python -m pressroom`` is the ``pressroom`` command."""

from .cli import run

if __name__ == "__main__":  # not when a worker process (the preview's print layout) imports it
    run()
