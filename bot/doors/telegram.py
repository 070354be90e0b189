"""The Telegram door: python-telegram-bot 22, text and voice notes, to the Rasa assistant.

    jiuye telegram                 # long polling (no public address needed)
    jiuye telegram --webhook URL   # webhook, Telegram's secret token checked on every call

One ``Application``, one handler per kind of update. The sender Rasa sees is a keyed
hash of the Telegram user id (``ledger.pseudonym``), never the id itself.

- Text → the assistant's answers; Rasa buttons become an inline keyboard whose labels
  carry the number and the words ("一 烟草证"); pressing one sends its payload.
- Voice notes, audio files and video notes → recognised (``voice/``), "我听到的是：……",
  answered; in voice mode (/voice) the answer also comes back as a voice note
  (OGG/Opus, rendered for the ear, at the person's rate).
- Photos, stickers, documents → one polite line.
- Rasa or the action server down → "系统暂时忙……" and the message is kept in the
  ledger's database (so a restart of the door loses nothing either); it is answered
  when the assistant is back, then deleted.
- Telegram's rate limits (RetryAfter) are waited out.
- In groups: only messages that mention the bot or reply to it.
"""
from __future__ import annotations

import asyncio
import logging
import os
import re
from typing import Dict, List, Optional

import httpx
from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatType
from telegram.error import RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.doors import rest_client
from bot.doors.rest_client import RestAssistant
from jiuye import ledger, messages
from jiuye.assistant import Reply

logger = logging.getLogger(__name__)

LIMIT = 4096  # Telegram's message length limit
CN_NUMBERS = "零一二三四五六七八九十"
COMMANDS = [
    ("start", "开始：介绍和同意"),
    ("help", "菜单：全部选项"),
    ("voice", "用语音回答"),
    ("text", "用文字回答"),
    ("speed", "语速：慢、正常、快"),
    ("human", "找人工"),
    ("privacy", "保存什么、为什么"),
    ("delete", "删除我的数据"),
]
START = ("您好！我是就业助手，回答残疾人就业政策的问题，可以打字，也可以发语音。"
         "说“菜单”或按 /help 看全部选项。")
CONSENT_QUESTION = "要不要把您以后的查询结果记在个案记录里，方便工作人员帮您？请按数字："
PRIVACY = (
    "我们保存什么：\n"
    "1. 您的Telegram账号不保存，只保存它的加密代号。\n"
    "2. 对话内容，用来接着回答您的问题；{hours}小时没有新消息就删除。\n"
    "3. 系统忙的时候您发的消息，先存起来，回答以后就删除。\n"
    "4. 您同意以后，才保存查询结果和找人工的记录。\n"
    "5. 语音只用来听懂您的话，不保存。\n"
    "按 /delete 可以删除全部记录。"
)
NOT_HERE = "我只能看懂文字和语音。请打字，或者发一段语音。"
VOICE_ON = "好的，以后我会用语音回答，也会附上文字。"
TEXT_ON = "好的，以后我只用文字回答。"
HEARD = "我听到的是：{text}"
SPEED_QUESTION = "语速要怎样？请按数字："
CONSENT_YES, CONSENT_NO = "consent:yes", "consent:no"  # button payloads the door answers itself


def sender_for(user_id: int) -> str:
    return "tg-" + ledger.pseudonym(f"telegram:{user_id}")[:32]


def label(title: str) -> str:
    """"1 烟草证" → "一 烟草证": the number said in words, for screen readers too."""
    match = re.match(r"^(\d{1,2})\s+(.*)$", title)
    if not match:
        return title
    number = int(match.group(1))
    spoken = CN_NUMBERS[number] if number <= 10 else str(number)
    return f"{spoken} {match.group(2)}"


def keyboard(buttons: List[Dict[str, str]]) -> Optional[InlineKeyboardMarkup]:
    if not buttons:
        return None
    rows = [[InlineKeyboardButton(label(b["title"]), callback_data=b["payload"][:64])] for b in buttons]
    return InlineKeyboardMarkup(rows)


