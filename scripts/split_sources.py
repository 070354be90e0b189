"""Split the source documents into clauses with stable ids (data/sources/*.yml).

    python scripts/split_sources.py SEED_DIR FACTS_MD   # rewrite the clause texts

The plan (国办发〔2025〕23号) is cut into its sections (一, 二（一）…（十）, 三, 四) and each
section into its sentences: clause ``二（一）-3`` is the third sentence of 二（一）. The
closing "（……按职责分工负责）" of a section is kept as the section's ``responsible``.
The other rules (the facts file) are cut into their bullet points, ``facts-1-2`` the
second of section 1. An existing file's reviewed fields (``plain``: the easy-read
rendering, ``terms``) are kept for a clause whose text did not change.

Run once per new source text; the YAML is then reviewed and committed like code, and
the assistant reads only the YAML (nothing outside the repository).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "sources"
CN = "一二三四五六七八九十"


def _plan_text(seed: Path) -> str:
    raw = next(seed.glob("*.txt")).read_text("utf-8")
    flat = re.sub(r"\s+", "", raw)
    start = flat.index("促进残疾人就业三年行动方案（2025—2027年）残疾人是推进")
    end = flat.index("总结评估。", start) + len("总结评估。")
    return flat[start + len("促进残疾人就业三年行动方案（2025—2027年）"):end]


def _sentences(text: str):
    return [s + "。" for s in text.split("。") if s]


def split_plan(seed: Path) -> dict:
    text = _plan_text(seed)
    top = re.split(r"(?=[一二三四]、(?:总体要求|主要措施|保障条件|组织实施))", text)
    sections = [("序", "前言", top[0])]
    for part in top[1:]:
        number, title = part[0], part[2:6]
        body = part[6:]
        if number == "二":
            for sub in re.split(r"(?=（[一二三四五六七八九十]+）实施)", body):
                if not sub:
                    continue
                label = sub[:sub.index("）") + 1]
                rest = sub[len(label):]
                heading, rest = rest.split("。", 1)
                sections.append((f"二{label}", heading, rest))
        else:
            sections.append((number, title, body))
    out = []
    for section, heading, body in sections:
        responsible = None
        match = re.search(r"（([^（）]*按职责分工负责)）$", body)
        if match:
            responsible = match.group(1)
            body = body[:match.start()]
        clauses = [{"id": f"{section}-{n}", "n": n, "text": s} for n, s in enumerate(_sentences(body), 1)]
        entry = {"section": section, "title": heading, "clauses": clauses}
        if responsible:
            entry["responsible"] = responsible
        out.append(entry)
    return {
        "document": "国办发〔2025〕23号",
        "title": "国务院办公厅关于印发《促进残疾人就业三年行动方案（2025—2027年）》的通知",
        "date": "2025-06-25",
        "url": "https://www.gov.cn/zhengce/content/202506/content_7030053.htm",
        "confidence": "official",
        "sections": out,
    }


def split_facts(facts_md: Path) -> dict:
    sections = []
    for block in re.split(r"\n## ", facts_md.read_text("utf-8"))[1:]:
        head, _, body = block.partition("\n")
        number, _, title = head.partition(". ")
        bullets = [b.strip().replace("\n  ", " ") for b in re.split(r"\n- ", "\n" + body.strip()) if b.strip()]
        clauses = []
        for n, bullet in enumerate(bullets, 1):
            confidence = next((c for c in ("official", "mirror", "inferred") if c in bullet), "mirror")
            clauses.append({"id": f"facts-{number}-{n}", "n": n, "text": re.sub(r"\s+", " ", bullet), "confidence": confidence})
        sections.append({"section": number, "title": title.strip(), "clauses": clauses})
    return {
        "document": "related",
        "title": "与残疾人就业相关的其他规定（各条注明出处和可信度）",
        "confidence": "mixed",
        "sections": sections,
    }


def _keep_reviewed(new: dict, path: Path) -> dict:
    if not path.exists():
        return new
    old = {c["id"]: c for s in yaml.safe_load(path.read_text("utf-8"))["sections"] for c in s["clauses"]}
    for section in new["sections"]:
        for clause in section["clauses"]:
            before = old.get(clause["id"])
            if before and before["text"] == clause["text"]:
                for key in ("plain", "terms", "asked"):
                    if key in before:
                        clause[key] = before[key]
    return new


def main(argv) -> int:
    seed, facts = Path(argv[0]), Path(argv[1])
    for name, data in (("plan.yml", split_plan(seed)), ("related.yml", split_facts(facts))):
        path = OUT / name
        data = _keep_reviewed(data, path)
        header = ("# Split by scripts/split_sources.py from the source text; `plain`, `terms` and `asked` "
                  "(questions people ask about the clause) are reviewed by hand.\n")
        path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
