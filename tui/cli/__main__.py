"""`python -m tui.cli`: the same as the `hamish` command (what `hamish serve` starts for each browser)."""

from tui.cli import main

main()
