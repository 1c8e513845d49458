"""Someone in danger: first-person cues for the asker, worried third-person cues for a relative
or friend, the framing that switches a cue off (negation, hypotheticals, study), and the
situations (topics) the help is matched to."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.safety.text import CLAUSE_SPLIT, SENTENCE_SPLIT, rx
from bot.safety.vocabulary import FAMILY_WORDS, IMAGES, YOUNGER_FAMILY

# Those who hold a worker's documents or wages.
_EMPLOYER = r"(?:owner|boss|employer|manager|agency|agent|madam|sponsor)"
_DOCS = r"(?:passports?|papers|documents|ids?|id cards?|identity cards?|visas?|work permits?)"
SELF = [
    (
        "labour",
        rx(
            # someone else holds them: not "how do I keep my passport safe"
            r"(?<!\bi )(?<!\bwe )(?<!\bto )\b(?:took|take|taken|takes|taking|has|have|had|keeps?|"
            r"kept|keeping|holds?|holding|"
            r"held|confiscated?|stole|stolen|hid|hides|hidden|burned|burnt)\b(?: \w+){0,3} "
            rf"(?:my|our) {_DOCS}|\b(?:my|our) {_DOCS} (?:was|were|has been|have been|is|are|got)"
            rf" (?:taken|kept|held|confiscated|stolen)|\bdo not have (?:my|our) {_DOCS}|"
            # the workers' documents, held by whoever employs the writer
            rf"\b(?:{_EMPLOYER}|company)\w* (?:\w+ )?"
            r"(?:keeps?|kept|holds?|held|took|takes|has|confiscated?)\b (?:all )?(?:the |our )?"
            rf"(?:workers'?|staff'?|girls'?|maids'?|everyone's) {_DOCS}|"
            # asking someone who holds them: "get my employer to give back my passport"
            rf"\b(?:give|hand|return)\w* (?:me |us )?back (?:my|our) {_DOCS}|"
            rf"\b(?:give|hand|return)\w* (?:my|our) {_DOCS} back\b|"
            r"\b(?:made|makes|forced|forces) (?:me|us) (?:to )?(?:hand|give|turn|sign) "
            rf"(?:over|up) (?:my|our) {_DOCS}|"
            # made to work with no pay or no school: "they make me clean all day, i'm 14 and
            # i haven't been to school since i came"
            r"\b(?:they|he|she) (?:make|makes|made|force|forces|forced) (?:me|us) (?:to )?(?:clean|"
            r"work|cook|sew|beg|sell|steal|serve)\b(?=.{0,80}\b(?:school|without pay|no pay|not "
            r"paid|for free|\d+ hours)\b)"
        ),
    ),
    (
        "trafficked",
        rx(
            # someone else holds them: not "I want to take over our money"
            r"(?<!\bi )(?<!\bwe )(?<!\bto )"
            r"\b(?:took|take|taken|takes|taking|keeps?|kept|holds?|holding|confiscated?|stole|"
            r"smashed|broke|controls?|controlled|controlling)\b(?: \w+){0,2} (?:my|our) "
            r"(?:phones?|sim|money|wages|pay|salary|bank|cards?|"
            r"earnings|tips)"
        ),
    ),
    (
        "trafficked",
        rx(
            r"\b(?:sells?|sold|selling) (?:me|us) (?:to|for|off|out|online|every|on)\b|"
            # "if i talk to anyone my family back home will pay for it" (the "if" is the threat's)
            r"\b(?:(?:said|says|told (?:me|us)|warned (?:me|us))(?: that)?"
            r"(?: if (?:i|we) [\w ]{0,40}?)? )?(?:my|our) (?:family|mother|mum|parents|kids|"
            r"children) (?:back home )?(?:will|would) (?:pay for it|suffer|be hurt|get hurt|"
            r"be killed)\b|"
            r"\b(?:the people|the man|the men|the woman|those) who brought (?:me|us) here\b|"
            r"\b(?:recruiter|agent|agency|broker)\b.{0,40}\b(?:wants|told|tells|is making) me to\b|"
            r"\b(?:says?|told me) (?:to )?(?:just )?(?:tell|lie to) (?:immigration|the officer|"
            r"customs|the police|border)\b|"
            r"\b(?:keeps?|kept) (?:the )?(?:doors?|gates?) locked\b|"
            r"\b(?:will|would|going to) deport (?:me|us)\b|"
            r"\b(?:will|would|going to) (?:have|get) (?:me|us) deported\b|"
            r"\b(?:hard|cannot|can not) (?:to )?breathe\b|"
            r"\b(?:we are|i am) (?:in|inside|locked in) (?:the back of )?(?:a |the )?"
            r"(?:truck|lorry|van|container|trunk|boot)\b|"
            r"\b(?:anyone|whoever|anybody) (?:who )?(?:complains?|talks?|leaves?|tells?|runs?|"
            r"says anything|tries to \w+) (?:is|will be|would be) next\b|"
            # "the boss says if we go to police they will hurt my mother": the "if" is the threat's,
            # so the match starts at "says", before it
            r"\b(?:(?:says?|said|told (?:me|us)|warned (?:me|us)|threaten\w*)(?: that)?"
            r"(?: if (?:i|we) [\w ]{0,40}?)? )?(?:they|he|she|boss|agent|agency) (?:will|would|"
            r"are going to|is going to|threaten\w* to) (?:hurt|kill|harm|beat|find|come for|"
            r"go after) (?:my|our) (?:mother|"
            r"mum|father|dad|family|sister|brother|kids|children|son|daughter|parents|wife|"
            r"husband|grandmother)\b|"
            # someone met online moving the asker away, and something already feels wrong
            r"\bmet (?:\w+ ){0,3}?(?:on|online|through|via) (?:\w+ )?(?:insta\w*|tiktok|snap\w*|"
            r"facebook|fb|discord|telegram|whatsapp|online|an app|a game|the internet|dating \w+)\b"
            r".{0,60}?\b(?:pick\w* me up|tak\w* me|driv\w* me|send\w* me|fly\w* me|mov\w* me|"
            r"bring\w* me) (?:\w+ ){0,4}?(?:to (?:another|a different|his|their) (?:city|town|"
            r"country|state)|abroad|overseas|across the border|for (?:a |the )?(?:work|job))\b"
            r"(?=.{0,160}\b(?:weird|strange|scared|afraid|angry|mad at me|will not tell|"
            r"not to tell|secret|worried|nervous|sketchy|creepy|pressur\w*)\b)|"
            r"\b(?:rents? out|rented out|pimps?|pimped) (?:me|us)\b|"
            r"\b(?:they|he|she) (?:are|is) (?:watching|reading|checking|monitoring|tracking) "
            r"(?:my|our) (?:messages|phones?|texts|chats|calls|location)\b|"
            r"\b(?:they|he|she) (?:checks?|reads?|monitors?|tracks?|goes through|looks through) "
            r"(?:everything|my (?:phone|messages|texts|chats|emails?|location))\b|"
            # "if i don't get back in 10 minutes he'll come looking for me": the "if" is his
            r"\b(?:if i (?:do not|am not) [\w ]{0,40}? )?(?:he|she|they) (?:will|would|is going to|"
            r"are going to) come (?:looking for|after) (?:me|us)\b|"
            r"\bknows? (?:that )?i need help\b|"
            r"\b(?:wants?|expects?|asks?|asked|told|tells) (?:me|us) to (?:be nice to|sleep with|"
            r"have sex with|keep (?:\w+ )?company|entertain|hang out with|party with|look after) "
            r"(?:his|her|their|the) (?:friends|mates|customers|clients|guests|boss)\b|"
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
        rx(
            r"\b(?:i|we) (?:owe|am in debt|are in debt|have to pay (?:\w+ )?(?:back|off)|"
            r"must pay (?:\w+ )?(?:back|off)|need to pay (?:\w+ )?(?:back|off))|"
            # not a parent's or a teacher's rule: "my parents say I can't have TikTok"
            r"(?<!parents )(?<!mum )(?<!dad )(?<!mother )(?<!father )(?<!teacher )(?<!school )"
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
        rx(
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
        rx(
            r"\b(?:threaten\w*|blackmail\w*|extort\w*|sextort\w*) (?:me|us)\b|"
            rf"\b(?:has|have|had|got|kept|saved|posted|shared|screenshotted|recorded) (?:\w+ )?"
            rf"(?:my|our) (?:\w+ )?{IMAGES}|"
            r"\b(?:is|are|was|were|keeps?|started|has been|have been|he|she|they|someone|"
            r"somebody) (?:\w+ ){0,2}(?:sending|sent|sharing|shared|posting|posted|leaking|leaked|"
            r"spreading|uploading|uploaded|showing|selling|sold) (?:\w+ )?(?:my|our) (?:\w+ )?"
            rf"{IMAGES}|"
            r"\bunless (?:i|we) (?:pay|send|give)\b|\bif (?:i|we) do not (?:pay|send|give)\b|"
            # "they have a video of me ... they want bitcoin", "i paid once, now they want more"
            r"\b(?:has|have|had|got|recorded|filmed) (?:a |an |some )?(?:\w+ )?(?:videos?|"
            r"photos?|pictures?|pics|images?|recordings?|footage|clips?|nudes) of (?:me|us)\b"
            r"(?=.{0,120}\b(?:pay|money|bitcoin|crypto|gift ?cards?|unless|or else|leak|threat\w*|"
            r"blackmail\w*|hacked|or (?:he|she|they) will)\b)|"
            r"\b(?:i|we) (?:already )?(?:paid|sent) (?:\w+ ){0,3}?(?:and|but) (?:now )?(?:they|he|"
            r"she) (?:want|wants|are asking for|is asking for|demand|demands) more\b|"
            r"(?<!\bi )(?<!\bwe )(?<!\bi am )(?<!\bwe are )"
            r"\b(?:threat\w*|going|wants?|will|says? (?:he|she|they) will) (?:to )?(?:post|share|"
            r"send|leak|release|show|spread|upload|expose|sell) (?:\w+ )?(?:my|our)\b|"
            r"\b(?:threat\w*|going|wants?|says? (?:he|she|they) will) (?:to )?expose me\b|"
            rf"\b(?:i|we) (?:sent|send|shared|gave|showed) (?:\w+ ){{0,4}}?{IMAGES}\b"
            r"(?=.{0,120}\b(?:threat\w*|pay|money|post|share|leak|send them|everyone|unless|"
            r"blackmail\w*|expose|gift ?cards?|bitcoin|or (?:he|she|they) will|or else|"
            r"wants? more|to my (?:school|parents|family|friends|boss|followers|contacts)|"
            r"\$|£|€))"
        ),
    ),
    (
        "grooming",
        rx(
            # "he wants a pic of me", "keeps asking me for pics"
            r"\b(?:wants?|asks?|asked|asking|keeps asking|begging|begged|pressuring|pressures) "
            r"(?:me )?(?:for )?(?:a |some |more )?(?:\w+ )?(?:pics?|photos?|pictures?|selfies?|"
            r"nudes|videos?) of me\b|"
            r"\b(?:asking|asks|asked|begging|pressuring|pressures) me for (?:\w+ )?(?:pics|photos|"
            r"pictures|nudes|selfies|videos)\b|"
            r"\b(?:wants?|asks?|asked|asking|keeps asking|told|tells|begging|begged|pressuring|"
            r"pressured|pressures|trying to get|convinced|invited|invites|dared|dares) me (?:to )?"
            rf"(?:send (?:him |her |them )?(?:\w+ ){{0,2}}{IMAGES}|meet|"
            r"keep (?:\w+ ){0,3}secret|"
            r"come (?:to|and|over|with|live|see)|run away|video ?call|move in|live with|visit|"
            r"delete (?:our|the|his|her) (?:chats?|messages)|not (?:to )?tell|"
            r"take (?:off|pics|photos)|"
            r"turn on (?:my|the) (?:cam|camera|webcam)|go on (?:cam|camera)|undress|get naked)|"
            # probing where a child lives, and anger at a child telling a parent
            r"\b(?:keeps? asking|asks?|asked|wants to know) (?:me )?(?:where i live|for my address|"
            r"(?:what|which) school i go to)\b|"
            r"\b(?:mad|angry|upset|annoyed|cross) (?:at me )?if i (?:tell|told) (?:my |anyone|"
            r"anybody)(?:mum|dad|parents|mother|father|family)?\b"
        ),
    ),
    (
        "general",
        rx(
            r"\b(?:stalk\w*|follow|follows|following|followed|track|tracking|tracks|tracked|"
            r"watch|watching|watches|monitor|monitoring|monitors|beat|beats|beating|hit|hits|hurt|"
            r"hurts|hurting|abusing|abused|"
            r"harass\w*|punish\w*) (?:me|us)\b"
            r"(?! on (?:ig|insta\w*|tiktok|twitter|x|social|snap\w*|facebook|fb|twitch|youtube)\b)|"
            r"\b(?:knows?|found out|find out|has|have|got) (?:where|my) (?:i|we) "
            r"(?:live|work|study|go to school|am|stay|sleep)|\bknows? my (?:address|school)|"
            rf"\b(?:has|have|took|taken|kidnapped|abducted|is holding|are holding|holding) my "
            rf"(?:(?:little|baby|\d+ year old) )?(?:{FAMILY_WORDS})\b|"
            r"\b(?:kill|hurt|beat|harm|come for|come after|find) (?:me|us|my (?:family|mum|dad|"
            r"kids|children|parents|little))\b|"
            r"\b(?:beat|hit|hurt|punish|torture|shock|electrocute)\w* (?:anyone|everyone|people|"
            r"those|whoever|the workers|the others)\b"
        ),
    ),
    (
        "general",
        rx(
            r"\b(?:using|on|from|borrowed|borrowing|with) (?:a |my |the )?(?:friend's|friends|"
            r"neighbour's|neighbours|someone's|somebody's|borrowed|hidden|secret|another|"
            r"stolen|spare) (?:phone|wifi|wi-fi|laptop|computer|device|internet|sim)|"
            r"\b(?:can only|only|i) (?:write|text|message|type|talk)\w* (?:\w+ )?(?:when|while) "
            r"(?:they|he|she) (?:sleep|are asleep|is asleep|are out|is out|are not looking|"
            r"is not looking|leave)|\b(?:they|he|she) (?:check|checks|read|reads|go through|"
            r"goes through|monitor|monitors|take|takes) my (?:phone|messages|texts|chats)|"
            # cut off so as to depend on one person: "he wants me to depend only on him"
            r"\b(?:wants?|makes?|made|forces?|forced|expects?) me (?:to )?(?:depend|rely) "
            r"(?:only |solely |entirely |completely )?on (?:him|her|them)\b"
        ),
    ),
]
SELF_HARM = [
    rx(
        r"\b(?:want|wanting|going|planning|plan|ready|trying|tried|decided|think about|"
        r"thinking about|thought about|thoughts of|thinking of|feel like) (?:to |i want to )?"
        r"(?:die|kill myself|end (?:it|it all|my life|everything)|take my (?:own )?life|"
        r"hurt myself|harm myself|cut myself|commit suicide|suicide|killing myself|"
        r"ending (?:it|my life))\b"
    ),
    rx(
        r"\b(?:kill myself|killing myself|end my life|take my own life|hurt myself|harm myself|"
        r"cut myself|cutting myself|self[- ]harm\w*)\b"
    ),
    rx(
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
    rx(
        r"\b(?:he|she|they|my \w+(?: \w+)?) (?:\w+ ){0,3}(?:wants? to|going to|will|said|says|"
        r"talking about|talks about|threatened to|tried to|keeps saying) (?:\w+ ){0,3}?"
        r"(?:die|kill (?:himself|herself|themself|themselves)|end (?:it|his life|her life|"
        r"their life)|hurt (?:himself|herself|themself)|harm (?:himself|herself|themself)|"
        r"suicide)\b"
    ),
]

RELATION = rx(
    rf"\b(?:my|our) (?:(?:\d+ year old|little|older|younger|teenage|teen|eldest|youngest|baby|"
    r"best|step|"
    rf"ex|new|only|oldest|\w+teen year old) ?)*(?:{FAMILY_WORDS}|fiancee?|roommate|flatmate|"
    r"neighbour|colleague|coworker|co-worker|employee|worker|aunt|uncle|auntie|relative|"
    r"classmate|mate|youth|mentee|niece|nephew|girl|boy|\d+ year old|nanny|maid|housekeeper|"
    r"cleaner|carer|caregiver|au pair|helper|domestic worker|tenant|lodger)\b|"
    r"\b(?:a|one of my|our|the|this) (?:coworker|co-worker|colleague)\b|"
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
OTHER = [
    (
        "missing_child",
        rx(
            r"\b(?:is|are|has been|have been|went|gone|been|was|reported) missing\b|"
            r"\bhas been gone|\b(?:is|are) gone\b|\b(?:has|have|did) not (?:come|came|returned|"
            r"got|been) (?:back|home)|\bnever (?:came|come) (?:back|home)|\bran away|"
            r"\bdisappeared|\bvanished|\bcannot (?:find|reach|contact) (?:her|him|them)\b|"
            r"\bnot answering|\b(?:have not|has not|nobody has|no one has) heard from|"
            r"\b(?:has not|have not|had not) been heard from|"
            r"\b(?:she|he|they) never (?:came|arrived|showed up|turned up|got there)\b|"
            r"\b(?:agency|agent|employer|boss|madam|sponsor) (?:has )?stopped answering\b|"
            r"\b(?:her|his|their) phone'?s? (?:is |are |has |have |was |went )?(?:been )?(?:\w+ )?"
            r"(?:off|"
            r"dead|switched off|disconnected)|"
            r"\b(?:has not|have not|had not) (?:answered|replied|called|texted|messaged|been in "
            r"touch)\b (?:\w+ ){0,3}?since (?:she|he|they) (?:went|left|moved|flew|travell?ed)\b|"
            r"\b(?:will not|would not|refuses? to|refused to|cannot|can not) (?:tell|say|give) "
            r"(?:us |me |them )?where (?:she|he|they) (?:is|are|went|has gone|have gone)\b|"
            r"\b(?:left|went off|drove off) with (?:a|an|some|this|that) (?:man|guy|older|"
            r"stranger|person|adult|woman|boy|girl)"
        ),
    ),
    (
        "sextortion",
        rx(
            r"\b(?:is|are|was|were|has been|have been|got|gets|getting|being|keeps being) "
            r"(?:\w+ )?(?:blackmailed|sextorted|extorted|threatened)\b|"
            # "will come get her if she doesnt send videos"
            r"\bif (?:she|he|they) (?:does not|do not|will not) (?:send|pay|give)\b|"
            r"\bunless (?:she|he|they) (?:sends?|pays?|gives?)\b|"
            r"\b(?:will|going to) come (?:get|for|after) (?:her|him|them)\b|"
            r"\bknows? where (?:she|he|they) lives?\b|"
            r"\b(?:is|are) (?:trapped|locked in|locked up|being held)\b|"
            r"\b(?:going to|about to|wants to|plans to) meet (?:a |an |some |this |her |his )?"
            r"(?:\w+ )?(?:friend|guy|man|boy|girl|person|someone|stranger)\b.{0,30}\b(?:from|on) "
            r"(?:snapchat|"
            r"snap|instagram|insta|tiktok|roblox|discord|fortnite|minecraft|online|the internet|"
            r"a game|an app)\b|"
            r"\blocked in (?:one |a |the |their |her |his )?(?:room|basement|house|flat|van)\b|"
            r"\b(?:whispered|mouthed|signalled|signaled)\b.{0,15}\bhelp\b|"
            r"\bbegged me not to leave\b|"
            r"\b(?:texted|messaged|sent) me (?:\w+ )?(?:help|sos)\b|\blocation pin\b|"
            r"\b(?:take|takes|took|taking|keep|keeps|kept) (?:all )?(?:his|her|their) (?:benefits|"
            r"pension|wages|pay|salary|earnings)\b|"
            r"\b(?:make|makes|made|making|force|forces|forced|forcing) (?:him|her|them) (?:to )?"
            r"work\b|"
            r"\b(?:making|makes|made|forcing|forces|forced) (?:her|him|them) (?:to )?(?:see|"
            r"sleep with|meet|have sex with|service) (?:other |older |different )?(?:men|guys|"
            r"clients|customers)\b|"
            r"\b(?:grabbed|grabbing|pulling|pulled|dragging|dragged|pushing|pushed) (?:the )?"
            r"(?:\w+'s )?(?:arm |hand )?(?:of )?(?:him|her|them|the (?:boy|girl|child|kid))\b"
            r".{0,30}"
            r"\b(?:into|toward|towards|to) (?:a |the |his |her )?(?:car|van|truck)\b|"
            r"\b(?:blackmail|sextort|extort)(?:s|ed|ing) (?:her|him|them)\b|"
            rf"\b(?:sent|shared|send|posted) (?:\w+ ){{0,3}}?{IMAGES}\b"
            r"(?=.{0,120}\b(?:threat\w*|pay|money|post|share|leak|everyone|unless|blackmail\w*|"
            r"expose|scared|terrified|\$|£|€))|"
            rf"\b(?:has|have|got|posting|posted|sharing|shared) (?:her|his|their) "
            rf"(?:\w+ )?{IMAGES}|"
            r"\bthreat\w* to (?:post|share|send|leak|release|show|spread|upload|expose|sell)\b"
        ),
    ),
    (
        "trafficked",
        rx(
            # documents held and no pay: "the owner keeps his ID and he's never been paid"
            rf"\b{_EMPLOYER}\w* (?:\w+ )?(?:keeps?|"
            rf"kept|holds?|held|took|takes|has|confiscated?)\b (?:all )?(?:his|her|their) {_DOCS}|"
            r"\b(?:he|she|they) (?:has|have) never been paid\b|"
            # a debt to the one who brought her, enforced by a curse: "she owes 30,000 euros"
            r"\b(?:she|he|they) (?:owes?|owe) (?:\w+ ){0,2}?(?:\d[\d,.]*|euros|dollars|pounds|"
            r"naira)\b|\b(?:be |been |being )?cursed\b|\bjuju\b|"
            # locked in and underfed: "the madam locks her in and she isn't getting much food"
            r"\b(?:locks?|locked|locking) (?:her|him|them) (?:in|up|inside)\b|"
            r"\b(?:is not|are not|not) (?:getting|given|being given) (?:much |enough |any )?food\b|"
            # men coming and going: "men come every night", "different men pick her up"
            r"\b(?:men|older men|different men|strange men|strangers|cars) (?:\w+ )?(?:come|"
            r"coming|visit\w*|arrive|turn up|pick (?:her|him|them) up)\w* (?:\w+ ){0,3}?(?:every|"
            r"each|at) (?:night|day|evening|weekend)\b|"
            r"\b(?:want|wants|demand\w*|asking for|asks for|ask for|pay) (?:a )?ransom\b|"
            r"\bransom (?:to|before they|or they) (?:let|release|free)|"
            r"\b(?:stuck|held|trapped|working|went to work|taken|sent) (?:\w+ ){0,3}(?:in|at|to) "
            r"(?:a )?scam (?:centre|center|compound|camp|farm|factory)s?\b|"
            r"\b(?:is|are|was|were|has been|have been|got|gets|getting|being) (?:\w+ )?"
            r"(?:groomed|trafficked|sold|advertised|pimped|held|kept|locked|forced|exploited|"
            r"abused|recruited|lured|kidnapped|abducted|beaten|raped|assaulted|drugged|trapped|"
            r"stuck|controlled|coerced|taken|hurt)\b|"
            rf"\b(?:{IMAGES}|ads?|adverts?|profiles?|listings?|posts?) (?:\w+ ){{0,2}}?of "
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
            r"\b(?:being|are|is) (?:kept|held|locked (?:up|in)) (?:there|inside|in (?:there|the "
            r"house|a room|the flat|the basement))\b|"
            r"\b(?:slipped|passed|handed|gave) me a note\b|\bnote (?:that )?(?:says|said) help\b|"
            r"\b(?:slipped|passed|handed|gave|pushed) (?:me )?a note\b.{0,40}\bhelp\b|"
            r"\b(?:men|guys) (?:\w+ )?in and out\b|"
            r"\b(?:she|he|they) (?:never|is never allowed to|is not allowed to|are not allowed to) "
            r"(?:leaves?|goes? out|go outside|talks? to anyone)\b"
        ),
    ),
    (
        "grooming",
        rx(
            r"\b(?:wants?|asks? for|asking for|asked for|keeps asking for) (?:her|his|their) "
            r"(?:phone )?(?:number|address|snapchat|location|school)\b|"
            r"\b(?:asked|asking|asks|told|telling|tells|wants|wanted|invited|inviting|invites|"
            r"pressuring|pressured|pressures|begging|begged|convinced|trying to get|offered|"
            r"offering|promised|promising|paying|pays|paid) (?:my|her|him|them) (?:\w+ ){0,4}?"
            rf"(?:to )?(?:keep (?:\w+ ){{0,3}}secret|meet|come|run away|send|sending|delete|"
            rf"stay over|stay the night|sleep over|for (?:\w+ )?{IMAGES}\b|"
            r"not (?:to )?tell|move|live|visit|travel|go away|leave home|"
            r"a (?:bus|train|plane) ticket)|"
            # "asked for a pic of him", "some man ... ask her pics"
            r"\b(?:ask|asks|asked|asking|wants?|wanted|begging|pressuring) (?:her |him |them )?"
            rf"(?:for )?(?:a |some |more )?(?:\w+ )?{IMAGES} of (?:her|him|them)\b|"
            r"\b(?:ask|asks|asked|asking|begging|pressuring) (?:her|him|them) (?:for )?(?:\w+ )?"
            rf"{IMAGES}\b|"
            r"\b(?:older|grown|adult|much older|\d\d year old) (?:man|guy|men|woman|boyfriend|"
            r"stranger|person)\b(?=.{0,80}\b(?:pays?|paid|buys?|bought|gives?|gave|gifts?|"
            r"picks? (?:her|him) up|picked (?:her|him) up|drives? (?:her|him)|wants? to meet|"
            r"asked (?:her|him)|asks (?:her|him)|messag\w*|dms?|texts?|sends? (?:her|him)|"
            r"visits?|takes? (?:her|him)))"
        ),
    ),
]
# The asker sees or hears it nearby: a real case, as much as a named relation.
WITNESS = rx(
    r"\bi (?:just |can |could |often |keep |have |also )?(?:heard|hear|hearing|saw|see|seen|"
    r"noticed|notice|watched|watch|walked in|walked into|found|came across|discovered)\b|"
    r"\bjust (?:walked in|walked into|found|came across|discovered)\b|"
    r"\b(?:next door|downstairs|upstairs|next to (?:mine|me|"
    r"ours|us|my \w+)|across the (?:hall|street|road)|in (?:my|our) (?:building|street|block|"
    r"hotel|motel|apartment|flat|neighbourhood))\b"
)
# ... unless what they saw was on a screen or in print.
MEDIA = rx(
    r"\b(?:documentary|documentaries|film|movie|news|article|book|podcast|series|show|episode|"
    r"story|stories|video|tv|youtube|netflix|tiktok video|report|novel)\b"
)
URGENT = rx(
    r"\b(?:right now|tonight|in my office|with me now|is here now|at the moment|"
    r"who (?:do|should|can) (?:i|we) (?:call|tell|contact)|please help|help us|help me|urgent|"
    r"asap|police (?:told us|said|will not|are not|did not|say)|scared|terrified|worried sick|"
    r"panicking|freaking out|what do (?:i|we) do (?:now|first))\b"
)
_AGE = rx(r"\b(?:is|am|aged|age|was|turned|only|just) (\d{1,2})\b|\b(\d{1,2}) year old\b")
_ADULT_PARTNER = rx(
    r"\b(?:boyfriend|girlfriend|man|guy|woman|adult|partner|lover|friend|someone|person|he|she)\b"
)
# Someone telling of the past from safety ("I was trafficked as a teen, I am safe now").
PAST_SAFE = rx(
    r"\b(?:i am|i feel|we are|i have been) (?:safe|okay|ok|out|free|fine) now|\bi got out\b|"
    r"\beven though i am safe\b|\blast (?:year|month|summer|winter|spring|autumn)\b|"
    r"\bit stopped\b|\b(?:years|months) "
    r"ago\b|\bsurvivor\b|\bin the past\b|\bwhen i was (?:a |younger|young|little|\d+)|"
    r"\bas a (?:teen|teenager|kid|child|minor)\b|\bused to\b"
)
# Someone else who was in danger and is safe now: "he ran away last month, he is home and safe".
OTHER_SAFE = rx(
    r"\b(?:he|she|they) (?:is|are) (?:back )?(?:home|back|safe|fine|okay|ok|out)(?: and (?:safe|"
    r"home|fine|okay|ok|well))? now\b|\b(?:he|she|they) (?:is|are) (?:home|back) safe(?:ly)?\b|"
    r"\b(?:her|his|their) (?:last|former|previous|old) (?:employer|boss|job|agency)\b"
)
OTHER_PAST = rx(
    r"\b(?:ran|went|was|were|had|left|disappeared|vanished|took|kept|held|did not come)\b"
)
# ... and her fear now is of what comes next (reporting, being believed), not of being held.
FEAR = rx(r"\b(?:scared|afraid|terrified|frightened|worried|nervous)\b")
# A survivor's lingering fear ("I still feel like they are watching me") is no present danger.
FEELING = rx(r"\b(?:feel|feels|felt|feeling) (?:like|as if|as though)\b")
PAST_TENSE = rx(r"\b(?:was|were|had|took|used to|kept|held|forced|made)\b")
# A child writing about themselves: a weak cue, enough with similarity to the crisis examples.
CHILD_SELF = rx(r"\bi am (?:only |just )?(?:[5-9]|1[0-7])\b(?! (?:percent|%|minutes|hours))")
# "What should I do if ..." asks about a possibility; similarity alone must not call it a crisis.
# "... if my son sent a video": the conditional tells of something that has happened.
REAL_EVENT = rx(
    r"\b(?:if|when) (?:my|our) (?:\w+ ){0,3}?(?:sent|shared|posted|met|went|was|were|has been|"
    r"have been|got|took|gave|ran)\b"
)
# "What should I do if ...": asking for advice on a situation.
_ASKS_ADVICE = r"\bwhat (?:should|would|do|does|can|could|must) (?:\w+ ){1,3}do (?:if|when)\b"
# ... or on one's own situation, at the end of the message: "..., what can I do?"
ASKS_ADVICE = rx(
    rf"{_ASKS_ADVICE}|\bwhat (?:should|can|could|do) (?:i|we) do"
    r"(?: right now| now| about (?:it|this|that))?"
    r"\W*$"
)
HYPOTHETICAL = rx(
    rf"{_ASKS_ADVICE}|"
    r"\b(?:who|where|how) (?:should|do|does|can|could|would|must) (?:i|we|you|one|he|she|they|"
    r"kids|children|teens|(?:my|a|your) \w+) (?:\w+ ){1,3}(?:if|when)\b|"
    r"\b(?:is it|would it be) (?:ok|okay|legal|wrong|normal|right|fine|a good idea|allowed) to\b|"
    r"\bis it (?:safe|ok|okay) for (?:my |a |an |her |him )?\w+ to\b|"
    r"\bwhat happens (?:if|when)\b|\bwhat if\b|\bin case\b|"
    r"\bcould (?:she|he|they|it|my \w+) be (?:being )?(?:used|groomed|trafficked|exploited|"
    r"scammed|targeted)\b"
)
# Anyone close to the asker: "my girlfriend", "my friends".
CLOSE_PEOPLE = rx(rf"\bmy (?:\w+ )?(?:{FAMILY_WORDS})\b")
# Protecting children, getting away oneself, helping someone out of a situation, or doing a
# thing lawfully: similarity alone must not call it exploitation.
PROTECTING = rx(
    r"\b(?:protect\w*|prevent\w*|keep\w* (?:\w+ )?safe|safety|warn\w*)\b|"
    # reporting, not being reported: "how do I stop the channel getting reported" is evasion
    r"(?<!\bget )(?<!\bgets )(?<!\bgetting )(?<!\bgot )(?<!\bbe )(?<!\bbeing )(?<!\bbeen )"
    r"\breport\w*\b|"
    r"\b(?:help|helping|support|supporting|assist|assisting)\b (?!me\b|us\b)(?:\w+ ){0,3}?"
    r"(?:who|that) (?:wants?|is trying|tries|needs?|has been|was|is being|escaped|left)\b|"
    r"\b(?:legally|lawfully|properly|fairly|ethically|legitimately|above board|by the book|"
    r"within the law)\b|"
    # paying someone's way home: "she wants to go home early, how do I get her a cheaper flight"
    r"\b(?:get|buy|book|find|pay for) (?:her|him|them) (?:a |an )?(?:\w+ )?(?:flights?|tickets?)\b|"
    # training people to refuse or to notice: "coach my staff so they say no to suspicious ..."
    r"\b(?:say|saying) no to\b|\bsuspicious (?:customers|people|men|adults|accounts|messages|"
    r"activity|behaviou?r|guests|clients)\b|"
    rf"\bmy (?:\w+ )?(?:{YOUNGER_FAMILY}|class|\d+ year old)\b|"
    r"\bwithout overstepping\b|\brespect\w* (?:her|his|their) (?:boundaries|relationship|privacy|"
    r"space)\b|"
    r"\bkeep\w* (?:my|our|your|the|their) (?:\w+ ){0,3}(?:off|away from|out of)\b|"
    r"\b(?:might|may|could) be (?:being )?(?:groomed|trafficked|exploited|targeted|abused)\b|"
    # looking for the signs, and people whose work is to help
    r"\b(?:signs|(?:warning|telltale|tell-tale|early|first) sign|sign (?:of|that)|look out for|"
    r"watch out for|(?<!\bno )(?<!\bwithout )red flags)\b|"
    r"\b(?:youth|case|support|outreach|care) workers?\b|\bcaseworkers?\b|\bteachers?\b|"
    r"\bfoster (?:carers?|parents?|mum|dad)\b|"
    r"\bat risk\b|\bget (?:away|out) (?:from|of)\b|\bescape from\b|"
    r"\b(?:counsell?ors?|therapists?|doctors?|nurses?|social workers?|helplines?|hotlines?)\b"
)

# Distancing: the asker says the message is not about them, or is for study.
ACADEMIC = rx(
    r"\b(?:asking (?:for|about) (?:my |a |an |the )?(?:class|school|project|essay|paper|"
    r"assignment|homework|research|presentation|course|lesson|students|training|workshop|"
    r"article|report|uni|university|college)|"
    r"for (?:my |a |an |the |our )?(?:class|school|project|essay|paper|assignment|homework|"
    r"research|presentation|course|lesson|thesis|dissertation|report|article|training|"
    r"workshop|uni|university|college|assembly|leaflet|poster|newsletter|website|campaign)\b|"
    r"for (?:my |a |an |the |our )(?:\w+ )?(?:centre|center|charity|clinic|shelter|drop-in|"
    r"organisation|organization|ngo)\b|"
    r"i am (?:a |an )?(?:student|teacher|researcher|journalist|writer|lecturer|professor|"
    r"trainer|policy|analyst)\b|just (?:curious|wondering|asking)|in general|"
    r"generally speaking|hypothetical(?:ly)?|not (?:about|happening to) me|"
    r"i am not (?:in (?:any )?danger|being|a victim)|this is not about me|"
    r"i am (?:totally |completely |perfectly )?(?:fine|ok|okay|safe)\b|"
    r"i (?:still )?have my passport|i can leave (?:the house|whenever|any ?time)|"
    r"(?:nobody|no one) (?:is|has) \w+ me|not in (?:any )?danger)"
)
# "someone is being trafficked", "a child goes missing": about people in general, not a case.
STATE = rx(r"(?:is|are|was|were|has|have|had|got|gets|getting|being|keeps|been|went|gone)\b")
GENERIC_SUBJECT = rx(
    r"(?:^|\b(?!my |our |her |his )\w+ )(?:someone|somebody|anyone|anybody|person|people|"
    r"children|kids|child|kid|victims?|teens?|teenagers?|girls|boys|women|men|students|workers|"
    r"migrants|one|many|most|some|who|traffickers?)$|\b(?:a|an|your|their|the) \w+$"
)
_NEGATORS = rx(
    r"\b(?:not|never|no|nobody|none|neither|nor|without|if|whether|suppose|supposing|imagine|"
    r"hypothetically|would|might|could|should|can|legal|legally|in case|what if|nothing|noone)"
    r"\b|\bno one\b"
)
SELF_CONCERN = rx(
    r"\b(?:attracted to (?:children|kids|minors|young)|(?:my own|about my) (?:thoughts|urges|"
    r"behaviour|behavior|feelings)|(?:i|me) (?:\w+ ){0,3}(?:urges|thoughts) (?:about|towards|"
    r"toward) (?:children|kids|minors)|stop (?:looking at|viewing|watching) (?:\w+ ){0,2}"
    r"(?:images|pictures|videos|material|content))"
)

_TOPIC_WORDS = [
    ("self_harm", rx(r"\b(?:suicid\w*|kill (?:myself|himself|herself)|self[- ]harm|want to die)")),
    ("missing_child", rx(r"\b(?:missing|ran away|runaway|disappeared|gone \d+|not come home)")),
    (
        "sextortion",
        rx(rf"\b(?:{IMAGES}|sextort\w*|blackmail\w*|intimate|explicit|naked)\b"),
    ),
    (
        "grooming",
        rx(
            r"\b(?:meet ?up|keep (?:\w+ ){0,3}secret|stranger|older (?:man|guy)|adult|roblox|"
            r"minecraft|fortnite|discord|game)\b"
        ),
    ),
    (
        "labour",
        rx(
            rf"\b(?:{_DOCS}|job|work|working|wages|paid|pay me|debt|owe|employer|boss|farm|"
            r"factory|compound|scam\w*|recruitment fee|agency)\b"
        ),
    ),
    (
        "trafficked",
        rx(
            r"\b(?:sold|selling|advertis\w*|pimp\w*|manager|escort|clients?|prices?|sex|"
            r"trafficked|johns)\b"
        ),
    ),
]
_TOPIC_ORDER = ["self_harm", "missing_child", "sextortion", "grooming", "labour", "trafficked"]


# "How can I tell / protect / keep my son ..." asks how to recognise or prevent, not for help now.
_PREVENTION = rx(
    r"\bhow (?:do|can|would|could|will|should|to) (?:i |we |you |parents |one )?(?:know|tell|spot|"
    r"recognis\w*|recogniz\w*|notice|find out|check|see|protect|prevent|stop|keep|help|make sure)"
    r"\b|\b(?:signs?|risk|chance|chances|likely|common|often|usually|ways?)\b"
)
_BELIEF = rx(r"\bif (?:i|we) (?:think|suspect|believe|feel|am worried|am sure|know)\b")


def _clauses_before(text: str, start: int) -> str:
    """The words of the clause that precede position `start` (for negation look-back)."""
    head = _BELIEF.sub("", text[max(0, start - 200) : start])
    parts = SENTENCE_SPLIT.split(head)
    clause = CLAUSE_SPLIT.split(parts[-1])[-1] if parts else ""
    return " ".join(clause.split()[-6:])


def _switched_off(text: str, start: int) -> bool:
    """True when a negation, hypothetical or prevention frame governs the cue at `start`."""
    before = _clauses_before(text, start)
    if _NEGATORS.search(before) or _PREVENTION.search(before):
        return True
    return bool(re.search(r"\b(?:from|against|of|about)$", before))


def live_matches(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Matches not switched off by a negation or hypothetical just before them."""
    return [m for m in pattern.finditer(text) if not _switched_off(text, m.start())]


def age_gap(text: str) -> str | None:
    """A minor and an adult in one message ("she is 15 ... boyfriend who is 30")."""
    ages = [int(a or b) for a, b in _AGE.findall(text)]
    if ages and re.search(rf"\bi am {max(ages)}\b", text):
        return None  # the asker is the adult: a question about himself, not about a child at risk
    if ages and min(ages) < 18 and max(ages) >= 20 and _ADULT_PARTNER.search(text):
        return f"age gap {min(ages)}/{max(ages)}"
    return None


def situation_topics(text: str, cue_topics: Sequence[str]) -> list[str]:
    """Situations in the message: those of the cues found, then keyword evidence, by priority."""
    found = {t for t in cue_topics if t != "general"}
    if cue_topics:
        found |= {topic for topic, pattern in _TOPIC_WORDS if pattern.search(text)}
    ordered = [t for t in _TOPIC_ORDER if t in found]
    return ordered or ["general"]
