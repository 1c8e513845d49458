"""Words and frames the exploitation and danger rules share: people, family, partners, images,
who is asking ("how do I", "I want to"), and framing that must not unlock tactics."""

from __future__ import annotations

from bot.safety.text import rx

# Those a parent or carer protects: "my niece", "my students"; not "my girlfriend" or "my friends",
# whom exploiters name as often as protectors do.
YOUNGER_FAMILY = (
    r"daughters?|sons?|child|children|kids?|sisters?|brothers?|siblings?|nieces?|nephews?|"
    r"grandsons?|granddaughters?|grandchild(?:ren)?|students?|pupils?|teens?|teenagers?|"
    r"stepdaughter|stepson|family"
)
FAMILY_WORDS = (
    rf"{YOUNGER_FAMILY}|cousins?|friends?|girlfriend|boyfriend|wife|husband|partner|mum|dad|"
    r"mother|father|parents?"
)
_FAMILY = f"(?:{FAMILY_WORDS}|class)"
PEOPLE_NOUN = (
    r"(?:girls?|boys?|women|woman|men|kids?|child(?:ren)?|teens?|teenagers?|minors?|youngsters|"
    r"young people|people|persons?|victims?|someone|somebody|her|him|them|workers?|migrants?|"
    r"students?|runaways?|females?|ladies|lady|\d+ year olds?|maids?|recruits?|guys|dudes|lads|"
    r"gamers|users|strangers|followers|members|brides?|wives|wife|"
    r"(?:\d+|\w+teen) ?year ?olds?)"
)
# Up to three modifiers ("more young girls", "a 13 year old girl"); never one's own family or
# class ("my younger kids"), whose parents and teachers ask how to keep them safe.
# A partner under 18 is not exempt: "my 17 year old girlfriend" is a child.
_MINOR_PARTNER = (
    r"(?:my|our|his) (?:(?:[5-9]|1[0-7]) year old (?:girlfriend|boyfriend|partner)|underage \w+)"
)
PEOPLE = (
    rf"(?:{_MINOR_PARTNER}|"
    rf"(?!(?:my|our|your) (?:\w+ ){{0,2}}{_FAMILY}\b)"
    r"(?:(?:a|an|the|some|more|other|young|younger|underage|teenage|vulnerable|these|those|new|"
    r"my|our|his|lonely|poor|desperate|local|foreign|migrant|domestic|female|live-in|farm|"
    r"runaway|homeless|street|orphaned|village|rural|refugee|"
    r"factory|\d+|\d+ year old|\w+teen year old)\s+){0,3}"
    rf"{PEOPLE_NOUN}\b(?!'))"
)
YOUNG = (
    r"\b(?:girls?|boys?|kids?|child(?:ren)?|teens?|teenagers?|minors?|underage|\d+ year olds?|"
    r"nephews?|nieces?)\b"
)
# Partners, not children: parents may lawfully monitor their own children's phones.
PARTNER = r"(?:wife|girlfriend|boyfriend|husband|partner|ex|ex-\w+|fiancee?|spouse|date|crush)"
IMAGES = (
    r"(?:nudes?|pics?|pictures?|photos?|videos?|vids?|images?|selfies?|content|clips?|"
    r"(?:test |photo )?shots|snaps)"
)
FIRST_PERSON = rx(r"\b(?:i|me|my|mine|myself|we|us|our)\b")

