"""A gateway that only writes the message to the log: the default until the hospital configures a real one."""

import logging

from hayat.notifications.channels import Outgoing

logger = logging.getLogger("hayat.notifications")


class LogGateway:
    def send(self, outgoing: Outgoing) -> str:
        logger.info("message to %s: %s | %s", outgoing.recipient, outgoing.subject, outgoing.body)
        return "logged"
