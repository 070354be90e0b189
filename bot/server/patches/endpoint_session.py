"""Keep the HTTP connection to the action server.

``EndpointConfig.request`` opened a new HTTP session, and so a new TCP connection, for
every call to the action server. One session per event loop now keeps the connection
alive (closed when the server stops); a request that finds its kept connection
closed by the server is sent once more on a new one.
"""
from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Optional

WRITTEN_FOR = {"rasa": "3.6.21"}


# Below Sanic's own keep-alive (5 s), so that the client rarely reuses a connection
# the action server is closing.
KEEPALIVE_SECONDS = 2.0
_kept_sessions: Dict[Any, List[Any]] = {}  # event loop -> the HTTP sessions kept on it


def apply() -> None:
    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

    class _Kept:
        """``async with`` on a shared session, which must not close it."""

        def __init__(self, session: aiohttp.ClientSession) -> None:
            self.session = session

        async def __aenter__(self) -> aiohttp.ClientSession:
            return self.session

        async def __aexit__(self, *exc: Any) -> None:
            return None

    def session(self: EndpointConfig) -> _Kept:
        loop = asyncio.get_running_loop()
        kept = self.__dict__.get("_jiuye_session")
        if kept is None or kept[0] is not loop or kept[1].closed:
            auth = None
            if self.basic_auth:
                auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            kept = (loop, aiohttp.ClientSession(
                headers=self.headers,
                auth=auth,
                timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
            ))
            self.__dict__["_jiuye_session"] = kept
            _kept_sessions.setdefault(loop, []).append(kept[1])
        return _Kept(kept[1])

    original_request = EndpointConfig.request

    async def request(self: EndpointConfig, *args: Any, **kwargs: Any) -> Optional[Any]:
        try:
            return await original_request(self, *args, **kwargs)
        except aiohttp.ClientConnectorError:  # nothing listens: no kept connection was used
            raise
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
            # The kept connection was closed by the server before it answered.
            return await original_request(self, *args, **kwargs)

    import rasa.core.run

    original_close = rasa.core.run.close_resources

    async def close_resources(app: Any, loop: asyncio.AbstractEventLoop) -> None:
        await original_close(app, loop)
        for kept in _kept_sessions.pop(loop, []):
            await kept.close()

    EndpointConfig.session = session
    EndpointConfig.request = request
    rasa.core.run.close_resources = close_resources  # Sanic's after_server_stop listener
