"""Reads of the training app, one module per subject; import from the module."""
