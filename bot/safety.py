"""Triage before retrieval: help people in danger first, refuse requests to exploit people.

No language model is available, so triage combines two signals:

1. Rules over a normalised message: first-person cue phrases (being controlled, threatened,
   blackmailed, held, watched, a taken passport, debts, self-harm), worried third-person cues
   ("my daughter is being blackmailed"), and first-person intent to recruit, groom, sell or control
   people or to evade police, detection or moderation. Negations and hypotheticals ("I am not in
   danger", "what if someone took my passport") switch a cue off; fiction or research framing
   never unlocks tactics.
2. Cosine similarity to small sets of intent examples (`bot/data/intents.json`), embedded once,
   which catches phrasings the rules miss, but only where the message is personal (crisis) or
   asks how *to do* something (refused), so questions about how traffickers operate stay answered.

Also here: the crisis and refusal replies (wording in bot/wording.py) and the choice of hotlines.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from bot import wording
from bot.embedding import Encoder
from bot.hotlines import EMERGENCY, INTERNATIONAL, Directory
from bot.records import Hotline

INTENTS_PATH = Path(__file__).resolve().parent / "data" / "intents.json"

Kind = Literal["question", "crisis", "refused"]

# Similarity thresholds. A group's score is the mean of its TOP_K best cosines. Calibrated on the
# development questions, tests/data/triage_cases.jsonl and ~300 further hand-written messages:
# no ordinary personal question came within +0.02 of either margin; the similarity step only
# decides where no rule fired, and only for personal messages (crisis) or how-to requests (harm).
TOP_K = 3
MAX_CHARS = 2000  # longer messages are triaged on their start, as the Bot answers them
CRISIS_MIN = 0.42  # personal message, no rule: this close to the crisis examples ...
CRISIS_MARGIN = 0.06  # ... and this much closer to them than to ordinary questions
CRISIS_WEAK_MIN = 0.38  # with a weak cue (fear, urgency, a worried relative) less is needed
CRISIS_WEAK_MARGIN = 0.03
HARM_MIN = 0.36  # asks how to do something: this close to the exploitation examples ...
HARM_MARGIN = 0.07  # ... this much closer to them than to ordinary questions, and no closer
# to the crisis examples (a request and a plea share their vocabulary; with no rule cue for
# danger, "how do I ..." nearest the exploitation examples is a request).


@dataclass(frozen=True)
class Triage:
    """The triage decision. `reason` is for debugging and tests, never shown to a person.

    `topic` is the main situation; `topics` all situations found (main first), so the help can
    cover, say, sextortion and self-harm at once.
    """

    kind: Kind
    topic: str = "general"
    reason: str = ""
    topics: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------
# Normalising: lower case, straight quotes, contractions and chat spellings expanded.
# --------------------------------------------------------------------------------------------

_REPLACEMENTS = [
    (r"[\u2018\u2019\u201b\u2032`´]", "'"),
    (r"[\u201c\u201d\u201e\u00ab\u00bb\"]", " "),
    (r"\bi'?m\b", "i am"),
    (r"\bi've\b|\bive\b", "i have"),
    (r"\bi'll\b", "i will"),
    (r"\bi'd\b", "i would"),
    (r"\bcan'?t\b", "cannot"),
    (r"\bwon'?t\b", "will not"),
    (r"\bain'?t\b", "is not"),
    (r"\b(do|does|did|is|are|was|were|has|have|had|could|should|would|must|need)n'?t\b", r"\1 not"),
    (r"\b(he|she|it|that|there|what|who|everyone|nobody)'s\b", r"\1 is"),
    (r"\b(you|they)'?re\b|\b(we)'re\b", r"\1\2 are"),  # not "were"
    (r"\b(you|we|they|he|she|it)'ll\b", r"\1 will"),
    (r"\b(you|we|they|he|she)'d\b", r"\1 would"),
    (r"\b(you|we|they)'ve\b", r"\1 have"),
    (r"n't\b", " not"),
    (r"\bwhats\b", "what is"),
    (r"\br\b", "are"),
    (r"\bgonna\b", "going to"),
    (r"\bwanna\b", "want to"),
    (r"\bgotta\b", "have to"),
    (r"\bu\b", "you"),
    (r"\bur\b", "your"),
    (r"\bpl[sz]\b", "please"),
    (r"\b(?:bf)\b", "boyfriend"),
    (r"\b(?:gf)\b", "girlfriend"),
    (r"\bpix\b", "pics"),
    (r"\bmom\b|\bmommy\b|\bmam\b", "mum"),
    (r"\bneighbor", "neighbour"),
    (r"\b(\d+) ?(?:yo|y/o|yrs? old|years? old|yr|yrs)\b", r"\1 year old"),
    (r"(?<![a-z])'|'(?![a-z])", " "),  # quote marks, not apostrophes inside words
    (r"\s+", " "),
]
_COMPILED_REPLACEMENTS = [(re.compile(p), r) for p, r in _REPLACEMENTS]


def normalise(text: str) -> str:
    """Lower-case, expand contractions, unify quotes, so one pattern covers many spellings."""
    t = unicodedata.normalize("NFKC", text).lower()
    for pattern, replacement in _COMPILED_REPLACEMENTS:
        t = pattern.sub(replacement, t)
    return t.strip()


_SENTENCE_SPLIT = re.compile(r"[.!?;\n]+|\s-\s|:\s")
_CLAUSE_SPLIT = re.compile(r",|\bbut\b|\bthough\b|\balthough\b|\bhowever\b|\band\b|\bso\b|\(|\)")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_SPLIT.split(text) if s.strip()]


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# --------------------------------------------------------------------------------------------
# Vocabulary shared by the rules.
# --------------------------------------------------------------------------------------------

_FAMILY_WORDS = (
    r"daughters?|sons?|child|children|kids?|sisters?|brothers?|siblings?|nieces?|nephews?|"
    r"cousins?|friends?|girlfriend|boyfriend|wife|husband|partner|mum|dad|mother|father|"
    r"parents?|grandsons?|granddaughters?|grandchild(?:ren)?|students?|pupils?|"
    r"teens?|teenagers?|stepdaughter|stepson|family"
)
_FAMILY = f"(?:{_FAMILY_WORDS}|class)"
_PEOPLE_NOUN = (
    r"(?:girls?|boys?|women|woman|men|kids?|child(?:ren)?|teens?|teenagers?|minors?|youngsters|"
    r"young people|people|persons?|victims?|someone|somebody|her|him|them|workers?|migrants?|"
    r"students?|runaways?|females?|ladies|lady|\d+ year olds?|maids?|recruits?|guys|dudes|lads|"
    r"gamers|users|strangers|followers|members|brides?|wives|wife|"
    r"(?:\d+|\w+teen) ?year ?olds?)"
)
# Up to three modifiers ("more young girls", "a 13 year old girl"); never one's own family or
# class ("my younger kids"), whose parents and teachers ask how to keep them safe.
# A partner under 18 is not exempt: "my 17 year old girlfriend" is a child.
_MINOR_PARTNER = r"(?:my|our|his) (?:[5-9]|1[0-7]) year old (?:girlfriend|boyfriend|partner)"
_PEOPLE = (
    rf"(?:{_MINOR_PARTNER}|"
    rf"(?!(?:my|our|your) (?:\w+ ){{0,2}}{_FAMILY}\b)"
    r"(?:(?:a|an|the|some|more|other|young|younger|underage|teenage|vulnerable|these|those|new|"
    r"my|our|his|lonely|poor|desperate|local|foreign|migrant|domestic|female|live-in|farm|"
    r"factory|\d+|\d+ year old|\w+teen year old)\s+){0,3}"
    rf"{_PEOPLE_NOUN}\b(?!'))"
)
_YOUNG = (
    r"\b(?:girls?|boys?|kids?|child(?:ren)?|teens?|teenagers?|minors?|underage|\d+ year olds?|"
    r"nephews?|nieces?)\b"
)
# Partners, not children: parents may lawfully monitor their own children's phones.
_PARTNER = r"(?:wife|girlfriend|boyfriend|husband|partner|ex|ex-\w+|fiancee?|spouse|date|crush)"
_IMAGES = r"(?:nudes?|pics?|pictures?|photos?|videos?|vids?|images?|selfies?|content|clips?)"
_FIRST_PERSON = _c(r"\b(?:i|me|my|mine|myself|we|us|our)\b")

# Words between "how do I" and a harmful verb that show someone else is the actor, or that the
# asker wants to recognise or prevent it ("how do I know if someone is grooming my child").
# Outcome clauses ("... so she trusts me") can sit far from "how do I"; between the two only
# another actor or a wish to recognise or prevent blocks them.
_GAP_BLOCK_LIGHT = _c(
    r"\b(?:traffickers?|predators?|groomers?|criminals?|pimps?|abusers?|scammers?|offenders?|"
    r"gangs?|someone|somebody|recognis\w*|recogniz\w*|spot|detect\w*|identify|know if|tell if|"
    r"prevent\w*|protect\w*|avoid|report\w*|warn\w*|signs?|help(?:s|ed|ing)?|rescue\w*|support\w*|"
    r"check\w*|verify|find out|whether|know when|tell when)\b|"
    # someone else doing it: "what should I do, her boss made her hand over her passport"
    r"(?<!\bi )(?<!\bwe )\b(?:made|makes|forced|forces|took|takes|punishes|punished|threatens|"
    r"threatened|keeps|kept|is making|are making|is forcing|are forcing)\b"
)
_GAP_BLOCK = _c(
    r"\b(?:if|when|whether|who|that|which|because|after|before|while|why|what|traffickers?|"
    r"predators?|groomers?|criminals?|pimps?|abusers?|scammers?|offenders?|gangs?|they|he|she|"
    r"someone|somebody|people|others|anyone|recognis\w*|recogniz\w*|spot|detect\w*|identify|"
    r"know|tell|prevent\w*|protect\w*|avoid|report\w*|warn\w*|teach my|talk to my|stop them|"
    r"stop (?:my|our|a|the|kids|children|people)|"
    r"understand|explain|notice|signs?|help (?:a|her|him|them|victims?|my))\b"
)

# Asking how to do something oneself (or as "you"/"one"), or stating one's own plan.
_ACTOR = _c(
    r"\b(?:how (?:do|can|could|should|would|might|will|shall) (?:i|we|one|you)|how to|"
    r"how does one|(?:how|what) (?:am|are|is) (?:i|we|you|one) (?:supposed|meant|expected) to|"
    r"(?:trick|secret|key|knack) (?:to|for|of)|"
    r"need (?:\w+ )?(?:tips|advice|ideas|help) (?:on|for|with)|"
    r"how (?:would|could|does|do|might|should) (?:a|the|my|his|her) (?:character|"
    r"protagonist|villain|antagonist)|"
    r"(?:best|easiest|fastest|safest|quickest|simplest|good|smart|smartest|effective|surest|"
    r"most (?:effective|convincing|persuasive|believable|successful|reliable)) "
    r"(?:\w+ ){0,2}?(?:to|for|of|so|that|where|which)|ways? to|"
    r"\w+est (?:\w+ )?(?:way|method|trick|story|excuse|line|lie|approach|app|site)s? "
    r"(?:to|for|so)|"
    r"what should (?:the|my|our|a|an) (?:\w+ ){0,3}(?:say|include|promise|offer|look like)|"
    r"how (?:i|we) (?:can |could |should |would |will )?\w+|tips? (?:for|on|to)|help me|"
    r"teach me|show me|tell me (?:how|what|the best)|"
    r"explain (?:to me )?(?:in detail )?how (?:to|i|you)|give me|write(?: me)?|"
    r"what (?:should|do|can|could|would|must) (?:i|we)|(?:which|what) (?:\w+ ){1,3}?(?:should|do|"
    r"can|could) (?:i|we)|"
    r"(?:i|we) (?:really )?(?:want|need|plan|am planning|are planning|am trying|are trying|"
    r"am going|are going|would like|intend|hope|mean|have) to|"
    r"(?:can|could|should|may) (?:i|we)|i am looking (?:for|to)|let me|"
    r"(?:i|we) (?:will|would|could|can|must|should)|"
    r"(?:i|we) (?:run|manage|own|have)(?: (?:a|an|some|my|the))?(?: (?:girls?|club|agency|"
    r"business|workers?|women))?|"
    r"where (?:can|do|could|should|would) (?:i|we|one)|where to|"
    r"(?:i|we) (?:want|need|would like|expect) (?:my|our) (?:\w+ ){0,2}?to|"
    r"is it (?:\w+er|best|wiser|more effective) to|"
    r"(?:believable|convincing|plausible|good) (?:reason|excuse|story|lie|explanation) "
    r"(?:to give|to tell|for)|"
    r"(?:i|we) (?:need|want) (?:a|an|some) (?:\w+ )?(?:script|message|story|excuse|text|template|"
    r"lines?|plan|pitch|ad|advert|post|profile)s?|"
    r"what (?:do|does|would|should|could) (?:you|one) (?:say|text|write|send|message|tell) to|"
    r"(?:which|what) (?:\w+ ){1,2}(?:would|will|can|could) (?:keep|hide|let|help|get|make)|"
    # Speaking as the owner of people ("my girls", "our workers owe us").
    r"(?:my|our) (?:girls|workers|maids|recruits))\b"
)

# Framing that must not unlock tactics, and signs that tactics (not understanding) are wanted.
_FICTION = _c(
    r"\b(?:novel|story|stories|screenplay|script|fiction|fictional|role ?play|pretend|"
    r"(?:a|my|the|video) game (?:i am|we are) (?:designing|making|writing|building)|"
    r"character|podcast|true crime|movie|film|hypothetical(?:ly)?|for research|"
    r"research purposes|educational purposes|thought experiment|game master)\b"
)
_TACTIC = _c(
    r"\b(?:step[- ]by[- ]step|in (?:great |full |more |explicit |precise )?detail|detailed|"
    r"be (?:specific|precise|detailed)|specifically|exact(?:ly)? (?:what|how|words|messages|"
    r"wording|script|steps|lines|phrases)|word for word|playbook|template|"
    r"(?:teach|show|tell|give) me (?:the |your |some |their )?(?:techniques|tactics|methods|"
    r"tricks|tips|secrets|scripts?|playbook|steps)|"
    r"what (?:exactly )?(?:to|should (?:he|she|they|my character)|would (?:he|she|they|"
    r"my character)) (?:write|say|send|text|message|post)|"
    r"(?:write|draft|compose|generate|create|give me|list) (?:me )?(?:the|a|an|some|example|"
    r"sample)? ?(?:\w+ ){0,2}(?:messages?|texts?|dms?|scripts?|ads?|adverts?|posts?|profiles?|"
    r"bios?|pitch|lines?|captions?|listings?|dialogue|conversation|chat|opening lines?)|"
    r"so it (?:feels|sounds|seems|is) (?:real|realistic|authentic|believable)|realistic)\b"
)
_HOW_WOULD = _c(
    r"\b(?:how (?:would|could|does|do|might|should|will)|describe|explain|show|walk me through|"
    r"what would)\b"
)
_PROTECTIVE = _c(
    r"\bso (?:that )?(?:i|we|parents|teachers|students|kids|people) (?:can|could|will) "
    r"(?:recognis|recogniz|spot|protect|warn|talk|teach|help|prevent|notice|report|understand)"
)

# --------------------------------------------------------------------------------------------
# Requests to exploit people or evade detection: (name, pattern). All need the asker as actor.
# --------------------------------------------------------------------------------------------

# Verb forms only ("recruit", "recruiting"), never nouns ("recruiters", "traffickers").
_VERB_FORMS = {
    "recruit": "|s|ed|ing",
    "groom": "|s|ed|ing",
    "lur": "e|es|ed|ing",
    "entic": "e|es|ed|ing",
    "traffic": "|s|ked|king",
    "sell": "|s|ing",
    "sold": "",
    "pimp": "|s|ed|ing",
    "prostitut": "e|es|ed|ing",
    "exploit": "|s|ed|ing",
    "trap": "|s|ped|ping",
    "kidnap": "|s|ped|ping",
    "abduct": "|s|ed|ing",
    "snatch": "|es|ed|ing",
    "smuggl": "e|es|ed|ing",
    "rent": " out|s out|ed out|ing out",
    "manipulat": "e|es|ed|ing",
    "brainwash": "|es|ed|ing",
    "coerc": "e|es|ed|ing",
    "isolat": "e|es|ed|ing",
    "blackmail": "|s|ed|ing",
    "sextort": "|s|ed|ing",
    "extort": "|s|ed|ing",
    "intimidat": "e|es|ed|ing",
    "drug": "|s|ged|ging",
    "catfish": "|es|ed|ing",
    "enslav": "e|es|ed|ing",
    "threaten": "|s|ed|ing",
    "control": "|s|led|ling",
}
_HARM_VERB = "(?:" + "|".join(f"{stem}(?:{ends})" for stem, ends in _VERB_FORMS.items()) + r")\b"
_HARM = [
    ("exploit_people", _c(rf"\b{_HARM_VERB} (?:out )?{_PEOPLE}")),
    # A child of the family persuaded into sexual acts: the family exemption does not apply.
    (
        "family_sexual",
        _c(
            r"\b(?:make|get|persuade|convince|force|pressure|have|let|talk)\w* (?:my|our) "
            rf"(?:[\w']+ ){{0,2}}?(?:{_FAMILY_WORDS}) (?:to |into )?(?:do (?:private |webcam |cam |"
            r"sex |live )?shows|sleep with|have sex|pose (?:for|naked|nude)|strip|do porn|meet "
            r"(?:men|my friends|clients|guys|customers))"
        ),
    ),
    # Keeping a family from reporting her missing or calling the police.
    (
        "stop_report",
        _c(
            r"\b(?:keep|stop|prevent)\w* (?:a |an |the |her |his |their )?(?!my |our )"
            r"(?:[\w']+ )?(?:parents|family|mum|dad|mother|father|friends) from (?:reporting|"
            r"calling|contacting|going to|telling)"
        ),
    ),
    # Finding where a child can be met in person.
    (
        "locate_child",
        _c(
            r"\bfind (?:out )?(?:a |an |this |that |the |her |his )?(?!(?:my|our|your|their) )"
            r"(?:\w+ )?(?:girl|boy|kid|child|"
            r"teen|student)'?s? (?:school|address|home|house|location)\b"
        ),
    ),
    # Asking to become one: "tell me how to become a pimp".
    (
        "become",
        _c(
            r"\b(?:become|becoming|be|start out as|work as|get started as) (?:a |an )?"
            r"(?:successful |good |real )?(?:pimp|trafficker|human trafficker|sex trafficker|madam|"
            r"people smuggler)s?\b"
        ),
    ),
    # Wanting a partner to have sex with others for money.
    (
        "pimp_partner",
        _c(
            rf"\b{_PARTNER} (?:\w+ ){{0,2}}?(?:to )?(?:start |begin )?(?:seeing|sleeping with|"
            r"meeting|having sex with|servicing|entertaining|doing stuff with) (?:other |older |"
            r"rich |some )?(?:men|guys|clients|customers|johns) for (?:money|cash|pay)\b"
        ),
    ),
    (
        "pimp_family",
        _c(
            r"\b(?:pimp|pimping|pimped|prostitut\w*|traffic(?:king|ked|s)?) (?:out )?(?:my|our|her|"
            rf"his) (?:\w+ ){{0,2}}(?:{_FAMILY_WORDS}|girls?|women)\b"
        ),
    ),
    # "buy her a phone" is not buying a person: pronouns do not count here.
    (
        "buy_people",
        _c(rf"\b(?:buy|buying|bought) (?!(?:her|him|them|someone|somebody)\b){_PEOPLE}"),
    ),
    (
        "stop_leaving",
        _c(
            rf"\b(?:keeps?|keeping|stops?|stopping|prevents?|preventing) {_PEOPLE} "
            r"(?:from )?(?:just |simply )?(?:leaving|running|escaping|quitting|"
            r"walking (?:off|out|away)|going (?:home|to the police|to the cops)|"
            r"(?:switching|changing) (?:jobs|employers|bosses)|finding other work|"
            r"contacting|calling|reporting|telling|getting help|asking for help|talking to "
            r"(?:the police|police|cops|anyone|outreach|social workers|their|her|his)|"
            r"speaking to|seeing (?:their|her|his) family)"
        ),
    ),
    # Keeping people cut off: no language, friends, phone or outings.
    (
        "isolate_people",
        _c(
            rf"\b(?:keeps?|keeping|stops?|stopping|prevents?|preventing) (?:{_PEOPLE}|(?:my |our |"
            r"the )?(?:staff|employees)) (?:from )?(?:learning (?:the language|the local language|"
            r"english|\w+ish|to read)|making (?:any )?friends (?:at all|outside|locally|with "
            r"(?:the )?(?:neighbours|locals|other workers|other girls))|going out (?:alone|on "
            r"their own|by themselves)|talking to (?:the )?neighbours)"
        ),
    ),
    # Keeping the people who could help away from the people one holds.
    (
        "block_contact",
        _c(
            r"\b(?:keeps?|keeping|stops?|stopping|prevents?|preventing) (?:the )?(?:\w+ )?"
            r"(?:police|cops|inspectors?|social workers?|outreach workers?|authorities|teachers?|"
            r"doctors?|nurses?|neighbours?|embassy|journalists?|charities|ngos?) from (?:talking|"
            r"speaking|getting|reaching|meeting|seeing) (?:to |with )?(?:them|her|him|the (?:girls|"
            r"women|workers|maids|kids)|my (?:girls|workers|maids|staff))\b"
        ),
    ),
    (
        "make_people",
        _c(
            r"\b(?:make|making|force|forcing|get|getting|have|having|pressure|pressuring|"
            r"convince|convincing|persuade|persuading|trick|tricking|push|pushing|coerce|"
            rf"coercing|talk|talking) {_PEOPLE} (?:to |into )?(?:work for (?:me|us)|"
            # Secrecy and a move to a private channel: the grooming pattern in the sources.
            r"keep (?:it|this|us|things|everything|our \w+|the \w+|(?:\w+ )?secrets?)"
            r"(?: a| as a)? ?(?:secret|hidden|quiet|private|between us|from)|"
            r"(?:move|switch|take) (?:the |our |this )?(?:chat|conversation|talk|it|things) "
            r"(?:\w+ )?(?:to|onto|over to|into)|working for (?:me|us)|"
            r"work (?:it |that |this |the debt |the money )?off|"
            rf"sleep with|have sex|do sex work|sell (?:themselves|their bodies|sex|her body)|"
            rf"send (?:me |us )?(?:\w+ )?{_IMAGES}|sending (?:me |us )?{_IMAGES}|strip|do porn|"
            r"meet (?:me|up|with me)|come (?:to me|with me|with him|with her|with us|abroad|over)|"
            r"come (?:over |round |back )?to (?:my|our) (?:place|house|home|flat|apartment|room|"
            r"hotel|car)|"
            r"(?:fly|travel|move|go|relocate) (?:out|over|abroad|overseas|to)|"
            r"(?:think|believe) (?:that )?(?:they|she|he) (?:owe|have to|must)|"
            r"keep quiet|lie to|too (?:scared|afraid|frightened|ashamed) to|"
            r"do (?:webcam|cam|sex|live|private) (?:shows|work|streams)|"
            r"(?:think|believe|feel) (?:that )?(?:\w+ ){0,5}?(?:is|are) (?:normal|okay|ok|fine|"
            r"no big deal|what everyone does)|"
            r"sign (?:\w+ ){0,3}?(?:contracts?|papers|agreements?|documents?|forms?) (?:\w+ ){0,3}?"
            r"(?:cannot|can not|does not|do not|could not|will not) (?:read|understand)|"
            r"feel (?:like|that) (?:he|she|they) (?:owes?|has to|have to|must)|"
            r"stay (?:with|at|in) (?:me|us|my|our)|work (?:\w+ ){0,3}off|"
            r"stay quiet|do what (?:i|we) say|obey|pay (?:me|us|up)|pay or|into debt|"
            r"into prostitution|into sex work|trust (?:me|us)|not (?:tell|report|talk)|"
            r"(?:dependent|reliant|obedient|loyal|addicted|indebted) (?:on |to )?(?:me|us)|"
            r"owe (?:me|us|you)\b|(?:be |feel )?in (?:my|our|your) debt|"
            r"(?:rely|depend) (?:only )?on (?:me|us)|(?:stop|quit) (?:answering|calling|talking to|"
            r"seeing|texting|listening to) (?:her|his|their) (?:\w+ )?(?:parents|family|mum|dad|"
            r"friends|calls))"
        ),
    ),
    (
        "manipulate",
        _c(
            r"\bso (?:that )?(?:she|he|they|the girls?|the kids?|"
            r"(?:young |the )?(?:guys|boys|women|people|workers|teens)|(?:a|the|this|that) "
            r"(?:young |little )?(?:girl|boy|teen|teenager|kid|child|minor|\d+ year old))"
            r"(?: will| would| will have to| has to| have to| must)? "
            r"(?:(?:\w+ ){1,2}(?:and|then) )?"
            r"(?:(?:trusts?|comes?|goes?|do|does|depends?|relies?|sends?|meets?|obeys?|"
            r"(?:will |would )?(?:trust|come|go|do|depend|rely|send|meet|obey)) (?:me|us|with me|"
            r"with us|(?:anything|what|whatever) (?:i|we|he|you) (?:say|says|want|wants|ask|asks)|"
            r"on me|on us|(?:me |us )?(?:nudes|pics|photos|pictures|videos))|obeys?|complies|"
            r"comply|submits?|gives in|stays? quiet|keeps? quiet|"
            r"keeps? (?:doing|sending|paying|working|coming)|(?:pays?|keeps? paying) (?:me|us)|"
            r"(?:trusts?|believes?) (?:it|the (?:ad|profile|offer|story|job))|"
            r"(?:lets?|allows?) (?:her|him|them) (?:come|go|travel|move|work)(?: \w+){0,3} "
            r"(?:for me|with me|for us|with us|abroad|overseas))\b"
        ),
    ),
    # The asker as captor or stalker: the outcome is that someone cannot get away or is watched.
    (
        "confine",
        _c(
            r"\bso (?:that )?(?:she|he|they|the girls?|the women|the workers?|the kids?) "
            r"(?:\w+ ){0,3}?(?:cannot|can not|could not|will not be able to|is not able to|"
            r"are not able to|never) (?:leave|get away|run|run off|run away|escape|quit|go home)\b|"
            r"\b(?:make|making) sure (?:that )?(?:she|he|they|the girls?|the women|the workers?|"
            r"the kids?|my (?:girls|workers)) (?:cannot|can not|could not|will not|never) (?:leave|"
            r"get away|run|run off|run away|escape|quit|go home|go back|go to the police|report)\b|"
            r"\b(?:take|bring|send|move|keep|put|ship|fly)\w* (?:\w+ ){0,6}?where (?:she|he|they) "
            r"(?:will not|cannot|can not|would not|does not|do not) "
            r"(?:understand|speak|know|get help|ask for help|escape|leave|contact|call)\b"
        ),
    ),
    # Taking someone's documents, wages or means of living: coercive control.
    (
        "take_control",
        _c(
            r"\b(?:hand|sign|turn|give) (?:over|up) (?:her|his|their|the) (?:\w+ )?(?:passports?|"
            r"papers|documents|ids?|wages|salary|salaries|earnings|money|bank cards?|phones?)\b|"
            r"\bnever (?:have|get|keep) (?:her|his|their) own (?:money|bank|phone|card|account|"
            r"wages|passport)"
        ),
    ),
    # Punishing some so the rest obey.
    (
        "make_example",
        _c(
            r"\bso (?:that )?(?:the )?(?:others|rest|other (?:girls|workers|ones|women|kids)) "
            r"(?:will |would )?(?:fall in line|obey|comply|behave|get the message|learn|do as they "
            r"are told|keep quiet|stay quiet|do not (?:try|think about))"
        ),
    ),
    (
        "stalk",
        _c(
            r"\b(?:put|install|hide|plant|sneak|load|add|use|get)\w* (?:a |an |the |some )?"
            r"(?:\w+ ){0,2}(?:spy|spying|tracking|tracker|stalkerware|spyware|keylogger|"
            r"location|monitoring|gps)\w*(?: (?:app|apps|software|tool|device))? (?:on|in|into) "
            rf"(?:my |the |her |his )?{_PARTNER}'?s? (?:\w+ )?(?:phone|iphone|laptop|car|device|"
            rf"computer)|\b(?:spy|spying|tracking|tracker|stalkerware|spyware|keylogger|gps)\w* "
            r"(?:app|apps|software|tool|device)? ?(?:\w+ ){0,4}(?:put|install|hide|plant|sneak|"
            rf"load|add)\w* (?:it )?(?:on|in|into) (?:my |the |her |his )?{_PARTNER}'?s? "
            r"(?:\w+ )?(?:phone|iphone|laptop|car|device|computer)|"
            rf"\bspy(?:ing)? on (?:my |the )?{_PARTNER}\b|\b(?:install|put|hide)\w* stalkerware\b"
        ),
    ),
    (
        "break_in",
        _c(
            r"\bbreak(?:ing|s)? (?:in |down )?(?:a |the |new |my |our )*(?:new )?(?:girls?|women|"
            r"recruits?)\b"
        ),
    ),
    (
        "move_people",
        _c(
            r"\b(?:move|moving|bring|bringing|brought|get|getting|ship|shipping|transport\w*|"
            r"import\w*|smuggl\w*|fly|flying|take|taking) (?:the |my |our |more |some |young )?"
            r"(?:girls|women|boys|kids|children|minors|victims)\b (?:\w+ ){0,4}?(?:across|over|"
            r"through|into|from|abroad|past|overseas|to (?:the|another|a) )"
        ),
    ),
    (
        "deceive",
        _c(
            r"\bwithout (?:them|her|him|the girls|the women|the kids|the boys) (?:\w+ )?(?:knowing|"
            r"realis\w*|realiz\w*|understanding|suspecting|finding out|noticing|seeing)\b|"
            r"\bso (?:they|she|he|"
            r"the girls?|the women) (?:do not|does not|will not|would not|never) (?:realis\w*|"
            r"realiz\w*|know|understand|find out) (?:what|the|it)|"
            # A cover story: "telling her parents it is a scholarship when it is really ..."
            r"\bwhen (?:it is|its|it will be|they will be|she will be|he will be) (?:really|"
            r"actually|in fact|secretly)\b"
        ),
    ),
    (
        "young_business",
        _c(
            r"\b(?:start|run|open|set up|setup|launch|grow|build|starting|running|opening)\w* "
            r"(?:a |an |my |our )?(?:\w+ ){0,2}(?:webcam|cam|escort|massage|modell?ing|porn|"
            r"content|sex|adult|onlyfans|dating|companion\w*|hostess) (?:business|agency|site|"
            rf"studio|service|club|page|channel)\b(?=.{{0,60}}{_YOUNG})"
        ),
    ),
    (
        "hide_contact",
        _c(
            r"\b(?:hide|hiding|conceal\w*|keep\w* (?:\w+ )?secret|delet\w*|cover\w* up)\w* "
            r"(?:\w+ ){0,3}(?:chats?|messages?|texts?|conversations?|relationship|contact|dms?|"
            r"meetings?) with (?:a |an |the |this |that )?(?:\w+ ){0,2}(?:\d+ year old|minors?|"
            r"kids?|child|girls?|boys?|teens?|teenagers?|students?|underage)"
        ),
    ),
    (
        "debt_bondage",
        _c(
            r"\b(?:get|put|keep|trap|lock|push|drive|getting|keeping|putting) (?:\w+ ){0,2}"
            r"(?:in|into|under) (?:debt|bondage)|\bso (?:they|she|he) (?:have|has|must|will have)"
            r" to (?:start )?(?:work|pay)|"
            # Recruitment fees taken from wages: the debt that binds migrant workers.
            r"\b(?:deduct|take|withhold|keep|dock)\w* (?!(?:\w+ )?(?:my|our) )(?:\w+ ){0,2}"
            r"(?:salary|salaries|wages|pay|"
            r"earnings) (?:\w+ ){0,3}?(?:for|to cover|to pay(?: for| off)?) "
            r"(?:the |their |her |his )?(?:agency|recruitment|placement|visa|travel|flight|"
            r"training) (?:fees?|costs?|debts?)|"
            # A debt owed to the asker, then leaving: "they owe me ... what stops them leaving".
            r"\b(?:owes?|owed|owing) (?:me|us)\b.{0,80}?\b(?:leav\w*|walk\w* (?:off|out|away)|"
            r"quit\w*|run\w* (?:off|away)|escap\w*|go(?:ing)? home)\b|"
            r"\b(?:pay|paid|paying|work|working) (?:\w+ ){0,3}(?:off|back)\b.{0,40}?\bbefore "
            r"(?:she|he|they) (?:is|are|can|could|may|gets?|get) (?:\w+ )?(?:leave|go|allowed)"
        ),
    ),
    # Looking for people who are easy to exploit; those who look for them to help say so.
    (
        "seek_vulnerable",
        _c(
            r"\b(?:find|meet|pick up|get|target|locate)\w* "
            r"(?:\w+ ){0,2}?(?:runaways?|homeless (?:girls?|boys?|kids?|teens?|youth|women)|"
            rf"(?:lonely|vulnerable|desperate|isolated|naive|needy|broke) (?:\w+ )?{_PEOPLE_NOUN})"
            r"\b(?!.{0,60}\b(?:help|support|protect|rescue|mentor|volunteer|shelter|safe|"
            r"at risk|groomed|might be|may be)\w*)"
        ),
    ),
    # Looking for children nobody watches over.
    (
        "seek_unsupervised",
        _c(
            r"\bwhich (?!of my (?:students|pupils|class))(?:\w+ ){0,4}?(?:kids|children|girls|"
            r"boys|teens|minors|followers|members|users)\b (?:\w+ ){0,6}?(?:(?:have|with) parents "
            r"(?:who |that )?(?:do not|does not|never|rarely|barely) (?:check|watch|monitor|care|"
            r"look)|(?:are|is) (?:\w+ ){0,3}?(?:alone|unsupervised|home alone|neglected))\b"
            r"(?!.{0,60}\b(?:help|support|protect|safe|club|reach out|talk to (?:their|the) "
            r"parents|workshop|teach|warn|inform|educat)\w*)"
        ),
    ),
    # Punishing someone for seeking help or trying to get away.
    (
        "retaliate",
        _c(
            r"\b(?:punish|discipline|teach (?:\w+ )?a lesson|get back at|make an example of|beat|"
            rf"hurt|hit|slap|rough up|scare)\w* {_PEOPLE} (?:\w+ ){{0,2}}?(?:who|that|for|if|when|"
            r"after) (?:\w+ ){0,3}?(?:(?:call|contact|tell|told|report|talk|went|go|ran|complain)"
            r"\w* (?:\w+ ){0,2}(?:police|cops|embassy|consulate|authorities|family|parents|"
            r"anyone|someone|hotline|outreach|lawyer|social workers?|union|labou?r inspectors?)|"
            r"escap\w*|(?:run|ran|running) away|(?:tried|try\w*) to (?:leave|run|get away|quit))"
        ),
    ),
    # Recruitment lures aimed at children: modelling, casting, webcam, "sugar" offers.
    (
        "lure_minors",
        _c(
            r"\b(?:modell?ing|casting|photo ?shoots?|webcam|cam|sugar|escort|hostess|dancer|"
            r"dancing|influencer|brand ambassador)\w* (?:\w+ ){0,3}?(?:offers?|ads?|adverts?|"
            r"posts?|listings?|messages?|pitch|dms?|jobs?|gigs?) (?:\w+ ){0,2}?(?:aimed at|"
            rf"targeting|targeted at|meant for|to send to) (?:\w+ ){{0,2}}{_YOUNG}"
        ),
    ),
    (
        "lie_to_police",
        _c(
            rf"\b(?:coach|teach|train|tell|instruct|prepare|script|get) {_PEOPLE} (?:what )?to "
            r"(?:say|tell|lie|answer)|\bso (?:she|he|they) (?:does not|do not|will not|would not|"
            r"never) (?:say|tell|admit|mention)"
        ),
    ),
    (
        "fake_profile",
        _c(
            r"\b(?:make|create|set up|setup|build|run|write|design|start|open|use|word|draft|"
            r"post|making|creating|setting up|running)\w* (?:\w+ ){0,3}(?:fake|false|bogus|"
            r"made[- ]up|fraudulent|sham) (?:\w+ ){0,3}(?:profile|account|agency|job|ad|advert|"
            r"advertisement|listing|persona|identity|offer|modell?ing|casting)|"
            r"\bpretend\w* to be (?:a|an) (?:\w+ ){0,2}(?:scout|agent|recruiter|photographer|"
            r"producer|teen|teenager|girl|boy|kid|\d+ year old)\b"
        ),
    ),
    (
        "csam",
        _c(
            r"\b(?:sell|buy|trade|share|find|get|download|collect|distribute|make|produce|post|"
            rf"selling|buying|trading|sharing|getting)\w* (?:\w+ ){{0,3}}{_IMAGES} (?:of )?"
            r"(?:\w+ ){0,2}(?:underage|minors?|kids?|child(?:ren)?|teens?|young (?:girls|boys)|"
            r"\d+ year olds?|little)|\bchild porn\w*|\bcsam\b|"
            rf"{_IMAGES} (?:that )?(?:i|we) (?:can|could) (?:sell|use)"
        ),
    ),
    (
        "extort",
        _c(
            r"\b(?:or|unless|otherwise) (?:else )?(?:i|we) (?:will|would|am going to|are going to|"
            r"could) (?:send|post|share|leak|show|release|expose|spread|upload)|"
            r"\b(?:i|we) (?:will|would|am going to|are going to|could) (?:send|post|share|leak|"
            r"release|expose|spread|upload) (?:them|it|the \w+|her \w+|his \w+|those) to|"
            r"\b(?:squeeze|get|extort|take|make|milk) (?:\w+ ){0,2}money (?:out )?of|"
            r"\bmake (?:her|him|them) pay\b|\b(?:use|using) (?:\w+ ){0,4}as leverage\b|"
            r"\bthreaten\w* (?:\w+ )?to (?:post|share|send|leak|release|expose|spread|upload|"
            rf"show) (?!(?:my|our) )(?:[\w']+ ){{0,2}}{_IMAGES}|"
            r"\b(?:use|using) (?:her|his|their|the) (?:\w+ )?(?:intimate |nude |private |sexual )?"
            rf"{_IMAGES} to (?:make|get|force|keep|control|blackmail)"
        ),
    ),
    (
        "launder",
        _c(
            r"\blaunder\w*|\b(?:clean|wash|hide|move|stash|transfer|convert|keep)\w* (?:\w+ ){0,3}"
            r"(?:money|cash|profits?|proceeds|earnings|payments|income|funds) (?:\w+ ){0,3}"
            r"(?:from (?:my |the |our )?(?:selling|girls|escort\w*|sex|trafficking|pimping|them|"
            r"johns|punters)|so (?:it|they|nobody|no one|the police)|untrace|"
            r"off the (?:radar|books)|under the radar)"
        ),
    ),
    (
        "sell_people",
        _c(
            r"\b(?:find|get|attract|reach)\w* (?:\w+ ){0,2}(?:buyers|clients|johns|customers|"
            rf"punters) for {_PEOPLE}|\b(?:post|place|run|write|put up|advertise|list)\w* "
            r"(?:\w+ ){0,2}(?:ads?|adverts?|listings?) (?:for|of|with) (?:my|the|our) "
            r"(?:girls|women|boys)|\b(?:advertise|list|post|market)\w* (?:my|our|the) "
            r"(?:girls|women|boys)"
        ),
    ),
]
# A cover story for a child who is always with the asker.
_CHILD_COVER = _c(
    r"\b(?:believable|convincing|plausible|good|safe) (?:excuse|cover story|story|lie) "
    rf"(?:\w+ ){{0,3}}?(?:why|for)\b.{{0,40}}(?<!my )(?<!our ){_YOUNG}.{{0,60}}\b(?:(?:in|at) "
    r"my (?:car|house|place|flat|room|apartment)|with me|stays? (?:over|with me)|sleeps? "
    r"(?:over|here))"
)
# Not wanting someone to leave, with their documents or a debt in hand.
_HOLD = _c(
    r"\b(?:i|we) (?:just )?(?:do not|does not) want (?:her|him|them|the girls|the workers) "
    r"(?:to )?(?:leav\w*|run\w*|quit\w*|go\w* home|escap\w*)"
)
# Taking a child to a hotel, said by the one who takes her and worried about being noticed.
_HOTEL_MINOR = _c(
    r"\b(?:i|we) (?:\w+ )?(?:take|bring|get|book)\w* (?:a |an )(?:young|underage|little|"
    r"teen(?:age)?|\d+ year old) (?:girl|boy|kid|child|teen) (?:\w+ ){0,2}?(?:to|into) "
    r"(?:a |the |my )?(?:hotel|motel|room|flat|apartment)"
)
_NOTICED = _c(
    r"\b(?:obvious|notice\w*|suspicious|suspect\w*|questions?|without|secret\w*|nobody|"
    r"no one|age gap|ids?)\b"
)
# Money offered for a child's images or company, and the asker arranging it.
_PAID_FOR = _c(
    r"\b(?:money|pay|paid|paying|cash|offer\w*|\$\d+)\b (?:\w+ ){0,4}?for (?:her|his|their|my "
    rf"\w+) (?:\w+ )?(?:{_IMAGES}|time|company|body|virginity)\b"
)
_ARRANGE = _c(
    r"\b(?:how|what) (?:do|can|should|could) (?:i|we) (?:\w+ )?(?:arrange|set up|organi[sz]e|"
    r"handle|manage|do|go about|make) (?:it|this|that|things|the (?:deal|meeting|payment|sale))"
)
# Wanting to do what exploiters do: "where do pimps find girls, I want to do the same".
_IMITATE = _c(
    r"\b(?:i|we) (?:want|plan|am going|are going|would like|intend|hope|am trying|mean) to "
    r"(?:start )?(?:do(?:ing)? (?:the same|that too|it too|this too|what they do)|copy (?:them|"
    r"that|what they do)|get into (?:it|that|this|the business)|become (?:a |one )?(?:pimp|"
    r"trafficker|recruiter|groomer|madam)s?)\b"
)

_EXPLOITER = _c(r"\b(?:pimps?|traffickers?|groomers?|recruiters?|madams?|predators?|smugglers?)\b")
# Asking where moderation is weakest *in order to* post or sell: intent without an "I".
_LAX_MODERATION = _c(
    r"\b(?:weakest|least|no|lax|loosest|poor|worst|easiest|minimal|little|fewest) (?:\w+ )?"
    r"(?:moderation|moderators|filters?|checks|verification|age checks|enforcement|"
    r"policing)\b (?:\w+ ){0,2}(?:for|to|when) (?:post|posting|sell|selling|advertis\w*|list|"
    r"listing|share|sharing|find|finding|meet|meeting|contact|contacting|offer|offering|"
    r"arrang\w*|set\w* up|book\w*)"
)
# Leaving no trace of contact with children.
_NO_TRACE = _c(
    r"\b(?:least|no|fewest|minimal|little|without) (?:\w+ )?(?:evidence|traces?|records|logs|"
    r"footprint|trail)\b (?:\w+ ){0,2}(?:for|to) (?:\w+ ){0,2}(?:arrang\w*|set\w* up|"
    r"meet\w*|chat\w*|messag\w*|talk\w*|dates?|contact\w*)"
)
_EXPLOIT_CONTEXT = _c(
    r"\b(?:girls?|boys?|kids?|child(?:ren)?|minors?|teens?|teenagers?|young|underage|escorts?|"
    r"adult services|sex|nudes?|women)\b"
)
# Outcome clauses ("... so she trusts me") may come late in the sentence.
_MAX_GAP = {
    "take_control": 20,
    "make_example": 20,
    "manipulate": 20,
    "debt_bondage": 20,
    "lie_to_police": 20,
    "deceive": 20,
    "confine": 20,
}
_EVADE_LAW = _c(
    r"\b(?:without|avoid\w*|evad\w*|dodg\w*|beat|beating|bypass\w*|get(?:ting)? (?:around|past)|"
    r"circumvent\w*|slip\w* past|fool\w*|trick\w*|not get\w*|never get\w*|so (?:i|we) do not get|"
    r"hide from|hiding from|outsmart\w*) (?:\w+ ){0,3}?(?:(?:getting|being) )?(?:caught|detected|"
    r"traced|tracked|"
    r"detection|flagged|arrested|busted|police|cops|law enforcement|moderat\w*|filters?|"
    r"authorities|investigators|feds|fbi|the law|suspicion|the algorithm|banned|reported)\b|"
    r"\b(?:cannot|can not|not|never|will not|would not) be (?:traced|tracked|linked|found|"
    r"detected)|\btrace\w* (?:it |them )?back to (?:me|us)\b|"
    r"\b(?:hardest|impossible|harder) for (?:the )?(?:police|cops|law enforcement|"
    r"moderators|parents) to (?:monitor|trace|track|find|detect|see)|"
    r"\b(?:so|but|and|while) (?:the )?(?:police|cops|feds|authorities|law enforcement|"
    r"moderators|mods|investigators) (?:cannot|can not|will not|do not|does not|never|would not) "
    r"(?:see|find|track|trace|know|catch|detect|read|tell|link|flag|ban|remove|notice|spot)|"
    r"\b(?:so|but|and|while) (?:the )?(?:[\w']+ )?(?:filters?|algorithms?|moderation|platforms?|"
    r"sites?|apps?|bots?|ai|admins?) (?:cannot|can not|will not|do not|does not|never|would not)"
    r" (?:catch|detect|flag|ban|remove|block|delete|notice|spot|pick (?:it |them )?up)|"
    r"\b(?:get|gets|getting|slip|slips) past (?:the )?(?:\w+ )?(?:moderation|filters?|"
    r"moderators|algorithms?)\b|"
    r"\bso (?:they|she|he|the girls?|the kids?|nobody|no one|the boys?) (?:do not|does not|"
    r"will not|cannot|would not|never) (?:get suspicious|suspect|realise|realize|notice|"
    r"tell|report|find out)"
)
_EVADE_SOFT = _c(
    r"\bwithout (?:anyone|anybody|their parents|her parents|his parents|parents|the school|"
    r"(?:his|her|their) family) (?:\w+ )?(?:finding out|knowing|noticing|seeing)|"
    r"\bwithout telling (?:anyone|anybody|(?:her|his|their) (?:parents|mum|dad|family)|parents)"
)

# --------------------------------------------------------------------------------------------
# Someone in danger: (topic, pattern). First person for the asker; worried third-person cues.
# --------------------------------------------------------------------------------------------

_DOCS = r"(?:passports?|papers|documents|ids?|id cards?|identity cards?|visas?|work permits?)"
_SELF = [
    (
        "labour",
        _c(
            r"\b(?:took|take|taken|takes|taking|has|have|had|keeps?|kept|keeping|holds?|holding|"
            r"held|confiscated?|stole|stolen|hid|hides|hidden|burned|burnt)\b(?: \w+){0,3} "
            rf"(?:my|our) {_DOCS}|\b(?:my|our) {_DOCS} (?:was|were|has been|have been|is|are|got)"
            rf" (?:taken|kept|held|confiscated|stolen)|\bdo not have (?:my|our) {_DOCS}|"
            r"\b(?:made|makes|forced|forces) (?:me|us) (?:to )?(?:hand|give|turn|sign) "
            rf"(?:over|up) (?:my|our) {_DOCS}"
        ),
    ),
    (
        "trafficked",
        _c(
            r"\b(?:took|take|taken|takes|taking|keeps?|kept|holds?|holding|confiscated?|stole|"
            r"smashed|broke|controls?|controlled|controlling)\b(?: \w+){0,2} (?:my|our) "
            r"(?:phones?|sim|money|wages|pay|salary|bank|cards?|"
            r"earnings|tips)"
        ),
    ),
    (
        "trafficked",
        _c(
            r"\b(?:sells?|sold|selling) (?:me|us) (?:to|for|off|out|online|every|on)\b|"
            r"\b(?:rents? out|rented out|pimps?|pimped) (?:me|us)\b|"
            r"\b(?:will not|do not|does not|did not|cannot|never|refuse to|would not) let "
            r"(?:me|us) (?:leave|go|out|quit|call|contact|talk|see|speak|return|come home|"
            r"use|have)|\b(?:lock|locks|locked|locking) (?:me|us)\b|"
            r"\b(?:i|we) (?:am|are|have been|was|were) (?:really |now |still |currently |"
            r"literally |basically |being |getting )?(?:locked|trapped|stuck|held|kept|"
            r"imprisoned|confined|detained|not allowed|forbidden|being held|being kept|"
            r"being watched|being followed|being tracked|being monitored|being controlled|"
            r"being forced|forced|being made|being sold|sold|trafficked|being trafficked|"
            r"being exploited|being pimped|kidnapped|abducted|a prisoner|a slave|"
            r"being blackmailed|blackmailed|being threatened|threatened|being sextorted|"
            r"sextorted|being extorted|extorted|being groomed|being stalked|being harassed|"
            r"in danger|not safe|unsafe|scared for my life|afraid for my life|terrified)\b|"
            r"\b(?:i|we) (?:cannot|can not|could not|am unable to|are unable to) (?:leave|escape|"
            r"get out|get away|go home|quit|run)\b|"
            r"\b(?:help me|how (?:do|can|could|should) (?:i|we)) (?:to )?(?:escape|get out|"
            r"get away|run away|flee|leave)(?: from| of)?(?= *(?:$|[,.!?;]|here\b|now\b|safely\b|"
            r"this place|them\b|him\b|her\b|without\b|before\b|alive\b|(?:my|our) (?:employer|"
            r"boss|trafficker|pimp|captors?|agent|manager)|the (?:compound|house|place|apartment|"
            r"flat|building|camp|farm|factory|club|brothel|hotel|room|boat|ship|country)))"
        ),
    ),
    (
        "labour",
        _c(
            r"\b(?:i|we) (?:owe|am in debt|are in debt|have to pay (?:\w+ )?(?:back|off)|"
            r"must pay (?:\w+ )?(?:back|off)|need to pay (?:\w+ )?(?:back|off))|"
            r"\b(?:says|say|said|told me|tell me|tells me|claims?|claimed) (?:that )?(?:i|we) "
            r"(?:owe|have to|must|need to|will have to|cannot)|\b(?:pay|work) (?:off )?(?:my|our) "
            r"debt|\b(?:until|till) (?:i|we) pay|\b(?:do not|does not|did not|never|will not|"
            r"refuse to) pay (?:me|us)\b|\b(?:i|we) (?:am|are|have) not (?:been )?paid\b|"
            r"\b(?:i|we) (?:have|got|still have|now have) (?:a |big |huge |this |\w+ )?debt\b|"
            r"\b(?:i|we) (?:must|have to) work (?:\w+ ){0,4}?(?:until|till) (?:i|we|it|the debt|"
            r"finish|paid)"
        ),
    ),
    (
        "trafficked",
        _c(
            r"\b(?:force|forces|forced|forcing|make|makes|made|making) (?:me|us) (?:to )?"
            r"(?:work|have sex|sleep with|sell|scam|see|meet|send|strip|film|stay|lie|recruit|"
            r"dance|drink|take drugs|go with|post|advertise|pose|model|call|text|"
            r"do (?:things|sex|it|porn|this))|"
            r"\b(?:i|we) (?:have to|must|am made to|are made to) (?:see|meet|sleep with|serve|"
            r"service) (?:\d+ |many |more |other |different )?(?:men|clients|customers|guys|johns)"
        ),
    ),
    (
        "sextortion",
        _c(
            r"\b(?:threaten\w*|blackmail\w*|extort\w*|sextort\w*) (?:me|us)\b|"
            rf"\b(?:has|have|had|got|kept|saved|posted|shared|screenshotted|recorded) (?:\w+ )?"
            rf"(?:my|our) (?:\w+ )?{_IMAGES}|"
            r"\b(?:is|are|was|were|keeps?|started|has been|have been|he|she|they|someone|"
            r"somebody) (?:\w+ ){0,2}(?:sending|sent|sharing|shared|posting|posted|leaking|leaked|"
            r"spreading|uploading|uploaded|showing|selling|sold) (?:\w+ )?(?:my|our) (?:\w+ )?"
            rf"{_IMAGES}|"
            r"\b(?:unless|if) (?:i|we) (?:do not )?(?:pay|send|give)\b|"
            r"\b(?:threat\w*|going|wants?|will|says? (?:he|she|they) will) (?:to )?(?:post|share|"
            r"send|leak|release|show|spread|upload|expose|sell) (?:\w+ )?(?:my|our|me)\b|"
            rf"\b(?:i|we) (?:sent|send|shared|gave|showed) (?:\w+ ){{0,4}}?{_IMAGES}\b"
            r"(?=.{0,120}\b(?:threat\w*|pay|money|post|share|leak|send them|everyone|unless|"
            r"blackmail\w*|expose|gift ?cards?|bitcoin|or (?:he|she|they) will|or else|"
            r"wants? more|to my (?:school|parents|family|friends|boss|followers|contacts)|"
            r"\$|£|€))"
        ),
    ),
    (
        "grooming",
        _c(
            r"\b(?:wants?|asks?|asked|asking|keeps asking|told|tells|begging|begged|pressuring|"
            r"pressured|pressures|trying to get|convinced|invited|invites|dared|dares) me (?:to )?"
            rf"(?:send (?:him |her |them )?(?:\w+ ){{0,2}}{_IMAGES}|meet|"
            r"keep (?:\w+ ){0,3}secret|"
            r"come (?:to|and|over|with|live|see)|run away|video ?call|move in|live with|visit|"
            r"delete (?:our|the|his|her) (?:chats?|messages)|not tell|take (?:off|pics|photos)|"
            r"turn on (?:my|the) (?:cam|camera|webcam)|go on (?:cam|camera)|undress|get naked)"
        ),
    ),
    (
        "general",
        _c(
            r"\b(?:stalk\w*|follow|follows|following|followed|track|tracking|tracks|tracked|"
            r"watch|watching|watches|monitor|monitoring|monitors|beat|beats|beating|hit|hits|hurt|"
            r"hurts|hurting|abusing|abused|"
            r"harass\w*|punish\w*) (?:me|us)\b|"
            r"\b(?:knows?|found out|find out|has|have|got) (?:where|my) (?:i|we) "
            r"(?:live|work|study|go to school|am|stay|sleep)|\bknows? my (?:address|school)|"
            rf"\b(?:has|have|took|taken|kidnapped|abducted|is holding|are holding|holding) my "
            rf"(?:(?:little|baby|\d+ year old) )?(?:{_FAMILY_WORDS})\b|"
            r"\b(?:kill|hurt|beat|harm|come for|come after|find) (?:me|us|my (?:family|mum|dad|"
            r"kids|children|parents|little))\b|"
            r"\b(?:beat|hit|hurt|punish|torture|shock|electrocute)\w* (?:anyone|everyone|people|"
            r"those|whoever|the workers|the others)\b"
        ),
    ),
    (
        "general",
        _c(
            r"\b(?:using|on|from|borrowed|borrowing|with) (?:a |my |the )?(?:friend's|friends|"
            r"neighbour's|neighbours|someone's|somebody's|borrowed|hidden|secret|another|"
            r"stolen|spare) (?:phone|wifi|wi-fi|laptop|computer|device|internet|sim)|"
            r"\b(?:can only|only|i) (?:write|text|message|type|talk)\w* (?:\w+ )?(?:when|while) "
            r"(?:they|he|she) (?:sleep|are asleep|is asleep|are out|is out|are not looking|"
            r"is not looking|leave)|\b(?:they|he|she) (?:check|checks|read|reads|go through|"
            r"goes through|monitor|monitors|take|takes) my (?:phone|messages|texts|chats)"
        ),
    ),
]
_SELF_HARM = [
    _c(
        r"\b(?:want|wanting|going|planning|plan|ready|trying|tried|decided|think about|"
        r"thinking about|thought about|thoughts of|thinking of|feel like) (?:to |i want to )?"
        r"(?:die|kill myself|end (?:it|it all|my life|everything)|take my (?:own )?life|"
        r"hurt myself|harm myself|cut myself|commit suicide|suicide|killing myself|"
        r"ending (?:it|my life))\b"
    ),
    _c(
        r"\b(?:kill myself|killing myself|end my life|take my own life|hurt myself|harm myself|"
        r"cut myself|cutting myself|self[- ]harm\w*)\b"
    ),
    _c(
        r"\bi (?:am|feel|have been|was) (?:feeling )?(?:so )?suicidal|\b(?:do not|never) want to "
        r"(?:live|be alive|be here|exist|wake up)|\bbetter off dead|\bno (?:reason|point) "
        r"(?:to |in )?(?:live|living|going on)|\b(?:cannot|can not) (?:go on|take (?:it|this) "
        r"any ?more|do this any ?more|face (?:anyone|anybody|anything|my family|my parents|"
        r"school|tomorrow))|\brather (?:be )?die|\bwish i (?:was|were) dead|"
        r"\bwant (?:it|everything) (?:all )?to (?:end|stop)|"
        r"\b(?:do not|cannot|can not) see (?:the |any )?point (?:any ?more|in (?:living|life|"
        r"going on|anything)|of (?:living|life))|\bno point (?:any ?more|in anything)|"
        r"\bwhat is the point (?:any ?more|of living)|\bgive up on (?:life|everything)\b|"
        r"\bi (?:am|feel) (?:so )?(?:hopeless|worthless)\b"
    ),
    _c(
        r"\b(?:he|she|they|my \w+(?: \w+)?) (?:\w+ ){0,3}(?:wants? to|going to|will|said|says|"
        r"talking about|talks about|threatened to|tried to|keeps saying) (?:\w+ ){0,3}?"
        r"(?:die|kill (?:himself|herself|themself|themselves)|end (?:it|his life|her life|"
        r"their life)|hurt (?:himself|herself|themself)|harm (?:himself|herself|themself)|"
        r"suicide)\b"
    ),
]

_RELATION = _c(
    rf"\b(?:my|our) (?:(?:\d+ year old|little|older|younger|teenage|teen|eldest|youngest|baby|"
    r"best|step|"
    rf"ex|new|only|oldest|\w+teen year old) ?)*(?:{_FAMILY_WORDS}|fiancee?|roommate|flatmate|"
    r"neighbour|colleague|coworker|co-worker|employee|worker|aunt|uncle|auntie|relative|"
    r"classmate|mate|youth|mentee|niece|nephew|girl|boy|\d+ year old|nanny|maid|housekeeper|"
    r"cleaner|carer|caregiver|au pair|helper|domestic worker|tenant|lodger)\b|"
    r"\b(?:a|one of my|our|the|this) (?:young )?(?:student|pupil|client|patient|resident|camper|"
    r"service user|foster child|young person|girl in my class|boy in my class|kid in my class|"
    r"child in my care)s? (?:\w+ ){0,3}(?:just |has |have |today |yesterday )?(?:told|disclosed|"
    r"said|confided|admitted|showed|came to me|revealed|messaged)|"
    r"\b(?:client|student|pupil|patient|resident|she|he) (?:just |has |just now |today )?"
    r"(?:disclosed|told me|confided|revealed)|"
    r"\b(?:a|one of (?:the|my|our)|our|the|this) (?:\w+ ){0,2}(?:students?|pupils?|clients?|"
    r"patients?|residents?|girls?|boys?|kids?|young (?:people|person|women|men)|service users?|"
    r"children|teens?|teenagers?|youths?|families|women|men) (?:\w+ ){0,3}(?:just |has |have |"
    r"today |yesterday |recently )?(?:told|disclosed to|confided in|admitted to|showed|"
    r"revealed to|messaged|came to) (?:me|us)\b|"
    r"\b(?:a|my) (?:close |good |best )?friend (?:who|of mine|that|whose)\b"
)
_OTHER = [
    (
        "missing_child",
        _c(
            r"\b(?:is|are|has been|have been|went|gone|been|was|reported) missing\b|"
            r"\bhas been gone|\b(?:is|are) gone\b|\b(?:has|have|did) not (?:come|came|returned|"
            r"got|been) (?:back|home)|\bnever (?:came|come) (?:back|home)|\bran away|"
            r"\bdisappeared|\bvanished|\bcannot (?:find|reach|contact) (?:her|him|them)\b|"
            r"\bnot answering|\b(?:have not|has not|nobody has|no one has) heard from|"
            r"\b(?:has not|have not|had not) been heard from|"
            r"\b(?:her|his|their) phones? (?:is|are|has been|have been|was|went) (?:\w+ )?(?:off|"
            r"dead|switched off|disconnected)|"
            r"\b(?:left|went off|drove off) with (?:a|an|some|this|that) (?:man|guy|older|"
            r"stranger|person|adult|woman|boy|girl)"
        ),
    ),
    (
        "sextortion",
        _c(
            r"\b(?:is|are|was|were|has been|have been|got|gets|getting|being|keeps being) "
            r"(?:\w+ )?(?:blackmailed|sextorted|extorted|threatened)\b|"
            rf"\b(?:sent|shared|send|posted) (?:\w+ ){{0,3}}?{_IMAGES}\b"
            r"(?=.{0,120}\b(?:threat\w*|pay|money|post|share|leak|everyone|unless|blackmail\w*|"
            r"expose|scared|terrified|\$|£|€))|"
            rf"\b(?:has|have|got|posting|posted|sharing|shared) (?:her|his|their) "
            rf"(?:\w+ )?{_IMAGES}|"
            r"\bthreat\w* to (?:post|share|send|leak|release|show|spread|upload|expose|sell)\b"
        ),
    ),
    (
        "trafficked",
        _c(
            r"\b(?:want|wants|demand\w*|asking for|asks for|ask for|pay) (?:a )?ransom\b|"
            r"\bransom (?:to|before they|or they) (?:let|release|free)|"
            r"\b(?:stuck|held|trapped|working|went to work|taken|sent) (?:\w+ ){0,3}(?:in|at|to) "
            r"(?:a )?scam (?:centre|center|compound|camp|farm|factory)s?\b|"
            r"\b(?:is|are|was|were|has been|have been|got|gets|getting|being) (?:\w+ )?"
            r"(?:groomed|trafficked|sold|advertised|pimped|held|kept|locked|forced|exploited|"
            r"abused|recruited|lured|kidnapped|abducted|beaten|raped|assaulted|drugged|trapped|"
            r"stuck|controlled|coerced|taken|hurt)\b|"
            rf"\b(?:{_IMAGES}|ads?|adverts?|profiles?|listings?|posts?) (?:\w+ ){{0,2}}?of "
            r"(?:her|him|them|my \w+)\b(?=.{0,80}\b(?:prices?|priced|for sale|selling|escort|"
            r"lingerie|rates?|\$|£|€|posted|online|everywhere|shared))|"
            r"\b(?:her|his|their) (?:manager|boss|pimp|boyfriend|employer|agent|handler|owner|"
            r"madam|controller|sponsor|recruiter)\b(?=.{0,80}\b(?:takes?|took|keeps?|kept|"
            r"advertis\w*|sells?|sold|posts?|hits?|beats?|makes?|made|forces?|will not let|"
            r"does not let|controls?|has her|has his|threaten\w*))|"
            r"\b(?:advertis\w*|sells?|selling|pimps?|pimping|posts ads of|puts ads of) "
            r"(?:her|him|them)\b|"
            r"\b(?:took|takes|has|keeps?|kept|holds?|confiscated|took away|collects?|collected) "
            r"(?:\w+ )?(?:her|his|their)"
            rf" (?:{_DOCS}|phones?|money|wages|earnings|salary|pay)|"
            r"\b(?:will not|does not|do not|never|would not) let (?:her|him|them) (?:leave|go|out|"
            r"call|contact|talk|see|come home|quit)|"
            r"\b(?:she|he|they) (?:has|have|had) (?:\w+ )?bruises|"
            r"\b(?:she|he|they) (?:says|said|told me|thinks) (?:that )?(?:she|he|they) "
            r"(?:cannot|can not|has to|must|owes?)\b|\b(?:she|he|they) (?:cannot|can not) "
            r"(?:leave|get out|escape|go home)\b|"
            r"\b(?:she|he|they|(?:my|our) \w+) (?:is|are|was|were|feels?|seems?|seemed|looks?|"
            r"looked) (?:\w+ )?"
            r"(?:scared|terrified|afraid|frightened|in danger|not safe|unsafe)|"
            r"\b(?:beat|beats|beating|hit|hits|hurt|hurts|punish\w*|tortur\w*|starv\w*|rape|raped|"
            r"rapes|raping|drugs|drugged|shock\w*) (?:him|her|them)\b|"
            r"\b(?:is|are|was|were|being|been) (?:held |stuck |trapped |kept )?in (?:a |an |the )?"
            r"(?:scam )?(?:compound|camp|brothel)\b|"
            r"\bkeep\w* (?:a|an|the|her|him|them|his|their) (?:\w+ )?(?:locked|inside|captive|"
            r"prisoner|hostage|shut in)|"
            r"\b(?:will|would|going to|threaten\w* to) (?:\w+ )?(?:hurt|kill|harm|beat|sell|take) "
            r"(?:her|him|them|my \w+)\b|"
            # What a neighbour or passer-by sees or hears.
            r"\b(?:scream\w*|shriek\w*|begg\w*|plead\w*|crying|cries|cried|yell\w*|shout\w*) "
            r"(?:\w+ ){0,2}(?:for help|help|to stop|to be let|let me go|let her go|let him go)\b|"
            r"\b(?:(?:i|we) can )?(?:heard|hear|hearing) (?:\w+ ){0,4}?(?:scream\w*|crying|cries|"
            r"begging|sobbing)\b|"
            r"\b(?:she|he|they|the (?:girl|boy|child|kid|woman|women|girls|kids)) "
            r"(?:was|were|is|are|kept|keeps|started) (?:screaming|crying for help|begging)|"
            r"\b(?:pushed|dragged|forced|bundled|thrown|shoved|pulled|carried) (?:\w+ )?into "
            r"(?:a|an|the|his|their) (?:\w+ )?(?:van|car|truck|vehicle|taxi|boot|trunk)\b|"
            r"\b(?:different |older |other |many |lots of )?(?:men|guys) (?:\w+ )?"
            r"(?:keep |kept |are |were )?(?:going|coming) in and out\b|"
            r"\b(?:she|he|they) (?:never|is never allowed to|is not allowed to|are not allowed to) "
            r"(?:leaves?|goes? out|go outside|talks? to anyone)\b"
        ),
    ),
    (
        "grooming",
        _c(
            r"\b(?:asked|asking|asks|told|telling|tells|wants|wanted|invited|inviting|invites|"
            r"pressuring|pressured|pressures|begging|begged|convinced|trying to get|offered|"
            r"offering|promised|promising|paying|pays|paid) (?:my|her|him|them) (?:\w+ ){0,4}?"
            rf"(?:to )?(?:keep (?:\w+ ){{0,3}}secret|meet|come|run away|send|sending|delete|"
            rf"stay over|stay the night|sleep over|for (?:\w+ )?{_IMAGES}\b|"
            r"not tell|move|live|visit|travel|go away|leave home|a (?:bus|train|plane) ticket)|"
            r"\b(?:older|grown|adult|much older|\d\d year old) (?:man|guy|men|woman|boyfriend|"
            r"stranger|person)\b(?=.{0,80}\b(?:pays?|paid|buys?|bought|gives?|gave|gifts?|"
            r"picks? (?:her|him) up|picked (?:her|him) up|drives? (?:her|him)|wants? to meet|"
            r"asked (?:her|him)|asks (?:her|him)|messag\w*|dms?|texts?|sends? (?:her|him)|"
            r"visits?|takes? (?:her|him)))"
        ),
    ),
]
# The asker sees or hears it nearby: a real case, as much as a named relation.
_WITNESS = _c(
    r"\bi (?:just |can |could |often |keep |have |also )?(?:heard|hear|hearing|saw|see|seen|"
    r"noticed|notice|watched|watch)\b|\b(?:next door|downstairs|upstairs|next to (?:mine|me|"
    r"ours|us|my \w+)|across the (?:hall|street|road)|in (?:my|our) (?:building|street|block|"
    r"hotel|motel|apartment|flat|neighbourhood))\b"
)
# ... unless what they saw was on a screen or in print.
_MEDIA = _c(
    r"\b(?:documentary|documentaries|film|movie|news|article|book|podcast|series|show|episode|"
    r"story|stories|video|tv|youtube|netflix|tiktok video|report|novel)\b"
)
_URGENT = _c(
    r"\b(?:right now|tonight|in my office|with me now|is here now|at the moment|"
    r"who (?:do|should|can) (?:i|we) (?:call|tell|contact)|please help|help us|help me|urgent|"
    r"asap|police (?:told us|said|will not|are not|did not|say)|scared|terrified|worried sick|"
    r"panicking|freaking out|what do (?:i|we) do (?:now|first))\b"
)
_AGE = _c(r"\b(?:is|am|aged|age|was|turned|only|just) (\d{1,2})\b|\b(\d{1,2}) year old\b")
_ADULT_PARTNER = _c(
    r"\b(?:boyfriend|girlfriend|man|guy|woman|adult|partner|lover|friend|someone|person|he|she)\b"
)
# Exploitation-shaped requests a captive person may also make ("without them knowing").
_SOFT_HARM = {"deceive", "evade", "manipulate", "hide_contact", "confine"}
# Someone telling of the past from safety ("I was trafficked as a teen, I am safe now").
_PAST_SAFE = _c(
    r"\b(?:i am|i feel|we are|i have been) (?:safe|okay|ok|out|free|fine) now|\b(?:years|months) "
    r"ago\b|\bsurvivor\b|\bin the past\b|\bwhen i was (?:a |younger|young|little|\d+)|"
    r"\bas a (?:teen|teenager|kid|child|minor)\b|\bused to\b"
)
_PAST_TENSE = _c(r"\b(?:was|were|had|took|used to|kept|held|forced|made)\b")
# A child writing about themselves: a weak cue, enough with similarity to the crisis examples.
_CHILD_SELF = _c(r"\bi am (?:only |just )?(?:[5-9]|1[0-7])\b(?! (?:percent|%|minutes|hours))")
# "What should I do if ..." asks about a possibility; similarity alone must not call it a crisis.
_HYPOTHETICAL = _c(
    r"\bwhat (?:should|would|do|does|can|could|must) (?:\w+ ){1,3}do (?:if|when)\b|"
    r"\b(?:who|where|how) (?:should|do|does|can|could|would|must) (?:i|we|you|one|he|she|they|"
    r"kids|children|teens|(?:my|a|your) \w+) (?:\w+ ){1,3}(?:if|when)\b|"
    r"\b(?:is it|would it be) (?:ok|okay|legal|wrong|normal|right|fine|a good idea|allowed) to\b|"
    r"\bwhat happens (?:if|when)\b|\bwhat if\b|\bin case\b"
)
# Protecting children, or getting away oneself: similarity alone must not call it exploitation.
_PROTECTING = _c(
    r"\b(?:protect\w*|prevent\w*|keep\w* (?:\w+ )?safe|safety|warn\w*|report\w*)\b|"
    rf"\bmy (?:\w+ )?(?:{_FAMILY_WORDS}|class|\d+ year old)\b|"
    r"\bkeep\w* (?:my|our|your|the|their) (?:\w+ ){0,3}(?:off|away from|out of)\b|"
    r"\b(?:might|may|could) be (?:being )?(?:groomed|trafficked|exploited|targeted|abused)\b|"
    r"\bat risk\b|\bget (?:away|out) (?:from|of)\b|\bescape from\b|"
    r"\b(?:counsell?ors?|therapists?|doctors?|nurses?|social workers?|helplines?|hotlines?)\b"
)

# Distancing: the asker says the message is not about them, or is for study.
_ACADEMIC = _c(
    r"\b(?:asking (?:for|about) (?:my |a |an |the )?(?:class|school|project|essay|paper|"
    r"assignment|homework|research|presentation|course|lesson|students|training|workshop|"
    r"article|report|uni|university|college)|"
    r"for (?:my |a |an |the |our )?(?:class|school|project|essay|paper|assignment|homework|"
    r"research|presentation|course|lesson|thesis|dissertation|report|article|training|"
    r"workshop|uni|university|college|assembly)\b|"
    r"i am (?:a |an )?(?:student|teacher|researcher|journalist|writer|lecturer|professor|"
    r"trainer|policy|analyst)\b|just (?:curious|wondering|asking)|in general|"
    r"generally speaking|hypothetical(?:ly)?|not (?:about|happening to) me|"
    r"i am not (?:in (?:any )?danger|being|a victim)|this is not about me|"
    r"i am (?:totally |completely |perfectly )?(?:fine|ok|okay|safe)\b|"
    r"(?:nobody|no one) (?:is|has) \w+ me|not in (?:any )?danger)"
)
# "someone is being trafficked", "a child goes missing": about people in general, not a case.
_STATE = _c(r"(?:is|are|was|were|has|have|had|got|gets|getting|being|keeps|been|went|gone)\b")
_GENERIC_SUBJECT = _c(
    r"(?:^|\b(?!my |our |her |his )\w+ )(?:someone|somebody|anyone|anybody|person|people|"
    r"children|kids|child|kid|victims?|teens?|teenagers?|girls|boys|women|men|students|workers|"
    r"migrants|one|many|most|some|who|traffickers?)$|\b(?:a|an|your|their|the) \w+$"
)
_NEGATORS = _c(
    r"\b(?:not|never|no|nobody|none|neither|nor|without|if|whether|suppose|supposing|imagine|"
    r"hypothetically|would|might|could|should|can|legal|legally|in case|what if|nothing|noone)"
    r"\b|\bno one\b"
)
_SELF_CONCERN = _c(
    r"\b(?:attracted to (?:children|kids|minors|young)|(?:my own|about my) (?:thoughts|urges|"
    r"behaviour|behavior|feelings)|(?:i|me) (?:\w+ ){0,3}(?:urges|thoughts) (?:about|towards|"
    r"toward) (?:children|kids|minors)|stop (?:looking at|viewing|watching) (?:\w+ ){0,2}"
    r"(?:images|pictures|videos|material|content))"
)

_TOPIC_WORDS = [
    ("self_harm", _c(r"\b(?:suicid\w*|kill (?:myself|himself|herself)|self[- ]harm|want to die)")),
    ("missing_child", _c(r"\b(?:missing|ran away|runaway|disappeared|gone \d+|not come home)")),
    (
        "sextortion",
        _c(rf"\b(?:{_IMAGES}|sextort\w*|blackmail\w*|intimate|explicit|naked)\b"),
    ),
    (
        "grooming",
        _c(
            r"\b(?:meet ?up|keep (?:\w+ ){0,3}secret|stranger|older (?:man|guy)|adult|roblox|"
            r"minecraft|fortnite|discord|game)\b"
        ),
    ),
    (
        "labour",
        _c(
            rf"\b(?:{_DOCS}|job|work|working|wages|paid|pay me|debt|owe|employer|boss|farm|"
            r"factory|compound|scam\w*|recruitment fee|agency)\b"
        ),
    ),
    (
        "trafficked",
        _c(
            r"\b(?:sold|selling|advertis\w*|pimp\w*|manager|escort|clients?|prices?|sex|"
            r"trafficked|johns)\b"
        ),
    ),
]
_TOPIC_ORDER = ["self_harm", "missing_child", "sextortion", "grooming", "labour", "trafficked"]


# "How can I tell / protect / keep my son ..." asks how to recognise or prevent, not for help now.
_PREVENTION = _c(
    r"\bhow (?:do|can|would|could|will|should|to) (?:i |we |you |parents |one )?(?:know|tell|spot|"
    r"recognis\w*|recogniz\w*|notice|find out|check|see|protect|prevent|stop|keep|help|make sure)"
    r"\b|\b(?:signs?|risk|chance|chances|likely|common|often|usually|ways?)\b"
)
_BELIEF = _c(r"\bif (?:i|we) (?:think|suspect|believe|feel|am worried|am sure|know)\b")


def _clauses_before(text: str, start: int) -> str:
    """The words of the clause that precede position `start` (for negation look-back)."""
    head = _BELIEF.sub("", text[max(0, start - 200) : start])
    parts = _SENTENCE_SPLIT.split(head)
    clause = _CLAUSE_SPLIT.split(parts[-1])[-1] if parts else ""
    return " ".join(clause.split()[-6:])


def _switched_off(text: str, start: int) -> bool:
    """True when a negation, hypothetical or prevention frame governs the cue at `start`."""
    before = _clauses_before(text, start)
    if _NEGATORS.search(before) or _PREVENTION.search(before):
        return True
    return bool(re.search(r"\b(?:from|against|of|about)$", before))


def _live_matches(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Matches not switched off by a negation or hypothetical just before them."""
    return [m for m in pattern.finditer(text) if not _switched_off(text, m.start())]


