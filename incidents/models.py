"""Models of the incidents app. Complaint tickets, SLA, queues, scripts on screen and CSAT."""
