"""The statement pages of the bonus room (mounted by `kpi.bonus.statement_urls`): the
list and its CSV, a statement's page with its approval path, disputes, corrections and
late changes, the actions on it, the payroll files, a store's PDF, and the staff's own
page. Thin views: reads from `kpi.bonus.selectors.statements` (and `reads` here), writes
through `kpi.bonus.services.statements`, permissions from `kpi.bonus.rules`."""
