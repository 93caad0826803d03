"""gunicorn's settings (`gunicorn -c portal/gunicorn_conf.py`): its error and access logs
use the portal's log format, so every process logs in one time zone (TIME_ZONE)."""

import os

_FORMATTER = {
    "()": "portal.logging.IsoTimeFormatter",
    "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
    "tz": os.environ.get("TIME_ZONE", "Europe/Moscow"),
}

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"iso": _FORMATTER},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "iso"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