# Keeping staff from quitting is an employer's question unless something holds them there.
_RETENTION = _c(
    r"\b(?:workers?|staff|employees?|team)\b (?:\w+ )?(?:from )?(?:just |simply )?(?:leaving|"
    r"quitting|walking (?:off|out|away)|switching|changing|finding other work)"
)
_COERCION = _c(
    r"\b(?:owes?|owed|debts?|passports?|papers|documents|ids?|visas?|phones?|lock\w*|threat\w*|"
    r"deport\w*|pay (?:it |me |us )?back|family back home|their families|escap\w*|run away)\b"
)


def _harm_in(sentence: str) -> str | None:
    """Name of the first exploitation pattern the asker is the actor of, in one sentence."""
    actors = list(_ACTOR.finditer(sentence))
    if not actors:
        return None
    for name, pattern in _HARM:
        for m in pattern.finditer(sentence):
            before = sentence[: m.start()].split()
            if before and before[-1] in {"being", "been", "be", "get", "got", "getting", "are"}:
                continue  # passive: someone else acts on the people
            if (
                name == "stop_leaving"
                and _RETENTION.search(m[0])
                and not _COERCION.search(sentence)
            ):
                continue  # an employer keeping staff, with nothing that holds them
            for a in actors:
                # The actor comes first, or wraps the match ("which spy app can i ... put").
                if a.start() < m.start() or a.end() <= m.start() + 1:
                    gap = sentence[a.end() : m.start()]
                    block = _GAP_BLOCK_LIGHT if name in _MAX_GAP else _GAP_BLOCK
                    if len(gap.split()) <= _MAX_GAP.get(name, 7) and not block.search(gap):
                        return name
    return None


