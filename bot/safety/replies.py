"""Choosing the help for a situation and region, and writing the crisis and refusal replies
(wording in bot/wording.py)."""

from __future__ import annotations

from collections.abc import Sequence

from bot import wording
from bot.hotlines import EMERGENCY, INTERNATIONAL, Directory
from bot.records import Hotline
from bot.safety.triage import Triage

_TOPIC_KINDS = {
    "self_harm": ["suicide"],
    "missing_child": ["missing_child", "report"],
    "sextortion": ["report", "sextortion", "csam_report"],
    "grooming": ["report", "child"],
    "labour": ["trafficking"],
    "trafficked": ["trafficking", "report"],
    "general": ["trafficking", "child", "report"],
}
_REFUSAL_KINDS = ["perpetrator", "trafficking", "report"]


def help_for(triage: Triage, directory: Directory, region: str | None) -> list[Hotline]:
    """The services that fit the situation and region, emergency first; never empty.

    Services come in the order of the situation's needs (a suicide line before a reporting
    line). With no region chosen, each country's service of a needed kind is listed, labelled.
    """
    code = directory.resolve(region)
    if triage.kind == "question":
        found = directory.for_region(code)
        if triage.topic == "perpetrator":
            found = _merge(directory.emergency(code), directory.by_kind("perpetrator"), found)
        return found
    if triage.kind == "refused":
        kinds = _REFUSAL_KINDS
    else:
        kinds = []
        for topic in triage.topics or (triage.topic,):
            kinds += [k for k in _TOPIC_KINDS.get(topic, _TOPIC_KINDS["general"]) if k not in kinds]
    found = directory.emergency(code)
    for kind in kinds:
        chosen = [h for h in directory.for_region(code, [kind]) if h.kind != EMERGENCY]
        if not chosen and (code == INTERNATIONAL or kind == "perpetrator"):
            chosen = directory.by_kind(kind)
        found = _merge(found, chosen)
    if len(found) == len(directory.emergency(code)):
        found = _merge(found, directory.local(code))  # none of those here: the region's own
    return found


def _merge(*groups: Sequence[Hotline]) -> list[Hotline]:
    out: list[Hotline] = []
    for group in groups:
        out += [h for h in group if h not in out]
    return out


def format_hotline(hotline: Hotline) -> str:
    """One Markdown list line: name, region, phone, text/chat, link, hours, what it is for."""
    ways = []
    if hotline.phone:
        ways.append(wording.HOTLINE_CALL.format(phone=hotline.phone))
    if hotline.text:
        ways.append(hotline.text)
    if hotline.url:
        ways.append(hotline.url)
    if hotline.hours:
        ways.append(hotline.hours)
    region = wording.REGION_LABELS.get(hotline.region, hotline.region)
    line = f"- **{hotline.name}** ({region})"
    if ways:
        line += ": " + " · ".join(ways)
    if hotline.purpose and hotline.kind != EMERGENCY:
        line += f". {hotline.purpose}"
    return line


def _emergency_line(hotlines: Sequence[Hotline]) -> str:
    numbers = [h for h in hotlines if h.kind == EMERGENCY and h.phone]
    if not numbers:
        return wording.CRISIS_EMERGENCY_LOCAL
    first = numbers[0]
    region = wording.REGION_LABELS.get(first.region, first.region)
    return wording.CRISIS_EMERGENCY.format(phone=first.phone, region=region)


def crisis_text(triage: Triage, hotlines: list[Hotline]) -> str:
    """Markdown for someone who may be in danger: emergency and hotlines first, then guidance."""
    topics = triage.topics or (triage.topic,)
    parts = [_emergency_line(hotlines)]
    if not any(h.kind == EMERGENCY and h.phone for h in hotlines):
        parts.append(wording.CRISIS_CHOOSE_REGION)
    if "self_harm" in topics:
        parts.append(wording.CRISIS_SELF_HARM_LEAD)
    else:
        parts.append(wording.CRISIS_LEAD)
    services = [h for h in hotlines if h.kind != EMERGENCY]
    if "self_harm" in topics:
        services.sort(key=lambda h: h.kind != "suicide")  # stable: crisis line first
    parts.append("\n".join(format_hotline(h) for h in services))
    for topic in topics:
        guide = wording.CRISIS_GUIDANCE.get(topic, "")
        missing_lines = [h for h in hotlines if h.kind == "missing_child" and h.phone]
        if topic == "missing_child" and missing_lines:
            line = missing_lines[0]
            guide += " " + wording.CRISIS_MISSING_LINE.format(name=line.name, phone=line.phone)
        parts.append(guide)
    parts += [wording.QUICK_EXIT, wording.CANNOT_CONTACT, wording.NO_DETAILS]
    return "\n\n".join(p for p in parts if p)


def refusal_text(hotlines: list[Hotline]) -> str:
    """Markdown for a refused request: brief, no tactics; the harm, the law, where to get help."""
    parts = [wording.REFUSAL_LEAD, wording.REFUSAL_HARM]
    worried = [h for h in hotlines if h.kind == "perpetrator"]
    if worried:
        parts.append(wording.REFUSAL_STOP_IT_NOW + "\n" + "\n".join(map(format_hotline, worried)))
    others = [h for h in hotlines if h.kind != "perpetrator"]
    if others:
        parts.append(wording.REFUSAL_HELP + "\n" + "\n".join(map(format_hotline, others)))
    parts.append(wording.REFUSAL_OFFER)
    return "\n\n".join(parts)
