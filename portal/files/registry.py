"""Which object a stored file belongs to, and who may read it.

Every app that stores private files registers a resolver: given a storage path, it returns
a `PrivateFile` (the file, the name to give it, and the rule for readers) or None when the
path is not one of its files. The media view asks each resolver in turn; a path nobody
claims is not served (404), so a file is never readable just because it is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.files import File


@dataclass(frozen=True)
class PrivateFile:
    file: File
    filename: str
    inline: bool
    readable_by: Callable[[object], bool]  # the user -> may they read it?


Resolver = Callable[[str], "PrivateFile | None"]

_resolvers: list[Resolver] = []


def register_resolver(resolver: Resolver) -> Resolver:
    """Register a resolver (usable as a decorator); called from an app's `ready()`."""
    if resolver not in _resolvers:
        _resolvers.append(resolver)
    return resolver


def private_file_for(path: str) -> PrivateFile | None:
    for resolver in _resolvers:
        found = resolver(path)
        if found is not None:
            return found
    return None
