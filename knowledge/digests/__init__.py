"""Digests: what each community came to know in a day or a week, shown in the
app (archive per community) and e-mailed once per member per period.

- periods.py       period windows (daily, weekly)
- build.py         a community's digest from one period's activity
- compose.py       the e-mails (digest, notification), HTML + plain text
- deliver.py       who gets which digest e-mail, exactly once
- notify_email.py  in-app notifications sent by e-mail right away
- unsubscribe.py   signed one-click unsubscribe links
- views.py         archive, detail and unsubscribe pages
"""
