"""Writes of the kpi app: `<entity>_<verb>(*, actor, ...)`, atomic, with an event row."""
