"""Reads of the incidents app: `tickets` (what a person sees, the queues in keyset pages,
the ticket page, the customer's history), `reports`, `promotions`."""
