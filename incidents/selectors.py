"""Reads of the incidents app, scoped with `portal.org.scoping.scope_for(user)`."""
