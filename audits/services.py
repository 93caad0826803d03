"""Writes of the audits app: `<entity>_<verb>(*, actor, ...)`, atomic, with an event row."""
