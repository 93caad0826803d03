"""Reads of the bonus room, one module per subject."""
