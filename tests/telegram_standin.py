"""A local stand-in for Telegram's Bot API, for the tests and the benchmark.

The Telegram cloud cannot be reached here; this small aiohttp server answers the
methods the bot uses (getMe, getUpdates with long polling, sendMessage, sendVoice,
getFile and file download, answerCallbackQuery, setMyCommands, setWebhook,
deleteWebhook, getWebhookInfo), records what the bot sent, and can answer 429 with
retry_after to check that rate limits are honoured. The real python-telegram-bot is
pointed at it with ``base_url``.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from typing import Any, Dict, List, Optional

from aiohttp import web

from bot.doors import telegram as telegram_door

BOT_ID = 777000
BOT_USERNAME = "jiuye_test_bot"


class BotApiStandIn:
    def __init__(self, token: str = "123:TEST") -> None:
        self.token = token
        self.updates: List[Dict[str, Any]] = []
        self.sent: List[Dict[str, Any]] = []  # every sendMessage / sendVoice, in order
        self.calls: List[str] = []
        self.commands: Dict[str, Any] = {}
        self.webhook: Optional[Dict[str, Any]] = None
        self.files: Dict[str, bytes] = {}
        self.rate_limit: Dict[str, int] = {}  # method → how many 429s still to answer
        self.ids = itertools.count(1)
        self.update_ids = itertools.count(1)
        self.loop: Optional[asyncio.AbstractEventLoop] = None
        self._new_update: Optional[asyncio.Event] = None
        self._thread: Optional[threading.Thread] = None
        self._runner: Optional[web.AppRunner] = None
        self.port = 0

    # -- running -------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "BotApiStandIn":
        ready = threading.Event()

        def serve():
            self.loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self.loop)
            self._new_update = asyncio.Event()
            app = web.Application(client_max_size=50 * 2**20)
            app.router.add_route("*", "/bot{token}/{method}", self._method)
            app.router.add_get("/file/bot{token}/{path:.*}", self._file)
            self._runner = web.AppRunner(app)
            self.loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            self.loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]
            ready.set()
            self.loop.run_forever()

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        if self.loop:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self.loop).result(10)
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(10)

    async def _shutdown(self) -> None:
        self._new_update.set()  # long polls return at once
        await self._runner.cleanup()
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    # -- what users do ---------------------------------------------------------------
    def _push(self, update: Dict[str, Any]) -> int:
        update["update_id"] = next(self.update_ids)
        self.updates.append(update)
        if self.loop:
            self.loop.call_soon_threadsafe(self._new_update.set)
        return update["update_id"]

    @staticmethod
    def user(user_id: int) -> Dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": "用户", "language_code": "zh-hans"}

    @staticmethod
    def chat(chat_id: int, kind: str = "private") -> Dict[str, Any]:
        chat = {"id": chat_id, "type": kind}
        if kind != "private":
            chat["title"] = "群"
        return chat

    def _message(self, user_id: int, chat_id: Optional[int], kind: str, **fields) -> Dict[str, Any]:
        return {"message_id": next(self.ids), "date": int(time.time()), "from": self.user(user_id),
                "chat": self.chat(chat_id or user_id, kind), **fields}

    def text(self, user_id: int, text: str, chat_id: Optional[int] = None, kind: str = "private",
             reply_to_bot: bool = False) -> int:
        fields: Dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if reply_to_bot:
            fields["reply_to_message"] = {"message_id": 1, "date": int(time.time()),
                                          "from": {"id": BOT_ID, "is_bot": True, "first_name": "就业助手",
                                                   "username": BOT_USERNAME},
                                          "chat": self.chat(chat_id or user_id, kind), "text": "……"}
        return self._push({"message": self._message(user_id, chat_id, kind, **fields)})

    def press(self, user_id: int, data: str) -> int:
        message = self._message(BOT_ID, user_id, "private", text="……")
        message["from"] = {"id": BOT_ID, "is_bot": True, "first_name": "就业助手"}
        return self._push({"callback_query": {"id": str(next(self.ids)), "from": self.user(user_id),
                                              "chat_instance": "1", "data": data, "message": message}})

    def voice(self, user_id: int, ogg: bytes, kind: str = "voice", duration: int = 3) -> int:
        file_id = f"file{next(self.ids)}"
        self.files[file_id] = ogg
        media = {"file_id": file_id, "file_unique_id": file_id, "duration": duration, "file_size": len(ogg)}
        if kind == "video_note":
            media["length"] = 240
        return self._push({"message": self._message(user_id, None, "private", **{kind: media})})

    def photo(self, user_id: int) -> int:
        size = {"file_id": "p1", "file_unique_id": "p1", "width": 10, "height": 10}
        return self._push({"message": self._message(user_id, None, "private", photo=[size])})

    def wait_sent(self, count: int, chat_id: Optional[int] = None, timeout: float = 60.0) -> List[Dict[str, Any]]:
        """Wait until ``count`` things were sent (to ``chat_id``); return them."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [s for s in self.sent if chat_id is None or s.get("chat_id") == chat_id]
            if len(found) >= count:
                return found
            time.sleep(0.05)
        found = [(s["method"], str(s.get("text", ""))[:40]) for s in self.sent
                 if chat_id is None or s.get("chat_id") == chat_id]
        raise AssertionError(f"sent {len(found)} of {count} within {timeout} s: {found[-4:]}")

    # -- the Bot API -----------------------------------------------------------------
    @staticmethod
    def _ok(result: Any) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    async def _params(self, request: web.Request) -> Dict[str, Any]:
        if request.content_type == "application/json":
            return await request.json()
        form = await request.post()
        params: Dict[str, Any] = {}
        for key, value in form.items():
            if hasattr(value, "file"):
                params[key] = value.file.read()
            else:
                try:
                    params[key] = json.loads(value)
                except (TypeError, ValueError):
                    params[key] = value
        params.update({k: v for k, v in request.query.items()})
        return params

    async def _method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append(method)
        if self.rate_limit.get(method, 0) > 0:
            self.rate_limit[method] -= 1
            return web.json_response({"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                      "parameters": {"retry_after": 1}}, status=429)
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            return web.json_response({"ok": False, "error_code": 404, "description": f"no {method}"}, status=404)
        return await handler(params)

    async def _getMe(self, params):
        return self._ok({"id": BOT_ID, "is_bot": True, "first_name": "就业助手", "username": BOT_USERNAME,
                         "can_join_groups": True, "can_read_all_group_messages": False,
                         "supports_inline_queries": False})

    async def _getUpdates(self, params):
        offset = int(params.get("offset") or 0)
        if offset:  # as Telegram does: an offset confirms every earlier update
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        timeout = float(params.get("timeout") or 0)
        deadline = time.time() + min(timeout, 2.0)
        while True:
            found = [u for u in self.updates if u["update_id"] >= offset]
            if found or time.time() >= deadline:
                return self._ok(found[:100])
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), max(0.01, deadline - time.time()))
            except asyncio.TimeoutError:
                pass

    def _record(self, method: str, params: Dict[str, Any], **result) -> web.Response:
        chat_id = int(params["chat_id"])
        self.sent.append({"method": method, "chat_id": chat_id, "time": time.time(),
                          **{k: v for k, v in params.items() if k != "chat_id"}})
        return self._ok({"message_id": next(self.ids), "date": int(time.time()),
                         "chat": self.chat(chat_id), "from": {"id": BOT_ID, "is_bot": True,
                                                              "first_name": "就业助手"}, **result})

    async def _sendMessage(self, params):
        return self._record("sendMessage", params, text=params.get("text", ""))

    async def _sendVoice(self, params):
        data = params.get("voice")
        file_id = f"sent{next(self.ids)}"
        if isinstance(data, (bytes, bytearray)):
            self.files[file_id] = bytes(data)
        return self._record("sendVoice", params, voice={"file_id": file_id, "file_unique_id": file_id,
                                                        "duration": int(params.get("duration") or 1)})

    async def _getFile(self, params):
        file_id = params["file_id"]
        return self._ok({"file_id": file_id, "file_unique_id": file_id, "file_size": len(self.files[file_id]),
                         "file_path": f"voice/{file_id}.oga"})

    async def _file(self, request: web.Request) -> web.Response:
        file_id = request.match_info["path"].rsplit("/", 1)[-1].split(".")[0]
        if file_id not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[file_id], content_type="audio/ogg")

    async def _answerCallbackQuery(self, params):
        return self._ok(True)

    async def _setMyCommands(self, params):
        self.commands[params.get("language_code") or ""] = params.get("commands")
        return self._ok(True)

    async def _deleteMyCommands(self, params):
        return self._ok(True)

    async def _setWebhook(self, params):
        self.webhook = params
        return self._ok(True)

    async def _deleteWebhook(self, params):
        self.webhook = None
        return self._ok(True)

    async def _getWebhookInfo(self, params):
        return self._ok({"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                         "pending_update_count": 0})


class PollingBot:
    """An Application polling the stand-in, on its own event loop in a thread."""

    def __init__(self, standin, rasa_url, **options):
        self.app = telegram_door.build(standin.token, rasa_url, base_url=standin.url, retry_seconds=0.5, **options)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self._call(self._start())

    def _call(self, coroutine, timeout=60):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    async def _start(self):
        await self.app.initialize()
        await self.app.post_init(self.app)
        await self.app.start()
        await self.app.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=None)

    async def _stop(self):
        await self.app.updater.stop()
        await self.app.stop()
        await self.app.post_shutdown(self.app)
        await self.app.shutdown()

    @property
    def door(self):
        return self.app.bot_data["door"]

    def stop(self):
        self._call(self._stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
