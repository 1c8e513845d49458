"""Which language a message is written in, offline, with py3langid (a 5 MB model in its wheel)
and wordfreq (word frequencies of many languages, in its wheel).

The assistant reads English only, so the one decision is: English, or one of the languages we
have replies for. Three choices keep English readers from ever being turned away (terse lines of
names and acronyms, texting spellings and one-word replies fool any detector):
- the detector only chooses among the covered languages, with close pairs (Malay and Indonesian)
  pooled before they are compared with English;
- a message counts as another language only with a margin over English and enough letters and
  different words to judge (a word said three times is one word of evidence);
- in Latin script, the words themselves must favour that language over English: py3langid reads
  character n-grams, to which a country's name and an acronym look as Malay as English, so word
  frequencies in both languages have the last say (docs/safety.md, "Evidence that the words are
  English"). Anything undecided is English.
A quotation's language is not the message's: the message is read without the text inside its
quotation marks when enough is left to judge.
A message mostly in a script English never uses (Thai, Chinese, Arabic, Cyrillic) needs no margin.
In a conversation, a short message in Latin script is read together with what the person wrote
before it: a few words of texting after English questions continue in English, while a short
message after Spanish ones stays Spanish (docs/safety.md, "Language in a conversation").
"""

from __future__ import annotations

import contextlib
import re
import threading
import unicodedata
import zipfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from bot.files import remove_abandoned, write_beside

COVERED = ("es", "fr", "pt", "ms", "id", "tl", "vi", "th", "zh", "ar", "ru", "uk", "ro")
POOLED = {"id": "ms"}  # detected as one; the reply still uses the detected one's strings
MARGIN = 0.2  # probability the other language must lead English by
# In Latin script, fewer letters or different words than these are too little to judge.
MIN_LETTERS = 10
MIN_WORDS = 3
# wordfreq's codes for the covered languages written in Latin script, the only ones whose words
# are weighed against English (another script's letters are evidence enough).
WORDFREQ = {
    "es": "es",
    "fr": "fr",
    "pt": "pt",
    "ms": "ms",
    "id": "id",
    "tl": "fil",
    "vi": "vi",
    "ro": "ro",
}
# A quotation: between double or angle quotation marks, or single ones that are not apostrophes
# (not between letters).
QUOTATION = re.compile(r'"[^"]*"|“[^”]*”|«[^»]*»|„[^“”]*[“”]|(?<!\w)[\'‘][^\'‘’]+[\'’](?!\w)')
CONNECTOR_LETTERS = 4  # "de", "los", "para", "of", "the": between capitalised words, part of a name
# Zipf frequencies (log10 per billion words) below this are "unknown"; one word moves the
# balance by at most WORD_CLIP, so a single frequent English or foreign word cannot decide alone.
ZIPF_FLOOR = 1.0
WORD_CLIP = 3.0
# Another language is chosen only when its words favour it by this much in all: wordfreq's lists
# for chat-heavy languages (Tagalog, Malay) hold many English words, so a smaller lean is what
# shared words give, not evidence (docs/safety.md, "Words that only lean another way").
EVIDENCE_MARGIN = 1.0
CONTEXT_WORDS = 5  # in a conversation, a Latin-script message of fewer words is read in context
_FOREIGN_SCRIPT_SHARE = 0.3  # CJK and Thai pack a word into a letter or two


def load(cache_dir: Path | None = None) -> None:
    """Load the detector's model now, so the first question does not wait for it: `Bot` calls
    this on a thread while its encoders load. With `cache_dir` (the index's cache folder) the
    model's arrays for our languages are kept there uncompressed after the first load: reading
    them takes 0.2 s, against 0.8 s to decompress the wheel's model (lzma) on every start."""
    _identifier(cache_dir)


_lock = threading.Lock()
_model: Any = None
_KEPT = "py3langid-{version}-{languages}.npz"  # in the index's cache folder


def _identifier(cache_dir: Path | None = None) -> Any:
    global _model
    with _lock:
        if _model is None:
            _model = _read(cache_dir)
        return _model


