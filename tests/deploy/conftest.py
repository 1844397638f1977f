"""Figures the deployment tests measured, printed at the end of the run (to quote in notes)."""
from typing import List

FIGURES: List[str] = []


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("deployment figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
