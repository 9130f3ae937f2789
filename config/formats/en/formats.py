# English dates as Practica has always written them ("5 Dec 2026, 09:14"),
# not Django's American defaults. Templates use these names
# (|date:"DATE_FORMAT"), so German and French get their own order.
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M, H:i"
