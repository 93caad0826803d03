"""Who did what, when: one abstract event model and one way to record an event.

Every domain keeps its own event table (a concrete subclass of `Event` with the
references it needs: an attempt, a batch, a store); every service writes to it through
`portal.events.services.event_record`. CMS-edited snippets record through the same call
(`SnippetEvent`, written by the Wagtail actions in `portal.events.cms`)."""
