"""``python -m parley`` runs the same entry point as the ``parley`` console script."""

from parley.cli import main

main()
