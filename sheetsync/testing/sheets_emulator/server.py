"""The HTTP side: a threading loopback server whose handler passes each raw request to
`SheetsEmulator.answer` and writes the answer back (HTTP/1.1 keep-alive, quiet log).
"""

from __future__ import annotations

import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sheetsync.testing.sheets_emulator.emulator import SheetsEmulator


class Server(ThreadingHTTPServer):
    daemon_threads = True
    emulator: SheetsEmulator

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (its timeout passed while a slow answer was on its way,
        as the retry tests arrange) is the client's doing: socketserver would print a
        traceback for it in the middle of a test run. Other failures are printed."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once: no 40 ms delayed ACKs
    server: Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, ctype, payload, extra = self.server.emulator.answer(
            self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
        )
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the emulator prints only errors."""