# Words between "how do I" and a harmful verb that show someone else is the actor, or that the
# asker wants to recognise or prevent it ("how do I know if someone is grooming my child").
# Outcome clauses ("... so she trusts me") can sit far from "how do I"; between the two only
# another actor or a wish to recognise or prevent blocks them.
GAP_BLOCK_LIGHT = rx(
    r"\b(?:traffickers?|predators?|groomers?|criminals?|pimps?|abusers?|scammers?|offenders?|"
    r"gangs?|someone(?!')|somebody(?!')|recognis\w*|recogniz\w*|spot|detect\w*|identify|know if|"
    r"tell if|"
    r"prevent\w*|protect\w*|avoid|report\w*|warn\w*|signs?|help(?:s|ed|ing)?|rescue\w*|support\w*|"
    r"check\w*|verify|find out|whether|know when|tell when|stop|suspect\w*|worried|concerned)\b|"
    # another actor in between: "how do I get my boss to stop keeping the workers' passports"
    r"\b(?:get|make|ask|tell|force|convince) (?:my|the|our|his|her) (?:\w+ )?(?:boss|employer|"
    r"manager|agency|agent|landlord|sponsor|company|owner) to\b|"
    # someone else doing it: "what should I do, her boss made her hand over her passport"
    r"(?<!\bi )(?<!\bwe )\b(?:made|makes|forced|forces|took|takes|punishes|punished|threatens|"
    r"threatened|(?<!\bdebt )(?<!\bit )keeps|kept|holds|withholds|(?:is|are|has been|have been) "
    r"(?:making|forcing|holding|keeping|withholding|taking)|(?:has|have) (?:taken|kept))\b"
)
GAP_BLOCK = rx(
    r"\b(?:if|when|whether|who|that|which|because|after|before|while|why|what|how many|how much|"
    r"traffickers?|"
    r"predators?|groomers?|criminals?|pimps?|abusers?|scammers?|offenders?|gangs?|they|he|she|"
    r"someone(?!')|somebody(?!')|people|others|anyone|recognis\w*|recogniz\w*|spot|detect\w*|"
    r"identify|"
    r"know|tell|prevent\w*|protect\w*|avoid|report\w*|warn\w*|teach my|talk to my|stop them|"
    r"stop (?:my|our|a|the|kids|children|people)|"
    r"understand|explain|notice|signs?|help (?:a|her|him|them|victims?|my)|check\w*|verify|"
    r"make sure|ensure)\b"
)

