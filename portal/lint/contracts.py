"""A contract type for import-linter: what one app may import of another.

The built-in types say "A never reaches B" (forbidden, independence, layers); the house's
rules need "A reaches B only through B's entry points" (domain apps meet through
`selectors` and `services`) and "A's views import none of B's models", which are rules
about *direct* imports between apps. `app_boundaries` checks exactly that:

    [[tool.importlinter.contracts]]
    type = "app_boundaries"
    apps = ["portal.*", "training"]     # each module belongs to the longest app it is in
    importers = ["*views", "**.views"]  # module paths inside the app; * stays within a name
    allowed = ["selectors", "services"] # the other app's modules that may be imported, or
    forbidden = ["models"]              # the other app's modules that may not (one of the two)

A listed module also covers its submodules (`selectors` covers `selectors.status`). An
import inside one app, or of a module that belongs to no listed app, is not this
contract's business. Indirect chains are allowed: a view may call a selector that reads
another app's models, which is the point of having selectors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output
from importlinter.domain.contract import InvalidContractOptions


@dataclass(frozen=True)
class IllegalImport:
    importer: str
    imported: str
    line_numbers: tuple[int, ...]


def _path_pattern(pattern: str) -> re.Pattern[str]:
    """A glob on a dotted module path: `*` stands within one name, `**` for any names."""
    regex = re.escape(pattern).replace(r"\*\*", ".*").replace(r"\*", "[^.]*")
    return re.compile(f"{regex}$")


def _within(relative: str, names: list[str]) -> bool:
    return any(relative == name or relative.startswith(f"{name}.") for name in names)


def _expand(patterns: list[str], modules: set[str]) -> list[str]:
    """App names; a `*` stands for one module name (`portal.*`: every app under portal)."""
    apps: list[str] = []
    for pattern in patterns:
        if "*" not in pattern:
            if pattern not in modules:
                raise ValueError(f"App {pattern} is not in the import graph.")
            apps.append(pattern)
            continue
        parts = pattern.split(".")
        apps += [
            module
            for module in modules
            if len(module.split(".")) == len(parts)
            and all(map(fnmatchcase, module.split("."), parts))
        ]
    return apps


class AppBoundaryContract(Contract):
    type_name = "app_boundaries"

    apps = fields.ListField(subfield=fields.StringField())
    importers = fields.ListField(subfield=fields.StringField(), required=False)
    allowed = fields.ListField(subfield=fields.StringField(), required=False)
    forbidden = fields.ListField(subfield=fields.StringField(), required=False)

    def validate(self) -> None:
        if (self.allowed is None) == (self.forbidden is None):
            message = "Give exactly one of 'allowed' and 'forbidden'."
            raise InvalidContractOptions({"allowed": message, "forbidden": message})

    def _app_of(self, module: str, apps: list[str]) -> str | None:
        owners = [app for app in apps if module == app or module.startswith(f"{app}.")]
        return max(owners, key=len) if owners else None

    def _is_checked_importer(self, relative: str) -> bool:
        patterns = self.importers or ["**"]
        return any(_path_pattern(pattern).match(relative) for pattern in patterns)

    def _is_illegal_target(self, relative: str) -> bool:
        if self.allowed is not None:
            return not _within(relative, self.allowed)
        return _within(relative, self.forbidden)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        apps = _expand(self.apps, graph.modules)
        illegal: list[IllegalImport] = []
        for importer in sorted(graph.modules):
            importer_app = self._app_of(importer, apps)
            if importer_app is None:
                continue
            if not self._is_checked_importer(importer.removeprefix(importer_app).lstrip(".")):
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                imported_app = self._app_of(imported, apps)
                if imported_app is None or imported_app == importer_app:
                    continue
                relative = imported.removeprefix(imported_app).lstrip(".")
                if not self._is_illegal_target(relative):
                    continue
                details = graph.get_import_details(importer=importer, imported=imported)
                illegal.append(
                    IllegalImport(importer, imported, tuple(d["line_number"] for d in details))
                )
        output.verbose_print(verbose, f"{len(illegal)} import(s) across app boundaries.")
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        rule = (
            f"Another app is imported only through its {', '.join(self.allowed)}:"
            if self.allowed is not None
            else f"Another app's {', '.join(self.forbidden)} may not be imported here:"
        )
        output.print_error(rule, bold=False)
        output.new_line()
        for item in check.metadata["illegal"]:
            lines = ", ".join(map(str, item.line_numbers))
            output.print_error(f"- {item.importer} -> {item.imported} (l.{lines})", bold=False)
            output.new_line()
