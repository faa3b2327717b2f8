"""The detector's rules as data: for each signal kind, the phrases that suggest it and who may be its subject.

Phrases are regular-expression fragments, matched case-insensitively on word boundaries. `<NAME>` stands for one
of the shared vocabularies in `VOCABULARY` (the victim, a protected order, a weapon...), so a phrase reads like
the words a practitioner writes: "breach\\w* of <THE> <ORDER>".

Subjects say whose sentence it may be: SELF (he, Mr X, the person on probation, or no explicit subject),
PARTNER (she, Ms X, his partner, the victim) or OTHER (his brother, a neighbour, the IDVA, I). A hit whose nearest
subject is not allowed for its rule is about someone else and does not fire.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS: tuple[str, ...] = (
    "new_relationship", "separation", "pregnancy", "birth", "moved", "child_contact_dispute", "police_callout",
    "arrest", "breach_of_order", "contact_with_protected_person", "weapon", "strangulation", "threats_to_kill",
    "threats_of_suicide", "stalking", "escalation", "substance_relapse", "financial_stress",
)

# What each kind means, with phrases that raise it (for the docs and the case page).
MEANINGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "new_relationship": ("he has started (or is hiding) a new intimate relationship",
                         ("new girlfriend", "seeing someone", "met a woman online")),
    "separation": ("a relationship has ended or the couple are apart",
                   ("split up", "she has ended the relationship", "kicked him out")),
    "pregnancy": ("he, his partner or the victim is pregnant",
                  ("14 weeks pregnant", "expecting a baby", "pre-birth assessment")),
    "birth": ("a child of his or his partner's has been born",
              ("gave birth", "his son was born on Tuesday", "newborn")),
    "moved": ("his address or who he lives with has changed, or is about to",
              ("moved to", "new address", "sofa surfing", "moved in with him")),
    "child_contact_dispute": ("conflict about contact with or residence of children",
                              ("family court", "Cafcass", "won't let him see the kids")),
    "police_callout": ("police called to or attending a (domestic) incident",
                       ("police were called", "officers attended", "three call-outs")),
    "arrest": ("he has been arrested, charged, held or remanded",
               ("arrested", "charged with", "remanded", "in custody")),
    "breach_of_order": ("a protective order or condition broken",
                        ("breached his restraining order", "entered the exclusion zone")),
    "contact_with_protected_person": ("contact with the victim or protected person, by any means",
                                      ("texted the victim", "back together", "met up with his ex")),
    "weapon": ("a weapon used, carried, threatened or found",
               ("knife", "bladed article", "threatened her with a hammer")),
    "strangulation": ("non-fatal strangulation, choking, suffocation",
                      ("hands round her neck", "choked", "grabbed her by the throat")),
    "threats_to_kill": ("a threat to kill someone",
                        ("said he would kill her", "threats to kill", "you're dead")),
    "threats_of_suicide": ("his threats or thoughts of suicide or serious self-harm",
                           ("threatened to kill himself", "suicidal", "end it all")),
    "stalking": ("following, watching, tracking, turning up, repeated unwanted contact",
                 ("turned up at her house", "following her", "tracker")),
    "escalation": ("abuse or risk becoming more frequent or more serious",
                   ("escalating", "getting worse", "increasingly controlling")),
    "substance_relapse": ("return to or current misuse of alcohol or drugs",
                          ("relapsed", "back on the drink", "positive for cocaine")),
    "financial_stress": ("debt, arrears, eviction, job loss, benefits stopped",
                         ("rent arrears", "lost his job", "sanctioned", "food bank")),
}

SELF, PARTNER, POLICE, OTHER = "self", "partner", "police", "other"
HIM = frozenset({SELF, POLICE})  # "police arrested him", "officers found a knife": the police act on him
HIM_OR_HER = frozenset({SELF, PARTNER, POLICE})
HER = frozenset({PARTNER})
ANYONE = frozenset({SELF, PARTNER, POLICE, OTHER})


@dataclass(frozen=True)
class Rule:
    """Phrases for one kind, with whose sentences they may fire in and which cues stop them."""

    kind: str
    phrases: tuple[str, ...]
    subjects: frozenset[str] = HIM_OR_HER
    hypothetical: bool = True  # "if", "reminded that", "consequences of" stop it (not for threats)
    history: bool = False  # "at the time of the offence" stops it
    agent: bool = True  # a third-party agent after the hit ("threatened with a knife by a man") stops it


_DET = r"(?:the|his|her|a|an|their|this)"
VOCABULARY: dict[str, str] = {
    "THE": _DET,
    # the victim or protected person, named or described (not a bare "her": see VICTIM_OR_HER)
    "VICTIM": (r"(?:the (?:victim|complainant|injured party|ip|protected (?:person|party))|his (?:ex[- ]?partner|"
               r"ex[- ]?wife|ex[- ]?girlfriend|ex|former (?:partner|wife|girlfriend))|(?:ms|mrs|miss)\.? [\w-]+)"),
    "VICTIM_OR_HER": (r"(?:the (?:victim|complainant|injured party|ip|protected (?:person|party))|his "
                      r"(?:ex[- ]?partner|ex[- ]?wife|ex[- ]?girlfriend|ex|former (?:partner|wife|girlfriend))|"
                      r"(?:ms|mrs|miss)\.? [\w-]+|her)"),
    "HERS": (r"(?:her|the victim's|the complainant's|his ex[- ]?partner's|his ex's|(?:ms|mrs|miss)\.? [\w-]+['’]s)"),
    "PLACE": (r"(?:house|home|address|flat|property|door|front door|work|workplace|job|school|mum's|mother's|"
              r"parents'|sister's|friend's|gym|car|street|road)"),
    "ORDER": (r"(?:restraining order|ro|non[- ]?molestation order|non[- ]?mol|nmo|dapo|dapn|domestic abuse protection "
              r"(?:order|notice)|dvpo|dvpn|domestic violence protection (?:order|notice)|occupation order|injunction|"
              r"exclusion (?:zone|requirement|condition|order|area)|(?:no|non)[- ]contact (?:condition|order|"
              r"requirement|clause)|bail conditions?|licence conditions?|licence|conditions? of (?:his )?(?:bail|"
              r"licence))"),
    "WEAPON": (r"(?:hammer|screwdriver|bat|baseball bat|golf club|bottle|glass|iron bar|metal bar|bar|pole|stick|"
               r"chair|mug|brick|wrench|spanner|scissors|mobile phone|phone|ashtray|lamp|kettle|poker|belt|"
               r"rolling pin|plank|crowbar|tool)"),
    "KILL_TARGET": (r"(?:her|you|u|ya|them|us|the victim|the (?:children|kids|baby)|the lot of (?:you|them)|everyone|"
                    r"both of (?:you|them)|(?:ms|mrs|miss|mr)\.? [\w-]+|his ex[- ]?(?:partner|wife)?|"
                    r"her (?:new )?(?:partner|boyfriend|fella|family|mum|mother|dad|father)|"
                    r"(?:the|her|his ex[- ]?partner's|his ex's) new (?:partner|boyfriend|fella)|him)"),
    "DRUG": (r"(?:drink|booze|beer|lager|alcohol|drugs|gear|heroin|crack|cocaine|coke|spice|weed|cannabis|pills|"
             r"smack|speed|amphetamines?|ketamine|mdma|ecstasy|opiates|benzos?|valium|methadone)"),
    "NUMBER": r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|some|\d+)",
    # "seeing someone about his anger", "seeing someone at the job centre": a service, not a partner
    "NOT_SERVICE": (r"(?! (?:about|for|regarding|at the|at his|to discuss|from (?:the|mind|a service)|"
                    r"(?:at|from) (?:the|his) (?:job ?centre|council|housing|gp|surgery|service)))"),
}

RULES: tuple[Rule, ...] = (
    # -- relationships ---------------------------------------------------------------------------------------
    Rule("new_relationship", (
        # not "her new partner", "the victim's new boyfriend": hers, not his (lookbehinds after "new" run faster)
        r"new(?<!her new)(?<!her['’]s new)(?<!victim['’]s new)(?<!ex['’]s new)(?<!partner['’]s new) (?:girl ?friend|"
        r"partner|relationship|boy ?friend|woman|lady|love interest|fianc[ée]e?|wife|female (?:friend|companion)|"
        r"bird|missus|squeeze)(?! agenc| organisation)(?!s? (?:agenc|organisation))",
        r"(?:a|his) (?:female|lady) friend",
        r"(?:(?:been|started|begun|began|is|was) )?(?:seeing|dating|courting) (?:someone|somebody|a (?:woman|girl|"
        r"female|lady|new))<NOT_SERVICE>",
        r"met (?:a (?:woman|girl|female|lady)|someone|somebody)(?: new)?<NOT_SERVICE>",
        r"(?:woman|girl|lady|female|partner|girl ?friend),? (?:who |whom |that )?he (?:met|has met|has been seeing|"
        r"is seeing|is dating|got together with)",
        r"(?:now |currently )?in a (?:new )?relationship\b",
        r"(?:started|begun|began|commenced|formed|entered(?: into)?|starting) (?:a |an )?(?:new )?relationship",
        r"relationship (?:has |had )?(?:started|began|begun)",
        r"(?:has|have|had|got|having|he['’]s got) (?:a |himself a )?(?:new )?girl ?friend",
        r"(?:his )?current girl ?friend",
        r"girl ?friend (?:stays|stopping|sleeps|staying)",
        r"disclosed (?:a |his |the |that he has a )?(?:new )?(?:relationship|partner|girl ?friend)",
        r"dating (?:app|site|website)s?|online dating|tinder|bumble|plenty of fish|hinge app|match\.com",
        r"(?:on|been on|go on|went on) (?:<NUMBER> )?dates? with",
        r"(?:got |is |now |recently )?engaged to",
        r"talking to['’]? (?:someone|somebody|a (?:woman|girl|lady))",
        r"(?:been|are|were|have been|had been) together (?:for )?(?:about |around |nearly |almost |over |just over |"
        r"just under |only )?<NUMBER> (?:days?|weeks?|months?)",
    ), subjects=HIM),
    Rule("separation", (
        r"split(?:ting)? up|broke(?:n)? up|break[- ]?up",
        r"separat(?:ed|ion|ing)\b(?! (?:into|from the group|out))",
        r"ended (?:the|their|our|his|her) relationship|relationship (?:has |had |is |was )?(?:ended|over|finished|"
        r"broken down|broke down|come to an end)|ended things|finished with him|dumped him",
        r"(?:left|leaving|walked out on) him\b",
        r"(?:kicked|thrown|threw|chucked|put) (?:him )?out\b(?! of (?:the )?(?:group|session|class|pub|club|shop))",
        r"(?:asked|told) (?:him|mr [\w-]+) to (?:leave|move out|go|get out)",
        r"(?:wants?|filed for|filing for|started|seeking|going through|applied for)(?: a)? divorce|divorc(?:ed|ing)\b",
        r"no longer (?:together|in a relationship|a couple|with (?:him|her|(?:ms|mrs|miss) [\w-]+|his (?:partner|"
        r"girl ?friend|wife)))",
        r"on a break",
        r"(?:moved|gone|went|fled) (?:out|to (?:a |the )?refuge|to stay with|into (?:a |the )?refuge)"
        r"(?! of (?:his|the) (?:mother|mum|dad|father|parents|sister|brother|nan|gran|aunt|friend|hostel|ap)\b)",
        r"(?:taken|took) the (?:kids|children)",
    )),
    Rule("pregnancy", (
        r"(?<!teenage )pregnan(?:t|cy|cies)\b",
        r"(?:is|are|she's|she’s|she is|they are|they're|they’re) expecting\b",
        r"expecting (?:a |their |his |her |our |the |[\w-]+['’]s )?(?:baby|child|twins|son|daughter)",
        r"due date|baby (?:is|was) due|due to give birth",
        r"unborn|pre-?birth|ante-?natal|midwife|midwives|trimester",
        r"(?:had|has|having|went for|go to) (?:a |her |the )?(?:\d+[- ]week |dating |baby |anomaly |first )?scan\b",
        r"(?:gone|went|is) into labour|in labour",
        r"miscarri(?:age|ed)",
        r"(?:going to be|becoming|will be|about to become|to become) a (?:dad|father)(?! figure)",
    )),
    Rule("birth", (
        r"gave birth|given birth|giving birth",
        r"(?:baby|son|daughter|child|boy|girl|twins)(?: (?:was|were|has been|had been))?(?: (?:safely|finally|"
        r"prematurely|early))? born",
        r"born (?:<NUMBER> )?(?:days?|weeks?|a (?:week|fortnight)|last (?:week|night|month)|yesterday|today)",
        r"birth of (?:his|their|her|a|the) (?:\w+ )?(?:son|daughter|baby|child|twins|boy|girl)",
        r"new ?born|new baby",
        r"had (?:the|a|their|her) baby|had a (?:little |baby )?(?:boy|girl|son|daughter)",
        r"(?:has |have |had )become a (?:dad|father)|became a (?:dad|father)",
        r"delivered (?:a|the|her) (?:baby|boy|girl)",
        r"baby (?:arrived|came|has arrived)",
    )),
    Rule("moved", (
        r"moved (?:house|home|address|flats?|out|back|in|into|away|area|areas|on to \d)\b(?! on\b)",
        r"moved to (?:a |an |the |his |her )?(?:new |different |another |other )?(?:address|flat|house|property|"
        r"area|hostel|approved premises|ap|bedsit|town|city|tenancy|room|place|b&b|bed and breakfast)",
        r"moved to (?:\d+[a-z]? )?(?!(?:mon|tues|wednes|thurs|fri|satur|sun)day)(?-i:[A-Z])\w*",
        r"(?:moving|move) (?:house|home|out|in\b|in with|into|to (?:a |an |the )?(?:new )?(?:address|flat|house|"
        r"property|area|town|city))",
        r"relocat\w+",
        r"new (?:address|tenancy|flat|accommodation|home address|place)|change of address|proposed address",
        r"(?:is|has been|now|currently|been|is now|are) (?:living|residing|staying|sleeping|sofa[- ]surfing|"
        r"stopping|lodging) (?:at|with|in|on|between)\b",
        r"sofa[- ]?surf\w*|no fixed abode|(?:became|is|now|made|been made) homeless|sleeping rough|rough sleeping",
        r"(?:released to|placed (?:at|in)|bed at|resident (?:at|in)) (?:the |an |a )?(?:approved premises|ap|"
        r"hostel|bail hostel)",
        r"(?:signs?|signed|signing|offered|been given|got|has) (?:the |a |his )?(?:new )?tenancy",
        r"offered (?:him )?(?:a |an )?(?:[\w-]+ )?(?:flat|house|property|bedsit|room)",
        r"evicted|eviction|notice to quit|section 21",
    ), subjects=HIM),
    Rule("moved", (  # someone else acts on him: the landlord serves notice, the council rehouses him
        r"(?:served|given|issued) (?:him )?(?:with )?(?:a |an )?(?:notice|section 21|eviction notice|notice to quit)|"
        r"(?:rehous\w*|evict\w*) him",
    ), subjects=ANYONE),
    Rule("moved", (
        r"moved in with (?:him|mr [\w-]+)|moved in together|move in (?:with (?:him|her|(?:ms|mrs|miss) [\w-]+)|"
        r"together)|back living with|living together|moving in with",
    )),
    # -- children --------------------------------------------------------------------------------------------
    Rule("child_contact_dispute", (
        r"family court|child arrangements?(?: order| hearing| proceedings)?|contact order|cafcass|private law",
        r"(?:contact|custody|residence|access) (?:dispute|battle|proceedings|hearing|application|fight)",
        r"dispute (?:over|about|regarding|with (?:her|the mother|ms [\w-]+) (?:over|about)) (?:child |the )?"
        r"(?:contact|children|kids|custody|access)",
        r"fight(?:ing)? (?:for|over) (?:custody|contact|access|the (?:kids|children))",
        r"(?:seeking|wants|applied for|applying for|apply for) (?:contact|custody|access|residence)\b",
        r"(?:stop\w*|won['’]?t let|will not let|wouldn['’]?t let|refus\w* to let|not letting|keeps? him from|"
        r"keeping him from|withdr\w+|suspend\w*)(?: him)?(?: from)? (?:see\w*|having|contact\b(?!ing))",
        r"hand-?overs?",
        r"(?:lost|losing|lose) (?:custody|contact|access)",
        r"(?:keeps?|keeping|kept|stop\w*) him (?:away )?from (?:seeing )?(?:his|the|their) (?:son|daughter|kids|"
        r"children|child|boys|girls)",
        r"snatch\w* the (?:children|kids)",
        r"supervised contact|contact cent(?:re|er)",
    ), hypothetical=False),
    # -- police ----------------------------------------------------------------------------------------------
    Rule("police_callout", (
        r"police (?:were |was |have been |had been |are )?(?:called|contacted|alerted|rang|phoned|involved)",
        r"(?:called|rang|phoned|contacted|dialled|dialed|ring|call) (?:the )?(?:police|999)|(?:999|emergency) call",
        r"call[- ]?outs?\b",
        r"officers? (?:attended|were called|called|came|arrived|responded|went)",
        r"police (?:attended|came|arrived|responded|visited|came round|went round|turned up)",
        r"attended by (?:the )?police|got the police involved",
        r"(?:domestic|da|dv) incidents?\b",
        r"incident log|concern for welfare|police log",
        r"called to (?:a |the )?(?:disturbance|domestic|address|property)",
    ), agent=False),  # "police were called by a neighbour": the caller is not the actor
    Rule("arrest", (
        r"(?<!cardiac )(?<!heart )arrest(?:ed|s|ing)?\b(?! development)",
        r"charged with|(?:was|been|being|has been|were) charged\b",
        r"remanded|in (?:police )?custody|into custody",
        r"(?:spent|held|kept) (?:the night |overnight )?in (?:the )?cells|held overnight",
        r"(?:picked up|taken in|lifted) by (?:the )?police|(?:was|been|were) picked up\b",
        r"detained\b(?! under (?:the )?(?:mental health act|section|s\.? ?136))",
        r"interviewed under caution|released under investigation|\brui\b|(?:received|given|accepted) a caution|"
        r"bailed (?:to appear|with conditions)|released on bail|on police bail",
    ), subjects=HIM),
    Rule("breach_of_order", (
        r"breach\w*\s+(?:of\s+)?(?:<THE>\s+)?(?:[\w-]+\s+){0,2}?<ORDER>",
        r"<ORDER>\s+(?:was\s+|has been\s+|were\s+|had been\s+)?breached",
        r"(?:entered|went into|going into|inside|in|into) (?:the |an |his )?exclusion (?:zone|area)",
        r"despite (?:the|his|a|her) (?:[\w-]+ )?<ORDER>",
        r"(?:ignored|ignoring|flouted|flouting|gone against|went against|going against|disregarded|contrary to|"
        r"in contravention of|non-compliance with|failed to comply with|not complying with) (?:the |his |her |a )?"
        r"(?:[\w-]+ )?<ORDER>",
    )),
    Rule("contact_with_protected_person", (  # not when the police are the subject: "officers attended her home"
        r"(?:texted|texting|messaged|messaging|message|phoned|phoning|rang|ringing|ring|called|calling|emailed|"
        r"emailing|face-?timed|face-?timing|video[- ]called|wrote to|writing to|written to|contacted|contacting|"
        r"visited|visiting|visit|approached|approaching|harassing|pestering|pestered|bombard\w*|begging|begged|"
        r"asking|asked) <VICTIM_OR_HER>\b(?! (?:names|a \w+ name|to (?:the|a) (?:police|court|meeting)))",
        r"(?:met up with|meeting up with|meet up with|met|meeting|spoke to|speaking to|spoken to|talking to|talked to|"
        r"(?:been |is |was )?seeing|saw|went to see|go to see|sent \w+ to) <VICTIM>\b",
        r"sent (?:<VICTIM_OR_HER> )?(?:over |more than |hundreds of |dozens of )?(?:<NUMBER> )?(?:texts?|messages?|"
        r"letters?|cards?|flowers|gifts?|voicemails?|voice notes?) to <VICTIM_OR_HER>\b",
        r"sent <VICTIM_OR_HER> (?:over |more than |hundreds of |dozens of )?(?:<NUMBER> )?(?:texts?|messages?|"
        r"letters?|cards?|flowers|gifts?|voicemails?|voice notes?)",
        r"sent (?:over |more than |hundreds of |dozens of )(?:<NUMBER> )?(?:texts|messages|letters|voicemails)",
        r"(?:turned|turning|turns|turn) up (?:at|to) <HERS>|(?:went|gone|going|go|came|attended) (?:round )?to "
        r"<HERS> (?!street|road|area)(?:[\w-]+ )?<PLACE>|attended <HERS> (?:[\w-]+ )?<PLACE>",
        r"(?:contact|in contact|in touch|contacts) (?:with|from) <VICTIM>",
        r"(?:<VICTIM>|he) and (?:he|him|<VICTIM>|mr [\w-]+) (?:have|had|are|were|has|'ve|’ve)(?: been)? "
        r"(?:in contact|in touch|speaking|talking|messaging|texting|seeing each other|meeting)",
        r"back together|reconcil\w+|resumed (?:the |their |his |a )?relationship|rekindl\w+|back with <VICTIM>|"
        r"back in a relationship with <VICTIM>|back living with <VICTIM>",
        r"repeated(?:ly)? (?:calls?|calling|texts?|texting|messag\w*|contact\w*)",
        r"(?:via|through) (?:a )?(?:third part(?:y|ies)|mutual friends|the children|the kids)|to pass on to "
        r"(?:their|her) (?:mum|mother)|messages (?:to|via|through) (?:the children|the kids|friends|a friend)",
    ), subjects=frozenset({SELF, PARTNER})),
    Rule("contact_with_protected_person", (  # the case is named inside the phrase, so anyone may be the subject
        r"(?:saw|seen|spotted|sighted|found|caught) (?:him|mr [\w-]+) (?:together )?with <VICTIM>",
        r"(?:seen|spotted|sighted|found) (?:out )?(?:together )?with <VICTIM>",
    ), subjects=ANYONE),
    Rule("contact_with_protected_person", (  # the victim contacting him
        r"(?:visiting|visited|visit|calling|called|phoning|phoned|rang|texting|texted|messaging|messaged|"
        r"contacting|contacted|writing to|wrote to|seeing|met|meeting|staying with) (?:him|mr [\w-]+)\b",
    ), subjects=HER),
    # -- violence and threats --------------------------------------------------------------------------------
    Rule("weapon", (
        r"knife(?! and fork|,? fork| skills)|knives|blades?\b|bladed|machete|cleaver|axe\b|hatchet|sword|crossbow|"
        r"firearms?|fire-arms?|guns?\b|shotgun|rifle|pistol|handgun|air ?gun|air rifle|taser|stun gun|"
        r"pepper spray|cs spray|knuckle-?dusters?|baseball bat|cricket bat|golf club|broken bottle|glassed|"
        r"offensive weapons?|weapons?\b|armed with|brandish\w*|stab(?:bed|bing|s)?\b|slash(?:ed|ing)?\b",
        r"(?:with|wielding|waving|waved|swung|swinging|picked up|grabbed|holding|held|armed with|threw|throwing|"
        r"thrown|launched|lobbed|came at \w+ with|went for \w+ with|threatened \w+ with|hit \w+ with|"
        r"struck \w+ with|hitting \w+ with|beat \w+ with) (?:a |an |the |his |her )?(?:[\w-]+ )?<WEAPON>\b"
        r"(?! and (?:saw|nails|chisel))",
    )),
    Rule("strangulation", (
        r"strangl\w*|strangulation|\bnfs\b",
        r"chok(?:ed|ing|e|es)\b(?! up| on\b)",
        r"throttl\w*|(?<!feel )(?<!feels )(?<!feeling )(?<!felt )suffocat\w*|smother\w*|asphyxia\w*",
        r"head ?lock|choke ?hold|sleeper hold|pillow over (?:her|the victim's) face|hands? over (?:her|the "
        r"victim's) (?:mouth and nose|nose and mouth|mouth|face|nose)",
        r"(?:hands?|arms?|forearm|fingers|grip|knee|foot) (?:a)?round (?:her|the victim's|<HERS>) (?:neck|throat)",
        r"(?:hands?|arms?|forearm|fingers|knee|foot|elbow) (?:near|on|across|against|at|to) (?:her|the victim's|"
        r"<HERS>) (?:neck|throat)",
        r"(?:grab\w*|held|holding|hold|pinn\w*|squeez\w*|gripp?\w*|took|seiz\w*|press\w*|strangl\w*) (?:her|the "
        r"victim|(?:ms|mrs|miss) [\w-]+)?\s*(?:hard\s+)?(?:by|round|around|on|against the wall by|against the door by)?"
        r"\s*(?:the|her) (?:neck|throat)",
        r"grab round the neck|(?:round|around|across|on) (?:her|the victim's) (?:neck|throat)",
        r"(?:pressure|marks?|bruis\w*|redness|scratch\w*|petechia\w*) (?:to|on|around|round) (?:her|the) "
        r"(?:neck|throat)|petechia\w*",
        r"(?:couldn['’]?t|could not|unable to|can['’]?t|cannot) breathe",
        r"drown\w*(?! in (?:debt|work|paperwork|sorrows))",
    )),
    Rule("threats_to_kill", (
        r"threat\w* (?:to )?(?:kill|murder)\b(?! (?:himself|myself|yourself|themselves))",
        r"(?:kill|murder|finish off) <KILL_TARGET>\b",
        r"end up dead|(?:she|you|her)(?:['’]d| would| will|['’]ll)? be dead|(?:you['’]?re|you are|she['’]?s|"
        r"she is) dead\b",
        r"(?:want|wants|wanted|wanting) (?:her|you|them) dead",
        r"(?:put|bury) (?:her|you) in the ground|finish (?:you|her) off|burn (?:the house|it) down with "
        r"(?:her|you|them) in(?:side)?(?: it)?|slit (?:her|your) throat|(?:no one|nobody) (?:would|will) (?:ever )?"
        r"find (?:her|your) body|(?:kill|murder) (?:the )?(?:both of us|all of us|the lot)",
    ), hypothetical=False),
    Rule("threats_of_suicide", (
        r"suicid\w*|kill (?:himself|myself)|(?:take|taking|took|end|ending|ended) (?:his|my) (?:own )?life",
        r"end(?:ing)? it all|(?:take|taking|took|taken) an overdose|overdos\w*|hang (?:himself|myself)",
        r"self-?harm\w*|cutting (?:him|my)self|cut(?:ting)? his (?:arms|wrists?)",
        r"(?:knife|blade|it|a razor) to his (?:own )?(?:wrists?|throat|neck)|jump(?:ing)? (?:off|in front of)|"
        r"(?:better off|be better) without (?:him|me)|better off dead|"
        r"(?:rather|wish(?:es)? (?:he|i) (?:was|were)) (?:be )?dead",
        r"can['’]?t see the point|no point (?:in )?(?:living|going on|being here)|"
        r"(?:doesn['’]?t|does not) care (?:whether|if) he lives or dies|(?:not|no longer) want(?:s|ed)? to "
        r"(?:live|be here|be alive)",
    ), subjects=HIM, hypothetical=False),
    Rule("stalking", (
        r"stalk\w*",
        r"follow(?:ing|ed|s)? (?:<VICTIM_OR_HER>|her car)\b",
        r"track\w* (?:her|<HERS> (?:location|phone|car|movements))|tracking (?:device|app)|tracker\b|"
        r"(?:gps|location) track\w*",
        r"(?:sitting|sat|parked|waiting|waited|loiter\w*|hanging around|hung around|seen|found|standing|stood|"
        r"watching|watched|lurking|lurked) (?:[\w-]+ ){0,3}?(?:outside|near|around|by|at the end of|opposite) "
        r"<HERS> (?:[\w-]+ )?<PLACE>",
        r"(?:his (?:car|van)|him) (?:near|outside) (?:the school|her)",
        r"driv\w* (?:past|by|round) <HERS>",
        r"(?:turned|turning|turns|turn|turned up) up (?:at|outside|to) <HERS>",
        r"(?:monitor\w*|watch\w*|keeping tabs['’]? on|spying on|going through) (?:<HERS> )?(?:phone|facebook|"
        r"instagram|social media|snapchat|tiktok|location|movements|messages|accounts?|emails?)|keeping tabs['’]? on|"
        r"spying on",
        r"fake (?:accounts?|profiles?)|bombard\w*|harass\w*",
        r"repeated(?:ly)? (?:calls?|calling|texts?|texting|messag\w*|turning up|following)",
        r"loiter\w*",
    )),
    Rule("escalation", (
        r"escalat(?:ing|ed|es|e)\b(?! (?:to|this|it|the (?:case|matter|concern|issue|check)|matters?|concerns?|"
        r"(?:my|our) concerns?)\b)",
        r"(?:clear|an|further|significant|rapid|recent|marked|sudden|worrying|concerning) escalation|"
        r"escalation (?:in|of) (?:his|the|her) (?:[\w-]+ )?(?:behaviour|violence|abuse|risk|threats|incidents|"
        r"control|aggression)|signs of escalation|pattern of escalation",
        r"(?:becoming|become|became|getting|got|grown|growing|more and) (?:more|increasingly) (?:and more )?"
        r"(?:frequent|serious|violent|severe|controlling|threatening|aggressive|jealous|possessive|abusive|"
        r"volatile|dangerous|intimidating|hostile|physical|coercive|obsessive)",
        r"increasingly (?:jealous|controlling|violent|aggressive|threatening|abusive|hostile|volatile|possessive|"
        r"physical|frequent|coercive|obsessive|intimidating)",
        r"(?:getting|got|gotten|become|becoming|are|is) worse|worsen\w*|worse than (?:before|ever)",
        r"(?:more|increasingly) (?:often|frequent(?:ly)?)|lasting longer|more (?:serious|severe) (?:incidents|"
        r"assaults|injuries)",
        r"(?:risk|concerns?|rosh|dash(?: score)?|score) (?:has |have |had )?(?:increased|risen|gone up|escalated)",
    )),
    # -- the person's own circumstances ----------------------------------------------------------------------
    Rule("substance_relapse", (
        r"relaps\w*|(?<!col)lapsed?\b",
        r"back on (?:the )?<DRUG>|(?:drinking|using|smoking|taking)(?: [\w-]+)? again",
        r"(?:started|begun|began|gone back to|went back to|returned to|going back to) (?:drinking|using|"
        r"taking <DRUG>|smoking (?:weed|cannabis|crack|heroin|spice))",
        r"(?:smell\w*|smelt|stank|stinking|reek\w*) (?:strongly |heavily |faintly )?of (?:alcohol|drink|booze|"
        r"cannabis|weed|beer|lager|intoxicants)|slurr\w*|under the influence|intoxicated|drunk\b|"
        r"(?:high|stoned) on",
        r"(?:tested |was |came back |returned )?positive (?:for|test|result)|positive (?:drug|urine|saliva|oral "
        r"fluid|breath|alcohol) (?:tests?|samples?|screens?|swabs?|results?)|(?:tests?|samples?|screens?|swabs?) "
        r"(?:was |were |came back |returned |is |are )?positive",
        r"(?:aamr|alcohol)(?: tag| monitor\w*)? (?:alerts?|breach\w*|readings?|shows? alcohol|detected|recorded)|"
        r"alcohol (?:consumption|was detected|readings?)",
        r"drinking (?:heavily|daily|every day|more|again)|binge\w*|bender|(?:been |was |is )?on it\b|wasted|"
        r"hammered|off his (?:face|head)|(?:a few|some|several|\d+) (?:cans|pints|beers|lagers|drinks)|"
        r"on the (?:beers|lash|piss|sauce)",
        r"(?:using|used|taking|took|smoking|smoked|snorting|injecting) (?:cannabis|weed|cocaine|coke|crack|heroin|"
        r"spice|amphetamines?|speed|ketamine|mdma|ecstasy|pills|drugs)",
        r"been using\b(?! (?:the|a|an|his|her|their|it|them|this|that|my|public|food)\b)|"
        r"appeared (?:to be )?(?:drunk|intoxicated|under the influence|high|stoned|to have been "
        r"(?:drinking|using))|spends? (?:[\w-]+ ){0,3}on (?:drink|drugs|alcohol)",
    ), subjects=HIM, history=True),
    Rule("financial_stress", (
        r"(?:rent |council tax |mortgage )?arrears|\bdebts?\b(?! advice| support| service| charity)|in debt",
        r"owe[sd]? (?:money|£|\w+ (?:money|£))|owing (?:money|£)|bailiffs?|debt collectors?",
        r"(?:benefits?|universal credit|uc|money|payments?|esa|pip|jsa) (?:has |have |had |was |were |been )*"
        r"(?:sanctioned|stopped|suspended|cut)|sanction(?:ed|s)?\b|(?:stopped|sanctioned|cut|suspended) (?:his|"
        r"their) (?:money|benefits?|universal credit|uc|payments?)",
        r"(?:using|used|uses|relying on|relies on|referred to|referral to|vouchers? for|parcels? from) (?:the |a )?"
        r"food ?banks?|food ?bank (?:vouchers?|parcels?|referral)",
        r"evict\w*|notice seeking possession|possession order",
        r"(?:lost|losing|lose) (?:his|the) (?:job|flat|house|home|tenancy|income|work)",
        r"(?:made|been made) redundant|redundan\w+|sacked|fired\b|dismissed from",
        r"(?:hours|wages?|pay) (?:have been |has been |were |was |got |are being )?cut",
        r"struggl\w+ (?:to pay|with (?:money|bills|debts?|rent)|financially|for money)",
        r"(?:can(?:no|['’])?t|cannot|unable to|could not|couldn['’]?t) (?:afford|pay)",
        r"money (?:is |has been |was )?(?:really |very )?(?:tight|worries|problems|troubles)|(?:financial|money) "
        r"(?:difficult\w+|problems|pressures?|worries|hardship|stress)|skint|\bbroke\b(?! up)|no money",
        r"payday loans?|loan sharks?",
        r"(?:gas|electric\w*|power|water) (?:has been |was |is |got )?(?:cut off|disconnected)|(?:had|has|got) "
        r"(?:his |the )?(?:gas|electric\w*|power) cut off",
        r"behind (?:with|on) (?:the |his )?(?:rent|bills|payments|council tax)|unemployed|out of work|jobless",
    ), subjects=HIM),
)


# -- the words around a hit -----------------------------------------------------------------------------------
# Negation cues, looked for in the same clause just before the hit (NegEx style).
NEGATION = (r"\b(?:no|not|never|nor|neither|without|none|nothing|nobody|denie[sd]|deny(?:ing)?|denial|refute[sd]?|"
            r"disputes?|absence of|free from|ruled out|unfounded|lack of|no longer|nil|cannot|unable to|"
            r"paid off|cleared|settled|has yet to|have yet to)\b|n['’]t\b")
# Phrases that contain a negation word but do not negate what follows.
PSEUDO_NEGATION = (r"\b(?:no further action|not only|not just|no doubt|no matter|whether or not|if not|"
                   r"(?:no|non)[- ]contact (?:condition|order|requirement|clause)|no[- ]go|not long after|"
                   r"nothing to do with (?:him|this)|no sooner)\b")
# Cues that make what follows hypothetical: a warning, a condition, a rule explained.
HYPOTHETICAL = (r"\b(?:if|unless|should he|in the event|consequences? of|would (?:be|constitute|amount to|count as)|"
                r"could (?:lead|result)|risk of|reminded|warned|must not|mustn['’]t|should not|shouldn['’]t|"
                r"asked (?:him |her )?(?:if|whether|about)|whether|what would happen|any future|"
                r"understands? (?:that )?(?:he|she) (?:must|cannot|can['’]t))\b")
# Cues right after a hit that negate it ("pregnancy test was negative", "call-outs: none").
POST_NEGATION = (r"^\W*(?:[\w-]+\s+){0,2}?(?:(?:was|were|is|are|came back|has been|have been|had been|proved|"
                 r"proven)\s+)?(?:negative|denied|unfounded|unsubstantiated|not (?:substantiated|confirmed|true|"
                 r"found)|ruled out|false)\b|^\s*[:\-–]\s*(?:none|nil|no|0|n/?a)\b")
# A passive agent right after the hit that is someone else: "threatened with a knife by a man".
POST_AGENT = (r"^\W*(?:[\w-]+\s+){0,3}?by (?:a|an|another|some|two|three|several|the|his|her|their) "
              r"(?:[\w-]+ )?(?:man|men|male|males|youth|youths|group|gang|stranger|strangers|lad|lads|brother|friend|"
              r"cousin|neighbour|press|media|journalists?|security|staff|bouncers?|dealer|associates?)\b")
# History: the offence itself, not a relapse now.
HISTORY = r"^\W*(?:[\w-]+\s+){0,3}?(?:at the time of (?:the |his )?(?:index )?offen[cs]e|when he committed)"

# Where a clause starts (the scope of a negation). Searched in the sentence before a hit.
CLAUSE_BREAK = (r"[;:()\[\]]|\s[-–—]\s|,\s*(?:and|or|which|who|as|but|so|then)\b|"
                r"\b(?:but|however|although|though|whereas|yet|except|while|whilst|because|so that|then|after|"
                r"before|until|when|since|once|despite|so)\b|\band (?=(?:he|she|they|was|were|has|had|is|then|later|"
                r"police|officers|now|says|said|also)\b)|(?<=\w)\s+(?=(?:he|she)['’](?:d|ll|s)\b)")

# Who a clause is about. Nearest mention before the hit wins.
_RELATION = (r"(?:brother|brothers|sister|sisters|father|dad|mother|mum|mom|parents|step-?(?:father|dad|mother|mum)|"
             r"cousin|uncle|aunt|auntie|son|daughter|friend|friends|mate|mates|pal|neighbour|neighbours|housemate|"
             r"flatmate|lodger|landlord|landlady|colleague|associate|associates|co-defendant|nephew|niece|grandfather|"
             r"grandad|grandmother|nan|gran|man|men|male|youth|boy|lad|stranger|relative|family member|"
             r"service user|resident|prisoner|occupant|tenant|supervisor|tutor|facilitator|social worker|idva|plw|"
             r"partner link worker|practitioner|counsellor|worker|officer in the case|character|dog|cat|uncle's|"
             r"press)")
_HER_MAN = r"(?:new )?(?:ex[- ]?partner|ex[- ]?husband|ex[- ]?boyfriend|ex|partner|boyfriend|husband|fella|fianc[ée])"
MENTION = (
    r"(?P<self>\b(?:he|he['’]s|he['’]d|he['’]ll|mr\.? [\w-]+|the (?:case|subject|offender|perpetrator|suspect|"
    r"defendant|male|person on probation|pop|service user|client)|pop)\b)"
    r"|(?P<other>\b(?:(?:his|her|their|my|the|a|an|this|that|another|one of his|one of her|[\w-]+['’]s) "
    r"(?:[\w-]+ ){0,2}?" + _RELATION + r"(?:['’]s (?:[\w-]+ )?(?:girl ?friend|partner|wife|boyfriend|husband|ex|"
    r"son|daughter|dog|cat|house))?|(?:her|the victim['’]s|(?:ms|mrs|miss) [\w-]+['’]s|[\w-]+['’]s) " + _HER_MAN +
    r"|(?:his|the) (?:[\w-]+ )?(?:partner|girl ?friend|wife|victim)['’]s (?:[\w-]+ )?" + r"(?:[\w-]+)"
    r"|victim contact (?:unit|scheme|team)|victim liaison (?:officer|unit)|the (?:vlo|idva|plw|social worker|"
    r"health visitor|housing officer|drug worker|alcohol worker|key worker|gp|landlord|council|cps|spo)|"
    r"(?-i:I)(?!['’](?:ll|m|d|ve)\b)|we)\b)"
    r"|(?P<police>\b(?:the police|police|officers?|(?:pc|dc|ds|sgt|di|insp)\.? [\w-]+|the oic|"
    r"the officer in the case)\b)"
    r"|(?P<partner>\b(?:she|she['’]s|she['’]d|she['’]ll|(?:ms|mrs|miss)\.? [\w-]+|(?:the )?victim|"
    r"the (?:complainant|injured party)|(?:his|the) (?:new |current |former |pregnant )?(?:partner|girl ?friend|"
    r"wife|fianc[ée]e?|ex[- ]?partner|ex[- ]?wife|ex[- ]?girlfriend|ex|missus))\b)"
)
# A noun mention only counts as the subject if a verb (or "who") follows it, perhaps after "of the address".
SUBJECT_FOLLOWS = (r"^\s*(?:(?:of|from|at|in) (?:the |his |her |a |an )?[\w-]+(?: [\w-]+)?\s+)?"
                   r"(?:(?:also|then|later|recently|allegedly|apparently|reportedly|now|just|herself|himself)\s+)?"
                   r"(?:(?:has|have|had|was|were|is|are|been|being|will|would|could|did|does|do|can|may|might|must|"
                   r"should|got|gets|became|says|said|told|reports|reported|called|rang|threatened|texted|went|came|"
                   r"saw|took|gave)\b|['’](?:s|d)\b|[a-z]+ed\b)")
# A mention straight after a preposition is not a subject: "contact with his son is supervised".
AFTER_PREPOSITION = r"\b(?:with|to|at|for|from|about|of|by|on|towards|against|into|onto|over|near)\s+$"
# "he says", "she told police": a reporting verb after a pronoun: the reporter, not the actor.
REPORTING = (r"^\s+(?:says|said|states|stated|reports|reported|told|tells|believes|believed|thinks|thought|claims|"
             r"claimed|admits|admitted|accepts|accepted|feels|felt|explained|explains|mentioned|disclosed|discloses|"
             r"insists|insisted|alleges|alleged|describes|described|confirmed|confirms)\b")
# Women who are someone else, for resolving a bare "her" ("his mother ... visits her").
OTHER_WOMAN = (r"\b(?:his|her|their|the) (?:[\w-]+ )?(?:mother|mum|mom|sister|nan|gran|grandmother|aunt|auntie|"
               r"daughter|niece|landlady|stepmother|step-mum|female friend|friend)\b")
ANY_WOMAN = (OTHER_WOMAN + r"|\b(?:she|(?:ms|mrs|miss)\.? [\w-]+|the victim|(?:his|the) (?:new |current |former )?"
             r"(?:partner|girl ?friend|wife|ex[- ]?partner|ex))\b")
# Abbreviations that end in a full stop without ending the sentence.
ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "no", "approx", "e.g", "i.e", "vs", "v", "dc", "ds", "pc",
                           "insp", "sgt", "ref", "tel"})
