"""Logging of the HTTP functions: the standard library, formatted by Lambda.

With `LoggingConfig.LogFormat: JSON` (template Globals) Lambda writes each record as JSON with its
request id and the `extra` keys, which is what Powertools' Logger adds, without its import on the cold
start. Records carry ids only, never names, e-mails or phones."""

from __future__ import annotations

import logging
import os


def configure() -> None:
    """Set the level of Salon's loggers from the stack's log level parameter."""
    logging.getLogger("salon").setLevel(os.environ.get("POWERTOOLS_LOG_LEVEL", "INFO"))