def split(text: str, limit: int = LIMIT) -> List[str]:
    """Pieces under Telegram's limit, cut after a sentence or a line where possible."""
    pieces = []
    while len(text) > limit:
        cut = max(text.rfind(mark, 0, limit) for mark in ("\n", "。", "！", "？", "；"))
        cut = cut + 1 if cut > 0 else limit
        pieces.append(text[:cut].strip())
        text = text[cut:]
    if text.strip():
        pieces.append(text.strip())
    return pieces


class AssistantDown(RuntimeError):
    pass


class Door:
    """What the handlers share: the Rasa URL, the voice engines, the kept messages.
    ``name`` tells this bot's kept messages from another's in the same database."""

    def __init__(self, rasa_url: str, voice_engines: bool = True, retry_seconds: float = 5.0,
                 name: str = "telegram") -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.http = httpx.AsyncClient(timeout=30)
        self.name = name
        self.retry_seconds = retry_seconds
        self._voice = None
        self.voice_engines = voice_engines
        self._retry_task: Optional[asyncio.Task] = None
        self.choosing: Dict[str, bool] = {}  # sender → a numbered list is open
        self.nlu = RestAssistant(self.rasa_url)  # what a hearing means, for the second hearing

    # -- the assistant -----------------------------------------------------------------
    async def ask(self, sender: str, text: str) -> Reply:
        try:
            response = await self.http.post(f"{self.rasa_url}/webhooks/rest/webhook",
                                            json={"sender": sender, "message": text}, headers=rest_client.auth())
            if response.status_code in rest_client.POLITE_REFUSALS and response.json().get("text"):
                return Reply(texts=[response.json()["text"]])  # too long, too fast: said politely
            response.raise_for_status()
            reply = Reply.from_rest(response.json())
        except (httpx.HTTPError, ValueError) as error:
            raise AssistantDown(str(error)) from None
        if reply.busy:
            raise AssistantDown("the assistant was busy")
        self.choosing[sender] = reply.choosing
        return reply

    def voice(self):
        if self._voice is None:
            from voice import stt, tts  # optional: the engines load with the first voice note

            self._voice = (stt.recognizer("auto"), tts.cached("auto"))
        return self._voice

    # -- sending, with Telegram's rate limits honoured ------------------------------
    @staticmethod
    async def send(call, *args, **kwargs):
        for _ in range(5):
            try:
                return await call(*args, **kwargs)
            except RetryAfter as error:
                wait = error.retry_after.total_seconds() if hasattr(error.retry_after, "total_seconds") \
                    else float(error.retry_after)
                await asyncio.sleep(wait)
        return await call(*args, **kwargs)

    async def answer(self, message: Message, sender: str, text: str, said_first: Optional[str] = None) -> None:
        """Ask the assistant and reply in the chat (text, keyboard, voice note)."""
        try:
            reply = await self.ask(sender, text)
        except AssistantDown:
            await self.keep(message.chat_id, sender, text)
            await self.send(message.get_bot().send_message, message.chat_id, messages.BUSY)
            return
        await self.reply(message.get_bot(), message.chat_id, sender, reply, said_first)

    async def reply(self, bot, chat_id: int, sender: str, reply: Reply, said_first: Optional[str] = None):
        texts, buttons = reply.texts, reply.buttons
        if not texts and not buttons and not said_first:
            return  # nothing to say: a button pressed twice is done already
        body = "\n".join(([said_first] if said_first else []) + texts) or "（没有回答）"
        pieces = split(body)
        for index, piece in enumerate(pieces):
            markup = keyboard(buttons) if index == len(pieces) - 1 else None
            await self.send(bot.send_message, chat_id, piece, reply_markup=markup)
        if self.voice_engines and await asyncio.to_thread(ledger.reply_mode, sender) == "voice":
            await self.send_voice(bot, chat_id, reply)

    async def send_voice(self, bot, chat_id: int, reply: Reply) -> None:
        from voice import audio, render  # optional: only for a person who chose voice replies
        from voice.assistant import speak

        _, synthesizer = self.voice()
        sentences = render.for_ear(reply.texts, reply.buttons)
        pcm, sample_rate = await asyncio.to_thread(speak, synthesizer, sentences, reply.speech_rate)
        note = await asyncio.to_thread(audio.encode, pcm, sample_rate, "ogg", "libopus")
        await self.send(bot.send_voice, chat_id, note, duration=max(1, round(len(pcm) / sample_rate)))

    # -- messages kept while the assistant is down --------------------------------
    async def keep(self, chat_id: int, sender: str, text: str) -> None:
        try:
            await asyncio.to_thread(ledger.keep_message, self.name, str(chat_id), sender, text)
            logger.warning("assistant down: kept a message")
        except Exception:  # the database is down too: say so in the log, still answer
            logger.exception("assistant and database down: a message could not be kept")

    async def kept(self) -> list:
        return await asyncio.to_thread(ledger.kept_messages, self.name)

    async def retry_pending(self, bot) -> None:
        """Answer the kept messages, oldest first, once the assistant is back (also
        those kept before a restart). Deleted once answered: at least once, never lost."""
        while True:
            await asyncio.sleep(self.retry_seconds)
            try:
                for item in await self.kept():
                    try:
                        reply = await self.ask(item.sender, item.text)
                    except AssistantDown:
                        break
                    await self.reply(bot, int(item.chat), item.sender, reply)
                    await asyncio.to_thread(ledger.answered, item.id)
            except Exception:  # the database or Telegram away for a moment: next round
                logger.exception("could not answer the kept messages yet")