def _secret_from_parents(sentence: str) -> bool:
    """Hiding contact from a child's family, asked by the one who hides it (not "how do I help
    a teen who ... without telling anyone")."""
    for a in _ACTOR.finditer(sentence):
        m = _EVADE_SOFT.search(sentence, a.end())
        if m and not _GAP_BLOCK.search(sentence[a.end() : m.start()]):
            return True
    return False


def _harm_any_subject(sentence: str) -> str | None:
    """Name of an exploitation pattern whoever the actor is (for fiction/tactics requests)."""
    for name, pattern in _HARM:
        for m in pattern.finditer(sentence):
            before = sentence[: m.start()].split()
            if before and before[-1] in {"being", "been", "be", "get", "got", "getting"}:
                continue
            return name
    return None


class Safety:
    """Triage for every question, built once: embeds the intent examples at construction."""

    def __init__(self, encoder: Encoder, intents_path: Path | None = None) -> None:
        self.encoder = encoder
        data = json.loads((intents_path or INTENTS_PATH).read_text(encoding="utf-8"))
        self.groups = ("crisis", "harmful", "question")
        texts: list[str] = []
        labels: list[int] = []
        for i, group in enumerate(self.groups):
            examples = [str(t) for t in data.get(group, [])]
            if len(examples) < TOP_K:
                raise ValueError(f"{group}: at least {TOP_K} intent examples are needed")
            texts += examples
            labels += [i] * len(examples)
        self.examples = np.asarray(encoder.encode(texts), dtype=np.float32)
        self.labels = np.asarray(labels)
        self._masks = [self.labels == i for i in range(len(self.groups))]

    def similarities(self, vector: np.ndarray) -> dict[str, float]:
        """Mean of the TOP_K best cosines per intent group, and each group's best one."""
        sims = self.examples @ np.asarray(vector, dtype=np.float32).reshape(-1)
        out = {}
        for group, mask in zip(self.groups, self._masks, strict=True):
            best = np.partition(sims[mask], -TOP_K)[-TOP_K:]
            out[group] = float(best.mean())
            out[f"{group}_best"] = float(best.max())
        return out

    def triage(self, question: str, vector: np.ndarray | None = None) -> Triage:
        """Decide between an ordinary question, a person possibly in danger, and a refusal."""
        text = normalise(question[:MAX_CHARS])
        if not text:
            return Triage("question", "general", "empty")
        if vector is None:
            vector = self.encoder.encode([question])[0]
        sims = self.similarities(vector)
        return decide(text, sims)


