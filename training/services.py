"""Writes of the training app: `<entity>_<verb>(*, actor, ...)`, atomic, with an event row."""
