"""Choosing the help for a situation and region, and the parts of the crisis, refusal and
other-language replies (wording in bot/wording.py; bot.present renders them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from bot import wording
from bot.hotlines import EMERGENCY, INTERNATIONAL, Directory
from bot.records import HelpGroup, Hotline
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
            found = _merge(directory.emergency(code), _perpetrator_lines(directory, code), found)
        return found
    if triage.kind == "refused":
        kinds = _REFUSAL_KINDS
    else:
        kinds = []
        for topic in triage.topics or (triage.topic,):
            kinds += [k for k in _TOPIC_KINDS.get(topic, _TOPIC_KINDS["general"]) if k not in kinds]
    found = directory.emergency(code)
    for kind in kinds:
        if kind == "perpetrator":
            found = _merge(found, _perpetrator_lines(directory, code))
            continue
        chosen = [h for h in directory.for_region(code, [kind]) if h.kind != EMERGENCY]
        if not chosen and code == INTERNATIONAL:
            chosen = directory.by_kind(kind)
        found = _merge(found, chosen)
    if len(found) == len(directory.emergency(code)):
        found = _merge(found, directory.local(code))  # none of those here: the region's own
    return found


def _perpetrator_lines(directory: Directory, code: str) -> list[Hotline]:
    """The region's own Stop It Now line (UK, US, Australia, Ireland's number for the UK line),
    none for other regions, and each one, labelled, when no region is chosen (hotlines.md:
    "the Stop It Now line of the person's region ... none elsewhere")."""
    if code == INTERNATIONAL:
        return directory.by_kind("perpetrator")
    return [h for h in directory.local(code) if h.kind == "perpetrator"]


def _merge(*groups: Sequence[Hotline]) -> list[Hotline]:
    out: list[Hotline] = []
    for group in groups:
        out += [h for h in group if h not in out]
    return out


@dataclass
class Reply:
    """The fixed parts of a safety reply, as the Answer record carries them."""

    lead: str
    help: list[HelpGroup]
    notes: list[str]
    more: list[str] = field(default_factory=list)


def crisis_reply(triage: Triage, hotlines: list[Hotline]) -> Reply:
    """For someone who may be in danger: the services first (the region's emergency number is
    rendered before everything, from `hotlines`), then short lines on leaving quickly, what the
    assistant cannot do and not sharing details; the situation's guidance can wait."""
    topics = triage.topics or (triage.topic,)
    services = [h for h in hotlines if h.kind != EMERGENCY]
    if "self_harm" in topics:
        services.sort(key=lambda h: h.kind != "suicide")  # stable: crisis line first
    lead = wording.CRISIS_SELF_HARM_LEAD if "self_harm" in topics else wording.CRISIS_LEAD
    notes = [wording.CRISIS_FIRST[t] for t in topics if t in wording.CRISIS_FIRST]
    notes += [wording.QUICK_EXIT, wording.CANNOT_CONTACT, wording.NO_DETAILS]
    more = []
    for topic in topics:
        guide = wording.CRISIS_GUIDANCE.get(topic, "")
        missing_lines = [h for h in hotlines if h.kind == "missing_child" and h.phone]
        if topic == "missing_child" and missing_lines:
            line = missing_lines[0]
            guide += " " + wording.CRISIS_MISSING_LINE.format(name=line.name, phone=line.phone)
        if guide:
            more.append(guide)
    return Reply(lead, [HelpGroup("", services)], notes, more)


def refusal_reply(hotlines: list[Hotline]) -> Reply:
    """For a refused request: brief, no tactics; the harm, the law, where to get help."""
    groups = [
        HelpGroup(wording.REFUSAL_STOP_IT_NOW, [h for h in hotlines if h.kind == "perpetrator"]),
        HelpGroup(wording.REFUSAL_HELP, [h for h in hotlines if h.kind != "perpetrator"]),
    ]
    lead = f"{wording.REFUSAL_LEAD} {wording.REFUSAL_HARM}"
    return Reply(lead, [g for g in groups if g.services], [wording.REFUSAL_OFFER])


def language_reply(triage: Triage, hotlines: list[Hotline]) -> Reply:
    """For a message in another language, in that language: the assistant reads only English;
    in danger, the emergency numbers; the services that speak many languages. Never quotes."""
    words = wording.translated(triage.language)
    if triage.kind == "refused":
        return Reply(words["refusal"], [HelpGroup("", list(hotlines))], [])
    lead = words["crisis_lead"] if triage.kind == "crisis" else words["only_english"]
    groups = [HelpGroup(words["danger"], [h for h in hotlines if h.kind == EMERGENCY and h.phone])]
    speakers = [h for h in hotlines if h.kind != EMERGENCY and h.speaks(triage.language)]
    if speakers:
        groups.append(HelpGroup(words["languages"], speakers))
    notes = [words["only_english"]] if triage.kind == "crisis" else []
    return Reply(lead, groups, [*notes, words["not_emergency"]])