# Asking how to do something oneself (or as "you"/"one"), or stating one's own plan.
ACTOR = rx(
    r"\b(?:how (?:do|can|could|should|would|might|will|shall) (?:i|we|one|you)|how to|"
    r"how does one|(?:how|what) (?:am|are|is) (?:i|we|you|one) (?:supposed|meant|expected) to|"
    r"(?:trick|secret|key|knack) (?:to|for|of)|"
    r"need (?:\w+ )?(?:(?:tips|advice|ideas)\b|help (?:on|for|with|\w+ing\b))|"
    r"^(?:need|want|trying|looking|planning) to\b|(?:any )?(?:tips|advice|ideas|suggestions)\W*$|"
    r"is it possible (?:for (?:me|us) )?to|"
    r"what is (?:a|an|the) (?:\w+ ){0,2}?(?:explanation|excuse|story|reason|line|way|thing|"
    r"message|script|answer) to (?:give|tell|say|use|send|write)\b|"
    r"how (?:would|could|does|do|might|should) (?:a|the|my|his|her) (?:character|"
    r"protagonist|villain|antagonist)|"
    r"(?<!\bsuch an )(?<!\bsuch a )"
    r"(?:best|easiest|fastest|safest|quickest|simplest|good|smart|smartest|effective|surest|"
    r"most (?:effective|convincing|persuasive|believable|successful|reliable)) "
    r"(?:\w+ ){0,4}?(?:to|for|of|so|that|where|which)|ways? to|"
    r"\w+est (?:\w+ )?(?:way|method|trick|story|excuse|line|lie|approach|app|site)s? "
    r"(?:to|for|so)|"
    r"what should (?:the|my|our|a|an) (?:\w+ ){0,3}(?:say|include|promise|offer|look like)|"
    r"what (?:i|we) (?:should |must |can |could )?(?:say|write|tell|text|post|send|put|use)\b|"
    # polite requests and the wording of a thing the asker makes
    r"(?:can|could|would|will) you (?:please |kindly )?(?:suggest|recommend|write|draft|"
    r"come up with|give me|list|reword|rewrite|rephrase|improve|fix|edit|polish|tweak)\b|"
    r"what (?:\w+ ){0,4}?(?:gets?|slips?|sneaks?) (?:past|around|through)\b|"
    r"\b(?:translate|rate|rewrite|reword|improve|polish|continue) (?:this|my|the following)\b|"
    r"\b(?:please )?advise (?:me |us )?on\b|"
    r"\bmake (?:it|this|them) (?:sound )?more (?:convincing|persuasive|believable|legit|appealing|"
    r"attractive)\b|"
    r"(?:i|we) need (?:a|an|the|some) (?:\w+ ){0,3}?(?:list|guide|plan|script|template|breakdown|"
    r"methods?|ways?|letter|documents?|contract|ad|advert|profile|message|post)\b|"
    r"\b(?:do|would|will) (?:i|we) need\b|"
    r"how should (?:the|my|our|a|an) (?:\w+ ){0,2}?(?:be (?:worded|written|phrased|set up)|read|"
    r"look)\b|"
    r"what (?:wording|words|language|phrases?|terms|keywords|hashtags|emojis) (?:should|to|not|"
    r"to not|not to|do you use|would you use)\b|"
    r"how (?:i|we) (?:can |could |should |would |will )?\w+|tips? (?:for|on|to)|help me|"
    r"teach me|show me|tell me (?:how|what|the best)|"
    r"explain (?:to me )?(?:in detail )?how (?:to|i|you)|give me|write(?: me)?|draft(?: me)?|"
    r"what (?:should|do|can|could|would|must) (?:i|we)|(?:which|what) (?:\w+ ){1,3}?(?:should|do|"
    r"can|could) (?:i|we)|"
    r"(?:i|we) (?:really )?(?:want|need|plan|am planning|are planning|am trying|are trying|"
    r"am going|are going|would like|intend|hope|mean|have) to|"
    r"(?:can|could|should|may) (?:i|we)|i am looking (?:for|to)|let me|"
    r"(?:i|we) (?:will|would|could|can|must|should)|"
    r"(?:i|we) (?:run|manage|own|have)(?: (?:a|an|some|my|the))?(?: (?:girls?|club|agency|"
    r"business|workers?|women))?|"
    r"where (?:\w+ )?(?:can|do|could|should|would) (?:i|we|one|you)|where to|"
    r"(?:i|we) (?:want|need|would like|expect) (?:my|our) (?:\w+ ){0,2}?to|"
    r"is it (?:\w+er|best|wiser|more effective) to|"
    r"what (?:\w+ ){0,4}?(?:works?|work best|would work)(?: (?:on|for|to|so|right now|now|best)|"
    r"\W*$)|"
    r"(?:what|which) (?:kind of |sort of )?(?:\w+ ){0,4}?would (?:make|get|convince|persuade)|"
    r"(?:i|we) (?:am|are) (?:making|setting up|starting|building|running|creating|opening) "
    r"(?:\w+ ){0,3}?to\b|"
    r"what (?:\w+ ){0,2}?makes? (?:\w+ ){0,4}?(?:look|seem|sound|appear)\b|"
    r"what is the (?:best |right |safest )?(?:story|excuse|lie|line) (?:\w+ )?(?:should|to|can|"
    r"could|would)|"
    r"(?:believable|convincing|plausible|good) (?:reason|excuse|story|lie|explanation) "
    r"(?:to give|to tell|for)|"
    r"(?:what|which) (?:\w+ ){0,2}?to (?:use|say|write|post|put|send)\b|"
    r"(?:(?:i|we) )?(?:need|want) (?:a |an |some )?(?:\w+ )?(?:script|message|story|excuse|text|"
    r"template|bio|contract|"
    r"lines?|plan|pitch|ad|advert|post|profile)s?|"
    r"what (?:do|does|would|should|could) (?:you|one) (?:say|text|write|send|message) to|"
    r"what (?:do|does|would|should|could) (?:you|one|i|we) tell|is there (?:a|any) (?:way|trick|"
    r"method) to|"
    r"(?:which|what) (?:\w+ ){1,2}(?:would|will|can|could) (?:keep|hide|let|help|get|make)|"
    r"(?:which|what) (?:\w+ ){1,4}?(?:would|will) be (?:hardest|easiest|best|safest|least)|"
    # Speaking as the owner of people ("my girls", "our workers owe us").
    r"(?:my|our) (?:girls|workers|maids|recruits))\b"
)

