"""An aiosmtpd handler for the tests: a Maildir that refuses, with a permanent 550, every
recipient whose address starts with "inconnu" (an unknown mailbox), and accepts the rest."""
from aiosmtpd.handlers import Mailbox


class RejectingMailbox(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("inconnu"):
            return "550 5.1.1 Mailbox unavailable: no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"
