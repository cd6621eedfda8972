"""``python -m lessons``: the same as the ``lessons`` command."""

from .cli import main

main(prog_name="lessons")
