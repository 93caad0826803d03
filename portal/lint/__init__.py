"""The house's rules that a linter can check (import contracts: see `contracts.py`)."""
