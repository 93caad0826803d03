"""Writes of the incidents app: `<entity>_<verb>(*, actor, ...)`, atomic, with an event row."""
