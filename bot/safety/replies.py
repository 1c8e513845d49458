"""Choosing the help for a situation and region, and writing the crisis and refusal replies
(wording in bot/wording.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

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
    Someone writing in another language gets every emergency number (if no region is chosen)
    and the services that speak their language first.
    """
    code = directory.resolve(region)
    if triage.language != "en" and triage.kind != "refused":
        emergency = directory.emergency(code)
        if code == INTERNATIONAL:
            emergency = directory.emergency_numbers()
        speakers = [h for h in directory.speaking(triage.language, code) if h.kind != "perpetrator"]
        found = _merge(emergency, speakers)
        if triage.kind == "crisis":
            found = _merge(found, help_for(replace(triage, language="en"), directory, code))
        return found
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


def format_hotline(hotline: Hotline, words: dict[str, str] | None = None) -> str:
    """One Markdown list line: name, region, phone, text/chat, link, hours, what it is for.

    With `words` (a language's fixed replies, bot.wording.translated) the region is named in that
    language and the English parts (the call verb, hours, purpose) are left out.
    """
    english = words is None
    ways = []
    if hotline.phone:
        ways.append(wording.HOTLINE_CALL.format(phone=hotline.phone) if english else hotline.phone)
    if hotline.text:
        ways.append(hotline.text)
    if hotline.url:
        ways.append(hotline.url)
    if hotline.hours and english:
        ways.append(hotline.hours)
    line = f"- **{hotline.name}** ({_region_name(hotline.region, words)})"
    if ways:
        line += ": " + " · ".join(ways)
    if hotline.purpose and hotline.kind != EMERGENCY and english:
        line += f". {hotline.purpose}"
    return line


def _region_name(region: str, words: dict[str, str] | None) -> str:
    if words is None:
        return wording.REGION_LABELS.get(region, region)
    return words.get(f"region_{region}", region)


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


def language_text(triage: Triage, hotlines: list[Hotline]) -> str:
    """Markdown for a message in another language, in that language: the assistant reads only
    English; in danger, the emergency numbers; the services that speak many languages. Never
    quotes. Service names stay as they are; numbers come from the directory."""
    words = wording.translated(triage.language)
    if triage.kind == "refused":
        return "\n\n".join([words["refusal"], "\n".join(map(format_hotline, hotlines))])
    parts = [words["crisis_lead"]] if triage.kind == "crisis" else [words["only_english"]]
    by_number: dict[str, list[str]] = {}
    for h in hotlines:
        if h.kind == EMERGENCY and h.phone:
            by_number.setdefault(h.phone, []).append(_region_name(h.region, words))
    numbers = [f"- **{phone}** ({', '.join(regions)})" for phone, regions in by_number.items()]
    parts.append(words["danger"] + "\n" + "\n".join(numbers))
    speakers = [h for h in hotlines if h.kind != EMERGENCY and h.speaks(triage.language)]
    if speakers:
        lines = [format_hotline(h, words) for h in speakers]
        parts.append(words["languages"] + "\n" + "\n".join(lines))
    if triage.kind == "crisis":
        parts.append(words["only_english"])
    parts.append(words["not_emergency"])
    return "\n\n".join(parts)