def _read(cache_dir: Path | None) -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    languages = ["en", *COVERED]
    kept = (
        cache_dir / _KEPT.format(version=version("py3langid"), languages="-".join(languages))
        if cache_dir is not None
        else None
    )
    if kept is not None:
        remove_abandoned(kept.parent, kept.suffix)  # halves left by a killed process (43 MB)
    if kept is not None and kept.is_file():
        # Damaged or cut short (a full disk): made again below.
        with contextlib.suppress(OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            return _from_arrays(kept)
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(languages)
    if kept is not None:
        with contextlib.suppress(OSError):  # a read-only index folder: decompress each time
            _keep(identifier, kept)
    return identifier


def _keep(identifier: Any, path: Path) -> None:
    """Write the arrays py3langid's constructor takes, as `set_languages` leaves them (its
    tokenizer's tables are stdlib arrays, fast to index from Python), beside `path` and then
    renamed into place: another process may be reading, and a failed write leaves nothing. Copies
    kept for another py3langid or another set of languages (43 MB each) are removed."""

    def save(tmp: Path) -> None:
        with open(tmp, "wb") as out:  # a file object: given a name, numpy appends ".npz"
            np.savez(
                out,
                ptc=identifier.nb_ptc,
                pc=identifier.nb_pc,
                classes=np.array(identifier.nb_classes),
                nextmove=np.frombuffer(
                    identifier.tk_nextmove, dtype=identifier.tk_nextmove.typecode
                ),
                row=np.frombuffer(identifier.tk_row, dtype=identifier.tk_row.typecode),
                output=np.asarray(identifier.tk_output, dtype=np.int64),
            )

    write_beside(path, save)
    for other in path.parent.glob(_KEPT.format(version="*", languages="*")):
        if other != path:
            other.unlink(missing_ok=True)


def _from_arrays(path: Path) -> Any:
    from array import array

    from py3langid.langid import LanguageIdentifier

    with np.load(path, allow_pickle=False) as kept:
        nextmove, row = kept["nextmove"], kept["row"]
        return LanguageIdentifier(
            kept["ptc"],
            kept["pc"],
            kept["classes"].tolist(),
            array(nextmove.dtype.char, nextmove.tobytes()),
            kept["output"].tolist(),
            norm_probs=True,
            tk_row=array(row.dtype.char, row.tobytes()),
        )


def _foreign_script_share(letters: list[str]) -> float:
    foreign = sum(1 for ch in letters if not unicodedata.name(ch, "").startswith("LATIN"))
    return foreign / len(letters)


def _outside_names(tokens: list[str]) -> list[str]:
    """The tokens that are not part of a name: not written with a capital, and not one of the
    short words joining capitalised ones inside a name or title ("Trata de Personas",
    "Kuala Lumpur", "Law on the Prevention of ..."). A sentence's first word may be capitalised
    only because it comes first, so it never makes the short words after it part of a name."""
    name = [any(ch.isupper() for ch in t) for t in tokens]
    first = [i == 0 or tokens[i - 1][-1] in ".?!:" or t[0] in "¿¡" for i, t in enumerate(tokens)]
    inner = [n and not f for n, f in zip(name, first, strict=True)]
    joiner = [
        not n and sum(ch.isalpha() for ch in t) <= CONNECTOR_LETTERS
        for t, n in zip(tokens, name, strict=True)
    ]

    def beside_name(i: int, step: int) -> bool:
        i += step
        while 0 <= i < len(tokens) and joiner[i]:
            i += step
        return 0 <= i < len(tokens) and inner[i]

    return [
        t
        for i, t in enumerate(tokens)
        if not name[i] and not (joiner[i] and beside_name(i, -1) and beside_name(i, 1))
    ]


def english_evidence(text: str, other: str) -> float:
    """How much more the words of `text` are English than `other` (a key of WORDFREQ): the sum
    over words of the difference of their Zipf frequencies, each floored and clipped. Positive or
    zero: the words do not favour the other language. Names count for neither
    (`_outside_names`): a place's name is frequent in its country's language, and a law's title
    in its own, and they say where, not which language the message is written in."""
    # Imported here: only a message some other language leads in needs it, and its word lists
    # (about 0.1 s and 30 MB each) load on first use, so English-only use never pays for them.
    from wordfreq import simple_tokenize, zipf_frequency

    total = 0.0
    # Each different word once: a word said again (a sung syllable, an interjection) is no new
    # evidence of the language, as `_enough_to_judge` counts it.
    for word in dict.fromkeys(simple_tokenize(" ".join(_outside_names(text.split())))):
        if not any(ch.isalpha() for ch in word):
            continue
        english = max(zipf_frequency(word, "en"), ZIPF_FLOOR)
        foreign = max(zipf_frequency(word, WORDFREQ[other]), ZIPF_FLOOR)
        total += max(-WORD_CLIP, min(WORD_CLIP, english - foreign))
    return total


def _enough_to_judge(text: str) -> bool:
    """Enough letters and different words (a word said three times is one) to judge."""
    different = {w.lower() for w in text.split() if any(ch.isalpha() for ch in w)}
    return sum(ch.isalpha() for ch in text) >= MIN_LETTERS and len(different) >= MIN_WORDS


def detect(text: str, before: str = "") -> str:
    """ "en" or the code of a covered language (see COVERED); `before`: what the person wrote
    before this message in the conversation, if anything."""
    unquoted = QUOTATION.sub(" ", text)
    if _enough_to_judge(unquoted):  # a quotation's language is not the message's
        text = unquoted
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return "en"
    foreign_script = _foreign_script_share(letters) >= _FOREIGN_SCRIPT_SHARE
    if before.strip() and not foreign_script and len(text.split()) < CONTEXT_WORDS:
        return detect(f"{before}\n{text}")
    if not foreign_script and not _enough_to_judge(text):
        return "en"
    ranked = dict(_identifier().rank(text))
    pooled: dict[str, float] = {}
    for code, p in ranked.items():
        pooled[POOLED.get(code, code)] = pooled.get(POOLED.get(code, code), 0.0) + float(p)
    best = max((c for c in pooled if c != "en"), key=pooled.__getitem__)
    if not foreign_script and pooled[best] - pooled.get("en", 0.0) < MARGIN:
        return "en"
    if best == "ms":  # pooled: answer in whichever of the two the detector preferred
        best = "id" if ranked.get("id", 0.0) > ranked.get("ms", 0.0) else "ms"
    if best in WORDFREQ and not foreign_script and english_evidence(text, best) > -EVIDENCE_MARGIN:
        return "en"
    return best
