"""Writes of the training app, one module per subject (bank, attempts, certificates,
assignments); import the function from its module."""
