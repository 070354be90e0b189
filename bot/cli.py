"""The ``jiuye`` command.

    jiuye serve                 # Rasa server (5005) and action server (5055), Ctrl-C stops both
    jiuye chat [--url URL]      # chat in the terminal (starts the servers if none answer)
    jiuye ask "问题" [--url URL] # one question, one answer
    jiuye check levy --staff 200 --disabled 1 --wage 80000 --province 湖南 [--json]
"""
from __future__ import annotations

import argparse
import signal
import sys
import uuid

import requests

from bot import rest_client
from bot.stack import MODEL, Stack, StackError

DEFAULT_URL = "http://127.0.0.1:5005"


def _serve(args: argparse.Namespace) -> int:
    stack = Stack(MODEL, args.rasa_port, args.action_port, log=sys.stdout)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    try:
        stack.start()
        print(
            f"就业助手已启动: REST {stack.url}/webhooks/rest/webhook, "
            f"actions {stack.action_url}. Ctrl-C 停止。",
            flush=True,
        )
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
        return requests.get(f"{url}/status", timeout=2).ok
    except requests.RequestException:
        return False


def _say(url: str, sender: str, text: str) -> str:
    try:
        return rest_client.as_text(rest_client.send(url, sender, text)) or "（没有回答）"
    except (requests.RequestException, ValueError):
        return rest_client.BUSY


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


def _ask(args: argparse.Namespace) -> int:
    print(_say(args.url, args.sender, args.question))
    return 0


def _check_levy(args: argparse.Namespace) -> int:
    import json
    from datetime import date

    from actions.rules import levy, render
    from actions.rules.inputs import InputError

    try:
        data = levy.LevyInput.of(
            args.staff, args.wage, disabled=args.disabled, severe=args.severe,
            local_average_wage=args.local_wage, province=args.province,
            enterprise=not args.not_enterprise,
        )
        result = levy.calculate(data, on=date.fromisoformat(args.date) if args.date else None)
    except (InputError, ValueError) as error:
        print(f"输入有误：{error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render.as_text(result))
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
    ask.add_argument("--sender", default="cli")
    ask.set_defaults(run=_ask)
    check = sub.add_parser("check", help="eligibility and amounts (rules as code)")
    programs = check.add_subparsers(dest="program", required=True)
    levy = programs.add_parser("levy", help="残保金 for an employer")
    levy.add_argument("--staff", required=True, help="上年在职职工人数")
    levy.add_argument("--disabled", default="0", help="安排的残疾职工人数（三、四级）")
    levy.add_argument("--severe", default="0", help="持一、二级残疾人证的职工人数（按2人算）")
    levy.add_argument("--wage", help="上年本单位职工年平均工资（元）")
    levy.add_argument("--local-wage", help="当地社会平均工资（元/年），用来核对2倍封顶")
    levy.add_argument("--province", help="省份，例如 湖南")
    levy.add_argument("--not-enterprise", action="store_true", help="机关、事业单位等非企业")
    levy.add_argument("--date", help="按哪天有效的规定计算，默认今天（YYYY-MM-DD）")
    levy.add_argument("--json", action="store_true")
    levy.set_defaults(run=_check_levy)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
