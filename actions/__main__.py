"""The action server, reachable only by the Rasa server:

    python -m actions [--port 5055]

rasa_sdk's own entry listens on every interface, allows any web page (CORS *) and
authenticates nothing. Here the same application (``rasa_sdk.endpoint.create_app``)
listens on 127.0.0.1 unless ``JIUYE_ACTIONS_HOST`` says otherwise, allows no CORS,
answers every request but ``/health`` with 401 unless it carries the shared secret
(``Authorization: Bearer``, ``jiuye.keys.secret("actions")``, which the Rasa server
sends: ``bot.stack``), and never echoes a request body in an error.
"""
from __future__ import annotations

import argparse
import hmac
import logging
import os

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import response

from jiuye import keys, retrieval

logger = logging.getLogger("actions")
OPEN_PATHS = ("/health",)


def app(token: str):
    server = create_app("actions", cors_origins=None)
    expected = f"Bearer {token}".encode()

    @server.middleware("request")
    async def authenticate(request):
        if request.path in OPEN_PATHS:
            return None
        given = (request.headers.get("Authorization") or "").encode()
        if not hmac.compare_digest(given, expected):
            return response.json({"error": "unauthorized"}, status=401)
        return None

    async def failed(request, exception):  # rasa_sdk's own handler puts the body in the reply
        status = getattr(exception, "status_code", 500)
        if status >= 500:
            logger.error("action server error on %s: %s", request.path, type(exception).__name__)
        return response.json({"error": "request failed"}, status=status)

    server.error_handler.add(Exception, failed)
    return server


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m actions")
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--host", default=os.environ.get("JIUYE_ACTIONS_HOST", "127.0.0.1"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    server = app(keys.secret("actions"))
    retrieval.default()  # the clause index, built before the first question rather than on it
    retrieval.none_known("")  # and the words the knowledge holds (0.2 s)
    logger.info("action server on http://%s:%s (authenticated)", args.host, args.port)
    server.run(args.host, args.port, workers=utils.number_of_sanic_workers(), access_log=False)


if __name__ == "__main__":
    main()
