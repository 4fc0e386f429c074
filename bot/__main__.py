"""``python -m bot``: the same as ``parley run``."""

from parley.cli import cli

if __name__ == "__main__":
    cli.main(args=["run"], prog_name="parley")
