"""Run the LMTP server that turns e-mailed replies into replies."""

import signal
import threading

from django.core.management.base import BaseCommand

from knowledge.lmtp import lmtp_controller

# Set to stop a running command (SIGTERM and SIGINT set it too).
stop = threading.Event()


class Command(BaseCommand):
    help = (
        "Receive e-mailed replies over LMTP (hand reply+<token>@<domain> mail "
        "to it) and post them as replies."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8024)

    def handle(self, *args, host, port, **options):
        controller = lmtp_controller(host=host, port=port)
        controller.start()
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())
        self.stdout.write(f"Receiving replies over LMTP on {host}:{port}")
        try:
            while not stop.wait(1):
                pass
        finally:
            controller.stop()
            stop.clear()
        self.stdout.write("Stopped.")
