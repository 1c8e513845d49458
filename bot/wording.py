"""Every fixed phrase a person reads, in one place, so a safety reviewer can read it in one sitting.

The assistant generates nothing factual: these are lead lines, labels and guidance only; every
factual sentence in a reply is a quote from the corpus.
"""

from __future__ import annotations

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

DISCLAIMER = (
    "This assistant is not an emergency service and does not give legal advice. Its answers are "
    "quotes from published articles that may be incomplete or out of date. Nothing you type is "
    "stored or sent anywhere. If you or someone else is in danger, call your local emergency "
    "number now."
)

ABOUT = (
    "This assistant answers questions about cyber trafficking (how traffickers use social media, "
    "apps, encrypted messaging and the dark web, and how to protect against it) only with quotes "
    "from a curated set of published articles, each with its source. It does not write its own "
    "answers, cannot contact anyone for you, and keeps no record of what you type. " + DISCLAIMER
)

TRIMMED_NOTE = "(Your message was very long; I answered using its first {limit} characters.)"

UNTITLED = "Untitled document"

EMPTY_QUESTION = "Please type a question, for example about how traffickers use social media."


# ---------------------------------------------------------------------------------------------
# Safety layer: crisis and refusal replies (used by bot/safety.py). Numbers never appear here:
# they come from bot/data/hotlines.json. Tone: calm, warm, brief, non-judgemental.
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
CRISIS_EMERGENCY_LOCAL = (
    "**If you or someone else is in immediate danger, call your local emergency number now.**"
)
CRISIS_LEAD = (
    "You are not alone, and help is available right now. These services can help; many can be "
    "reached by text or chat if a phone call is not safe:"
)
CRISIS_SELF_HARM_LEAD = (
    "I am really sorry you are going through this. You matter, and you do not have to face it "
    "alone. Please reach out now; these people are there to listen, any time:"
)

# Situation-matched guidance, keyed by triage topic; shown after the list of services.
CRISIS_GUIDANCE = {
    "sextortion": (
        "**You are not to blame.** When someone threatens to share intimate images, the person "
        "making the threats is the one doing wrong, never the person in the images. "
        "**Take It Down** can help remove images taken before age 18, and **StopNCII.org** does "
        "the same for adults; with both, the images stay on your device. The **CyberTipline** "
        "takes reports of sextortion, and young people can report about themselves."
    ),
    "missing_child": (
        "If a child is missing, call the emergency number now and say that a child is missing. "
        "In Europe, the **116 000** missing children hotline is free and open day and night. "
        "The **CyberTipline** takes reports about children who may be exploited online."
    ),
    "grooming": (
        "If an adult online is asking a child to keep secrets, send pictures or meet up, you can "
        "report it to the **CyberTipline** (it accepts reports from anywhere). If a meeting is "
        "about to happen, call the emergency number."
    ),
    "labour": (
        "A taken passport or papers, work without pay, or a debt you are told to work off are "
        "ways of controlling people, and the trafficking hotline above deals with them. You can "
        "contact it even if you are not sure what is happening counts as trafficking."
    ),
    "trafficked": (
        "If someone is being sold, advertised or controlled by another person, the trafficking "
        "hotline above can help. If the person is under 18, the **CyberTipline** also takes "
        "reports of child sex trafficking."
    ),
}

QUICK_EXIT = (
    "**Leaving quickly:** the Quick exit button clears this page at once. Your browser history "
    "may still show this visit."
)
CANNOT_CONTACT = (
    "I cannot contact anyone or call for help for you. Please reach out to one of the services "
    "above yourself, or ask someone you trust to do it with you."
)
NO_DETAILS = (
    "Please do not type names, addresses or other details that could identify you or anyone "
    "else here."
)

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