def _addressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Private chats always; in groups only a mention of the bot or a reply to it."""
    message = update.effective_message
    if message is None or update.effective_chat.type == ChatType.PRIVATE:
        return True
    username = context.bot.username or ""
    if username and f"@{username}" in (message.text or message.caption or ""):
        return True
    reply = message.reply_to_message
    return bool(reply and reply.from_user and reply.from_user.id == context.bot.id)


def _clean(text: str, username: str) -> str:
    return text.replace(f"@{username}", "").strip() if username else text.strip()


def build(token: str, rasa_url: str, base_url: Optional[str] = None, voice_engines: bool = True,
          retry_seconds: float = 5.0) -> Application:
    builder: ApplicationBuilder = Application.builder().token(token)
    if base_url:  # a local Bot API server (tests use a stand-in)
        builder = builder.base_url(f"{base_url}/bot").base_file_url(f"{base_url}/file/bot")
    door = Door(rasa_url, voice_engines, retry_seconds, name=f"telegram:{token.split(':')[0]}")

    async def post_init(app: Application) -> None:
        await Door.send(app.bot.set_my_commands, [BotCommand(c, d) for c, d in COMMANDS],
                        language_code="zh")
        await Door.send(app.bot.set_my_commands, [BotCommand(c, d) for c, d in COMMANDS])
        door._retry_task = asyncio.get_running_loop().create_task(door.retry_pending(app.bot))

    async def post_shutdown(app: Application) -> None:
        if door._retry_task:
            door._retry_task.cancel()
        await door.http.aclose()

    builder = builder.post_init(post_init).post_shutdown(post_shutdown)
    app = builder.build()
    app.bot_data["door"] = door

    async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not _addressed(update, context):
            return
        message = update.effective_message
        text = _clean(message.text or "", context.bot.username)
        await door.answer(message, sender_for(update.effective_user.id), text)

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await Door.send(query.answer)
        sender = sender_for(query.from_user.id)
        if query.data in (CONSENT_YES, CONSENT_NO):  # the /start question, answered here
            given = query.data == CONSENT_YES
            await asyncio.to_thread(ledger.set_consent, sender, given)
            text = messages.CONSENT_GIVEN if given else messages.CONSENT_REFUSED
            await Door.send(context.bot.send_message, query.message.chat_id, text)
            return
        await door.answer(query.message, sender, query.data or "")

    async def on_voice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not _addressed(update, context):
            return
        from voice import audio  # optional: the voice stages load with the first voice note
        from voice.assistant import not_heard, recognise

        message = update.effective_message
        media = message.voice or message.audio or message.video_note
        file = await Door.send(context.bot.get_file, media.file_id)
        data = bytes(await file.download_as_bytearray())
        try:
            decoded = await asyncio.to_thread(audio.decode, data)
        except audio.AudioError as refusal:
            await Door.send(message.reply_text, str(refusal))
            return
        recognizer, _ = door.voice()
        heard = await asyncio.to_thread(recognise, recognizer, decoded.floats(), door.nlu.parse)
        sender = sender_for(update.effective_user.id)
        if not any(ch.isalnum() for ch in heard):
            await Door.send(message.reply_text, not_heard(door.choosing.get(sender, False)))
            return
        await door.answer(message, sender, heard, HEARD.format(text=heard))

    async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if _addressed(update, context):
            await Door.send(update.effective_message.reply_text, NOT_HERE)

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        sender = sender_for(update.effective_user.id)
        await Door.send(message.reply_text, START)
        if await asyncio.to_thread(ledger.consent, sender) is None:
            buttons = [{"title": "1 同意", "payload": CONSENT_YES}, {"title": "2 不同意", "payload": CONSENT_NO}]
            await Door.send(message.reply_text, CONSENT_QUESTION, reply_markup=keyboard(buttons))

    async def voice_mode(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await asyncio.to_thread(ledger.set_reply_mode, sender_for(update.effective_user.id), "voice")
        await Door.send(update.effective_message.reply_text, VOICE_ON)

    async def text_mode(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await asyncio.to_thread(ledger.set_reply_mode, sender_for(update.effective_user.id), "text")
        await Door.send(update.effective_message.reply_text, TEXT_ON)

    async def speed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        buttons = [{"title": "1 慢一点", "payload": "慢一点"}, {"title": "2 正常", "payload": "正常语速"},
                   {"title": "3 快一点", "payload": "快一点"}]
        await Door.send(update.effective_message.reply_text, SPEED_QUESTION, reply_markup=keyboard(buttons))

    async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await Door.send(update.effective_message.reply_text, PRIVACY.format(hours=f"{ledger.retention_hours():g}"))

    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("help", _command_text(door, "菜单")))
    app.add_handler(CommandHandler("human", _command_text(door, "人工")))
    app.add_handler(CommandHandler("voice", voice_mode))
    app.add_handler(CommandHandler("text", text_mode))
    app.add_handler(CommandHandler("speed", speed))
    app.add_handler(CommandHandler("privacy", privacy))
    app.add_handler(CommandHandler("delete", _command_text(door, "删除我的数据")))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(filters.VOICE | filters.AUDIO | filters.VIDEO_NOTE, on_voice))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    app.add_handler(MessageHandler(filters.PHOTO | filters.Sticker.ALL | filters.Document.ALL | filters.VIDEO
                                   | filters.LOCATION | filters.CONTACT, on_other))
    return app


def _command_text(door: Door, text: str):
    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await door.answer(update.effective_message, sender_for(update.effective_user.id), text)
    return handler


def run(token: str, rasa_url: str, webhook_url: Optional[str] = None, port: int = 8443,
        secret_token: Optional[str] = None, base_url: Optional[str] = None) -> int:
    app = build(token, rasa_url, base_url)
    if webhook_url:
        secret = secret_token or os.environ.get("TELEGRAM_SECRET_TOKEN")
        if not secret:
            raise SystemExit("webhook mode needs TELEGRAM_SECRET_TOKEN (Telegram's secret_token)")
        app.run_webhook(listen="0.0.0.0", port=port, url_path="telegram", webhook_url=webhook_url,
                        secret_token=secret, allowed_updates=Update.ALL_TYPES)
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


__all__ = ["build", "run", "split", "label", "keyboard", "sender_for"]
