"""A tiny SMTP server that accepts and counts messages, for timing the
digest run end to end (SMTP conversation included) without a mail system.
It runs in a process of its own, as a mail server would, so its work is not
counted as the sender's.

    from bench.smtp_sink import SmtpSink
    with SmtpSink() as sink:       # a free port on 127.0.0.1
        ... EMAIL_PORT = sink.port ...
        sink.messages, sink.connections
"""

import multiprocessing
import socket
import socketserver

END_OF_DATA = b"\r\n.\r\n"


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        counts = self.server.counts
        with counts.get_lock():
            counts[1] += 1
        self.wfile.write(b"220 sink ESMTP\r\n")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                if not self._read_data():
                    return
                with counts.get_lock():
                    counts[0] += 1
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                self.wfile.write(b"250 ok\r\n")

    def _read_data(self) -> bool:
        """Read up to the lone dot, in large reads; False if cut off."""
        tail = b""
        while True:
            chunk = self.rfile.read1(65536)
            if not chunk:
                return False
            tail = (tail + chunk)[-len(END_OF_DATA) :]
            if tail == END_OF_DATA:
                return True


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def _serve(sock, counts):
    server = _Server(("127.0.0.1", 0), _Handler, bind_and_activate=False)
    server.socket.close()
    server.socket = sock
    server.counts = counts
    server.serve_forever()


class SmtpSink:
    def __init__(self):
        self._counts = multiprocessing.Array("q", 2)  # messages, connections
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self._process = None

    @property
    def messages(self) -> int:
        return self._counts[0]

    @property
    def connections(self) -> int:
        return self._counts[1]

    def __enter__(self):
        context = multiprocessing.get_context("fork")
        self._process = context.Process(
            target=_serve, args=(self._sock, self._counts), daemon=True
        )
        self._process.start()
        return self

    def __exit__(self, *exc):
        self._process.terminate()
        self._process.join()
        self._sock.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
