"""The role × scope access matrix, as data (tested by tests/test_access_matrix.py)."""