# A how-to question by the asker (narrower than ACTOR, which also reads "help me", "I want to").
# Asking which tool or place serves a purpose best, with no "I": "which crypto is hardest to trace
# for paying for girls". As often a student's question, so only the intent model reads it as a
# request.
CHOOSES = rx(
    r"\b(?:which|what) (?:\w+ ){0,3}(?:is|are) (?:the )?(?:\w+est|least \w+|most \w+|best) "
    r"(?:\w+ ){0,2}(?:to|for)\b|"
    r"\b(?:which|what) (?:\w+ ){0,2}(?:is|are|would be|works?|makes?) (?:\w+ )?(?:better|safer|"
    r"smarter|cheaper|easier|faster|quicker)\b|"
    r"\bis (?:a |an |the )?(?:\w+ ){1,4}or (?:a |an |the )?(?:\w+ ){1,4}(?:better|safer|best|"
    r"faster)\b|"
    # a tool chosen for what it does: "which messaging app wipes everything from both phones"
    r"^(?:which|what) (?:\w+ ){0,2}(?:apps?|sites?|settings?|phones?|methods?|tools?|wallets?) "
    r"(?:wipes?|deletes?|hides?|erases?|keeps?|makes?|lets?)\b|"
    # a yes/no question about a method: "would breaking the cash into small deposits stop ..."
    r"^(?:would|will|could|does|do|is|are) (?:\w+ing|it|this|that|a|an|the)\b"
)
# A message that opens as a question; without it, a short message is a search-style order
# ("make teen girl fall for me quick").
QUESTION_START = rx(
    r"^(?:what|why|how|who|whom|whose|when|where|which|is|are|am|do|does|did|can|could|should|"
    r"would|will|was|were|has|have|had|may|might|must)\b"
)
HOW_TO = rx(r"\bhow (?:do|can|could|should) (?:i|we)\b|\bhow to\b")
# Framing that must not unlock tactics, and signs that tactics (not understanding) are wanted.
FICTION = rx(
    r"\b(?:novel|story|stories|screenplay|script|fiction|fictional|role ?play|pretend|"
    r"(?:a|my|the|video) game (?:i am|we are) (?:designing|making|writing|building)|"
    r"character|podcast|true crime|movie|film|hypothetical(?:ly)?|for research|let us say|"
    r"lets say|suppose|imagine|"
    r"research purposes|educational purposes|thought experiment|game master|alternate universe|"
    r"alternative universe|in a world where|you are (?:now )?(?:an? )?(?:\w+ )?(?:recruiter|pimp|"
    r"trafficker|consultant|villain|groomer|smuggler|madam))\b"
)
TACTIC = rx(
    r"\b(?:step[- ]by[- ]step|in (?:great |full |more |explicit |precise )?detail|detailed|"
    r"(?:practical |how-to |step-by-step )?(?:guide|manual|checklist) for|"
    r"be (?:specific|precise|detailed)|specifically|exact(?:ly)? (?:\w+ )?(?:what|how|words|"
    r"messages?|dms|"
    r"texts|"
    r"wording|script|steps|lines|phrases)|word for word|playbook|template|"
    r"(?:teach|show|tell|give) me (?:the |your |some |their )?(?:techniques|tactics|methods|"
    r"tricks|tips|secrets|scripts?|playbook|steps)|"
    r"what (?:exactly )?(?:to|should (?:he|she|they|my character)|would (?:he|she|they|"
    r"my character)) (?:write|say|send|text|message|post)|"
    r"(?:message|line|word|step) by (?:message|line|word|step)|(?:with|including|and) (?:all )?the "
    r"(?:steps|details)|(?:\w+ )?script look like|"
    # framing that asks the assistant to drop its rules: no unlocking, a sign tactics are wanted
    r"(?:ignore|forget|bypass|disregard) (?:all |your |the |previous |any )*(?:rules|instructions|"
    r"guidelines|restrictions|filters|policy|policies)|(?:no|without) (?:restrictions|filters|"
    r"limits)|dan mode|developer mode|jailbreak\w*|your usual rules|red[- ]team\w*|"
    r"(?:write|draft|compose|generate|create|give me|list|output|produce|provide) (?:me )?(?:the|a|"
    r"an|some|example|"
    r"sample)? ?(?:\w+ ){0,2}(?:messages?|texts?|dms?|scripts?|ads?|adverts?|posts?|profiles?|"
    r"bios?|pitch|lines?|captions?|listings?|dialogue|conversation|chat|opening lines?)|"
    r"so it (?:feels|sounds|seems|is) (?:real|realistic|authentic|believable)|realistic|"
    # a scene to play out: "how would a trafficker hide a girl if the police came to the hotel"
    r"if (?:the )?(?:police|cops|they|inspectors|immigration|social services) (?:came|come|"
    r"show(?:ed)? up|raid\w*|knock\w*|arriv\w*|turn(?:ed)? up))\b"
)
HOW_WOULD = rx(
    r"\b(?:how (?:would|could|does|do|might|should|will)|describe|explain|show|walk me through|"
    r"(?:what|which) (?:\w+ ){0,3}?would|what (?:does|do|should|would) (?:he|she|they) "
    r"(?:tell|say))\b"
)
PROTECTIVE = rx(
    r"\bso (?:that )?(?:i|we|parents|teachers|students|kids|people) (?:can|could|will) "
    r"(?:recognis|recogniz|spot|protect|warn|talk|teach|help|prevent|notice|report|understand)"
)