_FOR_A_FRIEND = _c(
    r"\b(?:asking|it is|this is|question) for (?:a|my) (?:friend|mate|buddy|cousin)\b|"
    r"\b(?:a|my) (?:friend|mate|buddy) (?:asked|wants to know|is asking)\b"
)
_THIRD = r"(?:he|she|they|my friend|my mate|my buddy|the guy|this guy)"
_PROXY = [
    (_c(rf"\b(how|what|where|which) (?:does|do) {_THIRD}\b"), r"\1 do i"),
    (_c(rf"\b(how|what|where|which) (can|could|should|would|will|might) {_THIRD}\b"), r"\1 \2 i"),
    (
        _c(rf"\b{_THIRD} (?:wants|needs|is trying|plans|would like|is planning|is going) to\b"),
        "i want to",
    ),
    (_c(rf"\b{_THIRD} (?:wants|needs|would like|expects)\b"), "i want"),
    (_c(r"\bhis\b"), "my"),
]


def _as_asker(text: str) -> str:
    """Read "asking for a friend: how does he ..." as the asker's own request.

    The phrase is a common euphemism for oneself; only the exploitation rules read this version,
    the danger rules keep the friend as a third person.
    """
    if not _FOR_A_FRIEND.search(text):
        return text
    for pattern, replacement in _PROXY:
        text = pattern.sub(replacement, text)
    return text


