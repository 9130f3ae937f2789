"""Digests: what each community came to know in a day or a week, shown in the
app (archive per community) and e-mailed once per member per period.

- periods.py       period windows (daily, weekly)
- build.py         a community's digest from one period's activity
- compose.py       the digest e-mail, HTML + plain text
- deliver.py       who gets which digest e-mail, exactly once (with the
                   notifications a member asked to have folded in)
- selectors.py     reads (the latest digest of a community)
- panels.py        the digest links on a community's page
- views.py         archive and detail pages
- tasks.py         digests.run (beat), digests.build, digests.send_batch
- management/commands/send_digests.py  build and send now, without a broker

The one-click unsubscribe link in digest e-mails is notifications.unsubscribe.
"""
