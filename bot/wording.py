"""Every fixed phrase a person reads, in one place, so a safety reviewer can read it in one sitting.

The assistant generates nothing factual: these are lead lines, labels and guidance only; every
factual sentence in a reply is a quote from the corpus.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

# The short replies to a message in another language, with their English originals (how they
# were translated and checked is in the file's "about").
TRANSLATIONS_PATH = Path(__file__).resolve().parent / "data" / "translations.json"


@cache
def translated(language: str) -> dict[str, str]:
    """The fixed replies in `language` (English for a language we have none for)."""
    strings = json.loads(TRANSLATIONS_PATH.read_text(encoding="utf-8"))["strings"]
    return strings.get(language, strings["en"])


def languages() -> list[str]:
    """The codes of the languages we have replies in, English first."""
    return list(json.loads(TRANSLATIONS_PATH.read_text(encoding="utf-8"))["strings"])


ANSWER_LEAD = "Here is what the sources say (quoted word for word):"

NO_ANSWER_LEAD = (
    "I could not find anything in my sources that answers this. I only answer with quotes from a "
    "small set of published articles about cyber trafficking, so I would rather say nothing than "
    "guess."
)

SUGGESTIONS_LEAD = "You could ask, for example:"

# Shown with `no_answer`: what the corpus does cover. Generic on purpose (no question is special).
SUGGESTIONS = (
    "How do traffickers use social media to recruit victims?",
    "What are the warning signs that a child is being groomed online?",
    "How can parents protect children from online predators?",
    "How do traffickers use encrypted messaging and the dark web?",
    "What are social media companies doing against trafficking?",
)

SOURCES_HEADING = "Sources:"
RELATED_LEAD = "You could also ask:"
CLI_HELP_HEADING = "Help is available:"

# One line under every reply; the page's top bar carries the full text (UI_BANNER).
DISCLAIMER = (
    "This is not an emergency service or legal advice; the quotes come from published articles "
    "and may be incomplete or out of date."
)

TRIMMED_NOTE = "(Your message was very long; I answered using its first {limit} characters.)"
SPELLING_NOTE = "(Searched as: “{text}”.)"

UNTITLED = "Untitled document"

EMPTY_QUESTION = "Please type a question, for example about how traffickers use social media."

CRISIS_READING_LEAD = "If it helps, this is what the sources say about situations like this:"

INDEX_OUT_OF_DATE = (
    "Note: the files in {corpus} have changed since the index was built; answering from the "
    "last good index. Run `python -m bot index` to update it."
)

# "Tell me more" when every quote on the topic has been shown.
NO_MORE = (
    "That is everything the sources say on this: the quotes above are all they hold. "
    "You could ask about another part of the topic."
)

INDEX_UNAVAILABLE = (
    "I cannot reach my sources right now, so I cannot quote them. Please try again in a moment. "
    "If you or someone else is in danger, the help lines below work at any time."
)


# ---------------------------------------------------------------------------------------------
# Safety layer: crisis and refusal replies (used by bot/safety/replies.py). Numbers never appear
# here: they come from bot/data/hotlines.json. Tone: calm, warm, brief, non-judgemental.
# ---------------------------------------------------------------------------------------------

REGION_LABELS = {
    "US": "United States",
    "UK": "United Kingdom",
    "CA": "Canada",
    "AU": "Australia",
    "MY": "Malaysia",
    "IE": "Ireland",
    "EU": "European Union",
    "international": "worldwide",
}

HOTLINE_CALL = "call {phone}"

CRISIS_EMERGENCY = (
    "**If you or someone else is in immediate danger, call {phone} now** (emergency, {region})."
)
CRISIS_MORE = "More help and guidance"
CRISIS_EMERGENCY_LOCAL = (
    "**If you or someone else is in immediate danger, call your local emergency number now.**"
)
CRISIS_CHOOSE_REGION = (
    "Emergency numbers and helplines differ by country: choose your country or region to see the "
    "ones that serve you. The national services below are labelled with their country."
)
CRISIS_LEAD = (
    "You are not alone. These services can help, many by text or chat if a call is not safe:"
)
CRISIS_SELF_HARM_LEAD = (
    "I am really sorry you are going through this. You matter. These people will listen, any time:"
)

# A short line that must come before "more", keyed by triage topic.
CRISIS_FIRST = {
    "sextortion": (
        "**You are not to blame.** The person making the threats is the one doing wrong."
    ),
}

# Situation-matched guidance, keyed by triage topic; shown after the list of services.
CRISIS_GUIDANCE = {
    "sextortion": (
        "When someone threatens to share intimate images, the person making the threats is the one "
        "doing wrong, never the person in the images. **Take It Down** can help remove images "
        "taken before age 18, and **StopNCII.org** does "
        "the same for adults; with both, the images stay on your device. The **CyberTipline** "
        "takes reports of sextortion, and young people can report about themselves."
    ),
    "missing_child": (
        "If a child is missing, call the emergency number now and say that a child is missing. "
        "The **CyberTipline** takes reports about children who may be exploited online."
    ),
    "grooming": (
        "If an adult online is asking a child to keep secrets, send pictures or meet up, you can "
        "report it to the **CyberTipline** (it accepts reports from anywhere). If a meeting is "
        "about to happen, call the emergency number."
    ),
    "labour": (
        "A taken passport or papers, work without pay, or a debt you are told to work off are "
        "ways of controlling people, and the services above can help. You can contact them even "
        "if you are not sure whether what is happening counts as trafficking."
    ),
    "trafficked": (
        "If someone is being sold, advertised or controlled by another person, the services above "
        "can help. If the person is under 18, the **CyberTipline** also takes reports of child "
        "sex trafficking."
    ),
}

# Added to the missing-child guidance when the region has a missing-children line (116 000).
CRISIS_MISSING_LINE = "You can also call the **{name}** ({phone}), free and open day and night."

QUICK_EXIT = (
    "**Quick exit** clears this page at once; your browser history may still show this visit."
)
CANNOT_CONTACT = (
    "I cannot contact anyone for you; please reach out yourself, or with someone you trust."
)
NO_DETAILS = "Please do not type names or details that could identify anyone."

REFUSAL_LEAD = "I can't help with that."
REFUSAL_HARM = (
    "Recruiting, grooming, selling or controlling people, sexually exploiting children, or "
    "helping anyone avoid detection causes serious, lasting harm, and it is a serious crime."
)
REFUSAL_STOP_IT_NOW = (
    "If you are worried about your own thoughts or behaviour towards children, confidential help "
    "is available:"
)
REFUSAL_HELP = "If someone is in danger or being exploited, these services can help:"
REFUSAL_OFFER = (
    "I can answer questions about how exploitation works, so that people can recognise it, "
    "prevent it and get help."
)


# ---------------------------------------------------------------------------------------------
# Web app (ui.py): banner, labels and example questions. The app only renders answers from
# bot.ask(); these are the words around them. Tone: calm, plain, honest about limits.
# ---------------------------------------------------------------------------------------------

UI_PAGE_TITLE = "Cyber trafficking questions, answered from published sources"
UI_HEADING = "Cyber trafficking: what the sources say"
UI_BANNER = (
    "Not an emergency service and not legal advice. Answers are quotes from published articles "
    "and may be incomplete or out of date. In danger now? Call your local emergency number."
)
UI_CAN_CANNOT = (
    "**Can:** find and quote what published articles say about cyber trafficking, with their "
    "sources. **Cannot:** give advice, write answers of its own, or contact anyone for you."
)
UI_PRIVACY = (
    "Nothing you type is stored or sent anywhere else. Clear conversation removes it from this "
    "page. Please do not type names or other details that could identify anyone."
)

UI_QUICK_EXIT = "Quick exit"
UI_QUICK_EXIT_LABEL = "Quick exit: leave this page now (shortcut: press Escape twice)"
UI_QUICK_EXIT_HINT = (
    "**Quick exit** (or press **Esc twice**) blanks this page at once and opens a neutral "
    "website; Back will not return here. Your browser history may still show this visit."
)
UI_HELP_LINK = "Get help"
UI_TOPBAR_CALL = "Call {phone}"
UI_TOPBAR_CALL_LABEL = "Emergency services: call {phone}"
UI_TOPBAR_NO_NUMBER = "In danger? Call your local emergency number"
UI_SKIP_LINK = "Skip to the question box"

UI_HELP_HEADING = "Get help now"
UI_HELP_INTRO = (
    "Free, confidential services. Many can be reached by text or chat when a call is not safe."
)
UI_REGION_LABEL = "Your region"
UI_REGION_INFO = "Shows the emergency number and services for where you are; answers use it too."
UI_REGION_ELSEWHERE = "Elsewhere (international services)"
UI_REGION_SHOWING = "Showing help for: {region}"
UI_REGION_GUESSED = "(guessed from this browser's language and time zone; nothing is sent)"
UI_REGION_SHOWING_NONE = "Showing services that work from anywhere"
UI_REGION_CHANGE = "change"
UI_REGION_CHANGE_LABEL = "Change the region"
UI_HOTLINE_CALL = "Call {phone}"
UI_HOTLINE_LOCAL_EMERGENCY = "Call your local emergency number."

UI_CHAT_LABEL = "Conversation"
UI_CHAT_PLACEHOLDER = (
    "Ask a question about cyber trafficking, or pick one of these. Every answer is quoted word "
    "for word from a published source."
)
UI_INPUT_LABEL = "Your question"
UI_INPUT_PLACEHOLDER = "Type a question, then press Enter"
UI_SEND = "Ask"
UI_CLEAR = "Clear conversation"
UI_EXPORT = "Export conversation"
UI_EXPORT_PRINT = "Printable page"
UI_EXPORT_TITLE = "Conversation with the cyber trafficking assistant"
UI_EXPORT_QUESTION = "Question"
UI_EXPORT_REFERENCES = "References"
UI_EXPORT_EMPTY = "There is nothing to export yet: ask a question first."
UI_EXPORT_NOTE = (
    "Made in your browser on {date}; nothing was stored or sent anywhere. Quotes are word for "
    "word from the sources listed under References."
)
UI_EXPORT_PRINT_NOW = "Print"

UI_EXAMPLES = {
    "For parents": (
        "How can parents protect children from online predators?",
        "Are gaming apps places where traffickers look for children?",
    ),
    "For students": (
        "How do traffickers use social media to recruit victims?",
        "What makes young people vulnerable to online recruitment?",
    ),
    "For support staff": (
        "How do traffickers control victims remotely with technology?",
        "How do traffickers advertise victims online?",
    ),
}

UI_STATUS = {
    "answered": "Quoted from the sources",
    "no_answer": "Not covered by the sources",
    "refused": "Request declined",
    "crisis": "Your safety comes first",
}
UI_SOURCES_HEADING = "Sources (open one to read the passage)"
UI_RELATED_HEADING = "Related reading (it does not answer the question directly)"
UI_PASSAGE_LABEL = "The passage, with the quoted words highlighted:"
UI_VIEW_SOURCE = "View in source"
UI_COPY_CITATION = "Copy citation"
UI_COPIED = "Citation copied"
UI_COPY_FAILED = "Could not copy: select the text and copy it by hand"
UI_OPEN_ARTICLE = "Open the original article"
UI_NO_DATE = "n.d."
UI_REFERENCE_LABEL = "How to cite:"
UI_ACCESSED_FALLBACK = "the date you read it"

UI_SOURCE_HEADING = "Source: {title}"
UI_SOURCE_NOTE = (
    "The article as indexed, with page clutter removed. The quoted words are highlighted."
)
UI_SOURCE_CLOSE = "Close the source"
UI_SOURCE_MISSING = "This source is no longer available (the collection may have changed)."

UI_ERROR = (
    "Sorry, something went wrong while answering. Please try again. If you or someone else is in "
    "danger, call your local emergency number now."
)
UI_STARTING = "Starting the assistant (the index is built first if it is missing or stale)..."
UI_READY = "The assistant is ready: open {url} in your browser. Press Ctrl+C to stop."
UI_CLEARED = "Conversation cleared"
UI_PORT_BUSY = (
    "Could not listen on {host}:{port} (the port may be in use). Choose another with --port or "
    "BOT_PORT."
)
