"""Services of the incidents app (writes, atomic, each with its event row): `intake`
(filing from every channel), `workflow` (assignment, replies, pause, resolution, reopen,
merge), `guided` (the receipt and the manual credit), `clock` (the SLA clock),
`escalation` (the SLA beat), `csat`, `privacy` (masking, access log, retention)."""