def decide(text: str, sims: dict[str, float]) -> Triage:
    """The triage rules over a normalised message and its intent similarities."""
    sents = sentences(text)
    harm_sents = sentences(_as_asker(text))
    academic = bool(_ACADEMIC.search(text))
    first_person = bool(_FIRST_PERSON.search(text))
    sim_note = " ".join(f"{k}={v:.2f}" for k, v in sims.items() if not k.endswith("_best"))

    # 1. Requests to exploit people or evade detection (framing never unlocks them).
    harm = next((h for s in harm_sents if (h := _harm_in(s))), None)
    fiction = bool(_FICTION.search(text))
    tactic = bool(_TACTIC.search(text)) and not _PROTECTIVE.search(text)
    if not harm and (tactic or (fiction and _HOW_WOULD.search(text))):
        harm = next((f"tactics:{h}" for s in sents if (h := _harm_any_subject(s))), None)
    if not harm and _LAX_MODERATION.search(text) and _EXPLOIT_CONTEXT.search(text):
        harm = "lax_moderation"
    if (
        not harm
        and _NO_TRACE.search(text)
        and re.search(_YOUNG, text)
        and not _EXPLOITER.search(text)
    ):
        harm = "no_trace"
    if not harm and _EXPLOITER.search(text) and _live_matches(_IMITATE, text):
        harm = "imitate"
    if not harm and _PAID_FOR.search(text) and _ARRANGE.search(text):
        harm = "sell_child"
    if not harm and _live_matches(_HOTEL_MINOR, text) and _NOTICED.search(text):
        harm = "hotel_minor"
    if not harm and _CHILD_COVER.search(text):
        harm = "child_cover"
    if not harm and _HOLD.search(text) and _COERCION.search(text):
        harm = "hold"
    evasion = None
    if not harm:
        for s in harm_sents:
            if _ACTOR.search(s) and (
                _EVADE_LAW.search(s) or (_secret_from_parents(s) and re.search(_YOUNG, s))
            ):
                evasion = "evade"
                break

    # 2. Someone in danger.
    cues: list[tuple[str, str]] = []
    self_harm = any(_live_matches(p, text) for p in _SELF_HARM)
    if self_harm:
        cues.append(("self_harm", "self-harm"))
    past_safe = bool(_PAST_SAFE.search(text))
    for topic, pattern in _SELF:
        for m in _live_matches(pattern, text):
            if not (past_safe and _PAST_TENSE.search(m.group(0))):
                cues.append((topic, "self:" + m.group(0)))
    relation = bool(_RELATION.search(text))
    other: list[tuple[str, str]] = []
    for topic, pattern in _OTHER:
        for m in _live_matches(pattern, text):
            state = _STATE.match(m.group(0))  # "a child is being groomed": about anyone
            if not (state and _GENERIC_SUBJECT.search(" ".join(text[: m.start()].split()[-3:]))):
                other.append((topic, "other:" + m.group(0)))
    gap = _age_gap(text)
    if gap and (relation or first_person):
        other.append(("grooming", gap))
    witness = bool(_WITNESS.search(text)) and not _MEDIA.search(text) and not academic
    if other and (relation or witness or (_URGENT.search(text) and first_person and not academic)):
        cues += other

    topics = _topics(text, [t for t, _ in cues])
    self_cues = [c for c in cues if c[1].startswith("self:")]
    if harm in _SOFT_HARM and self_cues:
        # "How can we get help without them knowing?": a person hiding from their captors.
        harm = None
    if harm:
        return Triage("refused", "exploitation", f"rule {harm}; {sim_note}")
    if cues:
        return Triage("crisis", topics[0], f"rule {cues[0][1]}; {sim_note}", tuple(topics))
    if evasion:
        return Triage("refused", "evasion", f"rule {evasion}; {sim_note}")
    if _SELF_CONCERN.search(text) and first_person:
        return Triage("question", "perpetrator", f"self-concern; {sim_note}")

    # 3. Similarity, only where the message is personal (crisis) or asks how to act (refused).
    crisis_s, harm_s, question_s = sims["crisis"], sims["harmful"], sims["question"]
    asks_how = any(_ACTOR.search(s) for s in sents)
    if (
        asks_how
        and not _PROTECTING.search(text)
        and harm_s >= HARM_MIN
        and harm_s >= crisis_s
        and harm_s - question_s >= HARM_MARGIN
        # A message nearest to an ordinary question is one, however many requests are close.
        and sims["harmful_best"] >= sims["question_best"]
    ):
        return Triage("refused", "exploitation", f"similar to exploitation; {sim_note}")
    personal = first_person or relation
    weak = bool(_URGENT.search(text) or other or _CHILD_SELF.search(text))
    floor, margin = (CRISIS_WEAK_MIN, CRISIS_WEAK_MARGIN) if weak else (CRISIS_MIN, CRISIS_MARGIN)
    if (
        personal
        and not academic
        and not _HYPOTHETICAL.search(text)
        and crisis_s >= floor
        and crisis_s - max(question_s, harm_s) >= margin
    ):
        topics = _topics(text, ["general"])  # no cue: the situation from its words
        return Triage("crisis", topics[0], f"similar to crisis; {sim_note}", tuple(topics))
    return Triage("question", "general", f"no cue; {sim_note}")


def _age_gap(text: str) -> str | None:
    """A minor and an adult in one message ("she is 15 ... boyfriend who is 30")."""
    ages = [int(a or b) for a, b in _AGE.findall(text)]
    if ages and min(ages) < 18 and max(ages) >= 20 and _ADULT_PARTNER.search(text):
        return f"age gap {min(ages)}/{max(ages)}"
    return None


def _topics(text: str, cue_topics: Sequence[str]) -> list[str]:
    """Situations in the message: those of the cues found, then keyword evidence, by priority."""
    found = {t for t in cue_topics if t != "general"}
    if cue_topics:
        found |= {topic for topic, pattern in _TOPIC_WORDS if pattern.search(text)}
    ordered = [t for t in _TOPIC_ORDER if t in found]
    return ordered or ["general"]


# --------------------------------------------------------------------------------------------
# Choosing the help, and the replies.
# --------------------------------------------------------------------------------------------

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
