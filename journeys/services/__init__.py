"""Writes of journeys, one module per verb group:

- plans: open a plan on joining, close it on leaving, complete its steps
- tours: the stewards' tour and the newcomer ticking it read
- reminders: the daily reminder about overdue steps
- stages: the nightly participation stages and their moves
- aspirations: "I want to become…"
"""
