"""Generic, story-independent text utilities: sentence splitting, boilerplate, tokens, numbers,
dates, modality and negation. Only generic English lexicons live here (no story names)."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

# ----------------------------------------------------------------------------------------------
# Sentence splitting
# ----------------------------------------------------------------------------------------------
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "gov", "sen", "rep", "col",
    "lt", "capt", "cmdr", "sgt", "adm", "maj", "rev", "hon", "pres", "inc", "corp", "ltd", "co",
    "plc", "bros", "no", "nos", "vs", "etc", "approx", "dept", "est", "fig", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed",
    "thu", "thur", "thurs", "fri", "sat", "sun", "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "u.n",
    "e.u", "d.c", "ph.d", "op", "al", "ave", "blvd", "rd", "ft", "vol", "pp", "cf",
}

_SENT_END = re.compile(r"([.!?]+)([\"'\u201d\u2019)\]]*)(\s+)(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")


_FURNITURE_AFTER = re.compile(r"(?<=\))\s+(?=(?:Read more|Related|See also|Photo|Graphic|Sign up|Subscribe|Watch)\b)")


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; respects abbreviations (U.S., Mr.), initials and decimals."""
    out: list[str] = []
    # a credit or caption in parentheses runs straight into page furniture: "(Agency) Read more: ..."
    text = _FURNITURE_AFTER.sub("\n", text or "")
    for para in re.split(r"\n\s*\n|\r?\n", text):
        para = para.strip()
        if not para:
            continue
        start = 0
        for m in _SENT_END.finditer(para):
            end = m.end(2)
            if m.group(1) == ".":
                # word before the period
                wm = re.search(r"([A-Za-z][A-Za-z.]*)$", para[start:m.start(1)])
                word = wm.group(1).lower() if wm else ""
                if word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS:
                    # "U.S." at the end of a sentence followed by a capitalised word is ambiguous;
                    # keep together unless the next token looks like a sentence opener.
                    nxt = para[m.end():m.end() + 12].split(" ")[0]
                    if not (word in {"u.s", "u.k", "u.n", "e.u", "d.c"} and nxt in SENTENCE_OPENERS):
                        continue
                if len(word) == 1 and word.isalpha() and para[m.start(1) - 1].isupper():
                    continue  # initial: "John F. Kennedy"
            s = para[start:end].strip()
            if s:
                out.append(s)
            start = m.end()
        s = para[start:].strip()
        if s:
            out.append(s)
    return out


SENTENCE_OPENERS = {"The", "A", "An", "He", "She", "It", "They", "We", "I", "This", "That", "But",
                    "However", "In", "On", "At", "After", "Before", "According", "Meanwhile", "Officials"}

# ----------------------------------------------------------------------------------------------
# Boilerplate
# ----------------------------------------------------------------------------------------------
_BOILER_START = re.compile(
    r"^\s*(original source|source|sources|disclaimer|disclosure|editor'?s note|copyright|\(c\)|©|all rights reserved|"
    r"reporting by|additional reporting|editing by|edited by|written by|compiled by|"
    r"(?:photo|image|video|caption|credit|graphic|chart|map|illustration|infographic)s?\b\s*(?:[:|\-\u2013\u2014(]|by\b|$)|"
    r"(?:photo|image|picture) caption|photo(?:graph)? by|follow (us|him|her)|subscribe|sign up|click here|"
    r"read more|related|see also|advertisement|share this|listen to|watch:|this article|"
    r"this story|published|updated|posted|by [A-Z][a-z]+( [A-Z][a-z.]+){0,3}\s*(,|$|\|)|"
    r"responsible editor|editor:|author:|(?:media |press )?contacts?(?:\s+us\b|\s*:)|e-?mail(?:\s+us\b|\s*:)|tags?:|reader comments?\b|reader'?s comment\b|comments? from (?:a|one|our) readers?\b|comments?:|"
    r"(?:corrects|updates|adds|recasts|changes|fixes|removes|clarifies)\s+(?:paragraph|para|headline|quote|spelling|byline|dateline|story|the\s+(?:paragraph|headline|spelling))|"
    r"live\s*[-\u2013\u2014:]\s*updated|"
    # syndication and press-release furniture: "Distributed by X on behalf of Y", "About X:", "Follow X on ..."
    r"(?:distributed|syndicated|provided|produced|sponsored|issued) (?:by|on behalf of)\b|this content\b|"
    r"for more information\b|about [A-Z][A-Za-z&.' -]{1,60}:|follow [\w@.-]+ on\b|letters?\s*:|"
    r"(?:q|a|question|answer)\s*:)",
    re.I,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[a-z]{2,}\b", re.I)
_URL = re.compile(r"(https?://|www\.)\S+", re.I)
_BOILER_ANY = re.compile(
    r"(solely represents|does not represent|views expressed|author'?s (own )?view|"
    r"all rights reserved|terms of (use|service)|privacy policy|cookie|newsletter|"
    r"opinions expressed|not necessarily reflect|for informational purposes|subscribers can|"
    r"(?:download|read|get) our (?:full|free|latest)|sign up for|sign up here|in your inbox|"
    # live-blog furniture and reader voices
    r"welcome to (?:our|the) (?:live )?(?:coverage|blog|updates)|that'?s all (?:from us|for (?:today|tonight|now))|"
    r"our (?:live )?coverage (?:continues|will (?:continue|resume))|(?:press|media) (?:enquiries|inquiries)|"
    r"\b(?:a|one) reader (?:writes|says|tells us|emails)\b|"
    # contact lines, reader call-outs and page furniture
    r"have you been affected|do you have a story to share)",
    re.I,
)
_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{2,40}(\([A-Za-z .]+\))?\s*[-\u2013\u2014]+\s+")


def is_boilerplate(sentence: str) -> bool:
    s = sentence.strip().lstrip("([").strip()
    if not s:
        return True
    if _BOILER_START.match(s) or _BOILER_ANY.search(s):
        return True
    if _EMAIL.search(s) and len(s.split()) <= 16:
        return True  # "Share your story: tips@paper.example" (a short contact line)
    rest = _URL.sub("", s).strip(" :-|")
    if len(re.findall(r"[A-Za-z]{2,}", rest)) < 3:
        return True
    return False


_TIMESTAMP = re.compile(r"^\s*(?:(?:\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?)\s*(?:[A-Z]{2,4}\s*)?[-\u2013\u2014:|]\s+|"
                        r"\d{1,2}:\d\d\s+(?=[A-Z\"'\u201c]))")  # "15:10 Police say ..." (live blog, no separator)


def strip_dateline(sentence: str) -> str:
    """Drop a dateline ("LONDON (Reuters) - ") or a live-blog time stamp ("13:58 - ")."""
    return _DATELINE.sub("", _TIMESTAMP.sub("", sentence, count=1), count=1)


# ----------------------------------------------------------------------------------------------
# Tokens
# ----------------------------------------------------------------------------------------------
STOPWORDS = set("""
a an the and or but if then than that this these those there here of in on at to for from by with
without about into onto over under after before during between among through against within upon
as is are was were be been being am do does did done doing have has had having will would shall
should can could may might must it its it's they them their theirs he him his she her hers we us
our ours you your yours i me my mine who whom whose which what when where why how all any both
each few more most other some such no nor not only own same so too very s t just also up down out
off again further once while because until unless though although whether however yet still even
ever said says say saying told tell tells according reported reports report reportedly news
one's also per via mr mrs ms dr new mere much many lot lots get got make made like well back
""".split())

# Words frequent in any news copy; they carry little story identity.
COMMON_NEWS = set("""
year years month months week weeks day days time times today yesterday tomorrow tonight morning
evening night monday tuesday wednesday thursday friday saturday sunday people official officials
government state states country countries world percent number first second third last next
statement statements spokesperson spokesman spokeswoman media reporters press agency agencies
source sources matter familiar people's issue issues including include includes included part
make take took taken give given going went come came meeting meetings public national international
local president minister secretary chief head director office department company companies group
groups major large small high low big long short early late recent recently earlier later former
current added noted called call calls asked ask believe believed think thought want wanted need
needed plan plans hope hopes expected expect use used way ways work working whole around across
further another least less many several two three four five six seven eight nine ten hundred
thousand million billion
""".split())

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]")


# Irregular verb forms -> base form, so that "sold" ~ "selling" and "grown" ~ "grow" share a stem.
IRREGULAR = {
    # past forms spelt like the present: a past-tense reading needs them listed ("cut its rating")
    "cut": "cut", "shut": "shut", "hit": "hit", "put": "put", "set": "set", "quit": "quit", "shed": "shed",
    "spread": "spread", "split": "split",
    "sold": "sell", "bought": "buy", "made": "make", "took": "take", "taken": "take", "held": "hold",
    "met": "meet", "began": "begin", "begun": "begin", "won": "win", "lost": "lose", "gave": "give",
    "given": "give", "paid": "pay", "brought": "bring", "kept": "keep", "found": "find", "ran": "run",
    "spent": "spend", "sent": "send", "led": "lead", "broke": "break", "broken": "break", "spoke": "speak",
    "spoken": "speak", "chose": "choose", "chosen": "choose", "struck": "strike", "fled": "flee",
    "grew": "grow", "grown": "grow", "drew": "draw", "drawn": "draw", "flew": "fly", "flown": "fly",
    "threw": "throw", "thrown": "throw", "wrote": "write", "written": "write", "rode": "ride",
    "stood": "stand", "sought": "seek", "fought": "fight", "caught": "catch", "taught": "teach",
    "thought": "think", "heard": "hear", "built": "build", "felt": "feel", "meant": "mean",
    "knew": "know", "known": "know", "saw": "see", "seen": "see", "went": "go", "gone": "go",
    "came": "come", "became": "become", "rose": "rise", "risen": "rise", "fell": "fall",
    "fallen": "fall", "shrank": "shrink", "shrunk": "shrink", "sank": "sink", "sunk": "sink",
    "hid": "hide", "hidden": "hide", "froze": "freeze", "frozen": "freeze", "woke": "wake",
    "withdrew": "withdraw", "withdrawn": "withdraw", "undertook": "undertake", "overtook": "overtake",
    "upheld": "uphold", "withheld": "withhold", "struck down": "strike", "bore": "bear", "borne": "bear",
    "swore": "swear", "sworn": "swear", "tore": "tear", "torn": "tear", "wore": "wear", "worn": "wear",
    "dealt": "deal", "lent": "lend", "bent": "bend", "fed": "feed", "bled": "bleed", "hung": "hang",
}


@lru_cache(maxsize=200_000)
def stem(w: str) -> str:
    w = w.lower().replace("\u2019", "'")
    w = IRREGULAR.get(w, w)
    if w.endswith("'s"):
        w = w[:-2]
    if w.startswith(("re-", "co-")) and len(w) > 6:
        w = w[3:]  # "re-tender" ~ "tender"
    if len(w) <= 3:
        return w
    if w.endswith(("tions", "sions")):
        w = w[:-1]
    if w.endswith(("tion", "sion")) and len(w) >= 8:
        return w[:-3]  # derivational: "mediation" ~ "mediated", "conviction" ~ "convicted"
    for suf, rep in (("ies", "y"), ("sses", "ss"), ("ness", ""), ("ments", "ment"), ("ings", ""),
                     ("ing", ""), ("edly", ""), ("ed", ""), ("ly", ""), ("es", ""), ("s", "")):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            if suf == "s" and w.endswith(("ss", "us", "is")):
                return w
            if suf == "es" and not w.endswith(("ches", "shes", "xes", "sses", "zes")):
                w2 = w[:-1]
                return w2
            w = w[: len(w) - len(suf)] + rep
            if suf in ("ing", "ed") and len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]
            return w
    return w


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def content_tokens(text: str) -> list[str]:
    return [stem(w) for w in words(text) if w.lower() not in STOPWORDS and len(w) > 1]


# ----------------------------------------------------------------------------------------------
# Numbers with units
# ----------------------------------------------------------------------------------------------
NUM_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "dozen": 12, "a dozen": 12, "dozens": 24, "hundreds": 200, "thousands": 2000,
}
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}
SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
         "b": 1e9, "trillion": 1e12, "tn": 1e12}
CURRENCY_SYMBOL = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "₹": "INR", "c$": "CAD",
                   "a$": "AUD", "hk$": "HKD"}
CURRENCY_WORD = {"dollar": "USD", "dollars": "USD", "usd": "USD", "euro": "EUR", "euros": "EUR",
                 "eur": "EUR", "pound": "GBP", "pounds": "GBP", "gbp": "GBP", "sterling": "GBP",
                 "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "cny": "CNY", "yen": "JPY",
                 "jpy": "JPY", "rupee": "INR", "rupees": "INR", "won": "KRW", "francs": "CHF",
                 "franc": "CHF", "rubles": "RUB", "roubles": "RUB"}
DURATION_UNITS = {"second": "second", "seconds": "second", "minute": "minute", "minutes": "minute",
                  "hour": "hour", "hours": "hour", "day": "day", "days": "day", "week": "week",
                  "weeks": "week", "month": "month", "months": "month", "year": "year", "years": "year",
                  "decade": "decade", "decades": "decade"}
MEASURE_UNITS = {"km": "km", "kilometres": "km", "kilometers": "km", "miles": "mile", "mile": "mile",
                 "metres": "m", "meters": "m", "tonnes": "t", "tons": "t", "tonne": "t", "ton": "t",
                 "t": "t", "kg": "kg", "barrels": "barrel", "mm": "mm", "cm": "cm", "inches": "inch",
                 "feet": "ft", "degrees": "degree", "hectares": "ha", "acres": "acre", "mw": "mw",
                 "gw": "gw", "points": "point", "basis": "bp", "bps": "bp"}
# Generic nouns for counted people: "12 residents", "300 workers", "40 passengers" count the same kind.
PEOPLE_NOUNS = set("""
people persons person residents resident inhabitants villagers citizens civilians workers worker employees
employee staff members member passengers passenger riders rider customers customer users user children adults
men women students patients victims survivors soldiers troops officers tourists visitors migrants refugees
families households individuals voters shareholders drivers pilots crew staffers nurses doctors teachers
sailors seafarers crewmen miners engineers firefighters responders pupils commuters travellers travelers
""".split())
COUNT_SKIP = STOPWORDS | {"more", "than", "least", "about", "around", "nearly", "almost", "over", "some"}
# Generic counted-noun synonyms: "120 houses" and "120 homes" count the same thing.
UNIT_SYNONYMS = {
    "house": "home", "home": "home", "building": "home", "build": "home", "dwelling": "home", "propert": "home",
    "death": "death", "fatalit": "death", "fatality": "death", "bodi": "death", "body": "death", "victim": "death",
    "flight": "flight", "departur": "flight", "departure": "flight", "servic": "flight", "service": "flight",
    "cancellation": "flight", "route": "flight",
    "unit": "unit", "product": "unit", "item": "unit", "jar": "unit", "can": "unit", "packet": "unit",
    "injur": "injury", "injury": "injury",
    "job": "job", "role": "job",
}
# What a count measures: the predicate it attaches to ("14 workers trapped" vs "nine employees recovered",
# "the death toll rose to 58" vs "31 killed"). Counts whose nearest measure words fall in different classes
# are different quantities, whatever their unit nouns.
MEASURE_CLASS = {}
for _cls, _ws in {
    "dead": "killed kill kills dead died die dies death deaths fatalities fatality toll bodies lives perished",
    "injured": "injured injuries injury hurt wounded",
    "ill": "ill sick sickened sickening illness illnesses cases case poisoning poisoned infected infections infection",
    "hospital": "hospital hospitalised hospitalized admitted",
    "trapped": "trapped missing stuck unaccounted buried stranded",
    "rescued": "rescued recovered freed saved safe alive survivors survived brought lifted",
    "evacuated": "evacuated evacuation evacuations displaced fled homeless relocated sheltering",
    "cancelled": "cancelled canceled scrapped grounded axed cancellations cancellation",
    "operating": "operating operated running flying flown",
    "arrested": "arrested detained",
    "recalled": "recalled",
    "sold": "sold",
    "employed": "employs employed employ",
    "burned": "burned burnt scorched",
    "deployed": "deployed involved taking",
}.items():
    for _w in _ws.split():
        MEASURE_CLASS[_w] = _cls
_DAY_REF = re.compile(r"\b(today|tonight|tomorrow|yesterday|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
                      r"(?:['\u2019]s)?\b", re.I)
_CLAUSE_STOP = re.compile(r"[,;:()\u2014]|\s-\s|\b(?:and|but|while|whereas|with|after|before|including)\b", re.I)


def _measure_of(text: str, a: int, b: int) -> str:
    """The measure class of the nearest predicate word after the number (up to 5 words, same clause), else
    before it (up to 5 words, same clause); '' when none."""
    after = text[b:b + 60]
    m = _CLAUSE_STOP.search(after)
    if m:
        after = after[:m.start()]
    for w in _WORD.findall(after)[:6]:
        c = MEASURE_CLASS.get(w.lower())
        if c:
            return c
    before = text[max(0, a - 60):a]
    ms = list(_CLAUSE_STOP.finditer(before))
    if ms:
        before = before[ms[-1].end():]
    for w in reversed(_WORD.findall(before)[-8:]):
        c = MEASURE_CLASS.get(w.lower())
        if c:
            return c
    return ""


def _day_of(text: str, a: int, b: int) -> str:
    """A day the number is tied to in its clause ("205 of today's departures", "180 flights on Friday")."""
    lo = text[max(0, a - 40):a]
    ms = list(_CLAUSE_STOP.finditer(lo))
    if ms:
        lo = lo[ms[-1].end():]
    hi = text[b:b + 40]
    m = _CLAUSE_STOP.search(hi)
    if m:
        hi = hi[:m.start()]
    d = _DAY_REF.search(hi) or (list(_DAY_REF.finditer(lo)) or [None])[-1]
    return d.group(1).lower() if d else ""


def unit_key(noun: str) -> str:
    st = stem(noun)
    return UNIT_SYNONYMS.get(noun, UNIT_SYNONYMS.get(st, st))

_NUM_TOKEN = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NUMWORD_RE = "|".join(sorted(NUM_WORDS, key=len, reverse=True))
_ORD_RE = "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True))
_COMPOUND_RE = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[-\s](?:one|two|three|four|five|six|seven|eight|nine)"
_NUMBER = re.compile(
    r"(?P<cur>US\$|HK\$|C\$|A\$|[$€£¥₹])?\s?"
    r"(?P<num>" + _NUM_TOKEN + r"|\b" + _COMPOUND_RE + r"\b|\b(?:" + _NUMWORD_RE + r")\b)"
    r"(?P<ordsuf>st|nd|rd|th)?"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|mn|bn|tn|k|m|b)\b)?"
    r"(?:\s?(?P<pct>%|per ?cent|percent|percentage points?))?"
    r"(?:[\s-]+(?P<word>[A-Za-z]+))?"
    r"(?:\s+(?P<word2>[A-Za-z]+))?",
    re.I,
)
_ORDINAL = re.compile(r"\b(?P<ord>" + _ORD_RE + r")\s+(?P<word>[A-Za-z]+)", re.I)
_YEAR = re.compile(r"^(19|20)\d\d$")


_OLD_VALUE = re.compile(r"\b(instead of|rather than|from|not|compared with|compared to|versus|previously|earlier|"
                        r"originally|initially|than)\s+(?:the\s+|an?\s+)?(?:initial|original|earlier|previous|first)?\s*"
                        r"(?:about|around|some|nearly|almost|roughly|just)?\s*$", re.I)


def _num_context(text: str, a: int, b: int) -> list[str]:
    """Stems of the lowercase content words around a number (what it counts or measures)."""
    before = _WORD.findall(text[max(0, a - 60):a])[-6:]
    after = _WORD.findall(text[b:b + 30])[:3]
    # the sentence's first word is capitalised by position only ("Shares in X have lost 14%")
    first = _WORD.match(text)
    if first and first.start() >= max(0, a - 60) and first.group(0)[:1].isupper() and first.group(0)[1:].islower() \
            and first.group(0).lower() not in STOPWORDS and first.group(0) in before:
        before = [w if w != first.group(0) else w.lower() for w in before]
    return sorted({stem(w) for w in before + after if w.islower() and w not in STOPWORDS and w not in NUM_WORDS
                   and w not in COUNT_SKIP})


def _num_value(s: str) -> float | None:
    s = s.lower()
    if s in NUM_WORDS:
        return float(NUM_WORDS[s])
    parts = re.split(r"[-\s]", s)
    if len(parts) == 2 and parts[0] in NUM_WORDS and parts[1] in NUM_WORDS:
        return float(NUM_WORDS[parts[0]] + NUM_WORDS[parts[1]])  # "seventy-four"
    try:
        return float(s.replace(",", ""))
    except ValueError:
        return None


def _head_after(word: str, word2: str) -> bool:
    """In "<number> word word2", word2 is the counted noun when word only modifies it: a participle or a
    singular modifier before a plural noun ("planned sailings", "repair crew"), never a plural noun before
    its verb ("35 operations carried out", "19 people died")."""
    if word.endswith(("ed", "ing")) and len(word) > 4:
        return word2.endswith("s") and not word2.endswith(("ss", "us", "is")) or word2 in PEOPLE_NOUNS
    if word.endswith("s"):
        return False
    return (word2.endswith("s") and not word2.endswith(("ss", "us", "is", "ed"))) or word2 in PEOPLE_NOUNS


_HEAD_OF = re.compile(r"\b(?:number|total|count|tally|toll|headcount) of (?:the\s+)?([a-z]+)(?:\s+([a-z]+))?\b"
                      r"(?!.*\b(?:number|total|count|tally|toll) of\b)", re.I)


_UP = r"rose|rise|rising|risen|rises|jump\w*|climb\w*|gain\w*|increas\w*|grew|grow\w*|surg\w*|soar\w*|strengthen\w*|up"
_DOWN_STEMS = ("fell", "fall", "drop", "declin", "slid", "slip", "los", "lost", "weaken", "shrank", "shrunk", "shrink",
               "plung", "slump", "tumbl", "sank", "down", "eas", "dipp", "dip")
_CHANGE_BY = (r"\b(?:extend|lengthen|prolong|shorten|cut|rais|increas|reduc|lower|widen|expand|push|brought|mov|delay|"
              r"postpon|rose|rise|fell|fall|jump|climb|drop|grew|grow)\w*\b")
_DELTA = re.compile(r"\b(" + _UP + r"|" + "|".join(d + r"\w*" for d in _DOWN_STEMS) +
                    r")\b(?:\s+by)?(?:\s+(?:about|around|some|nearly|almost|roughly|just|more than|over|a further|another))?\s*$",
                    re.I)


def extract_numbers(text: str) -> list[dict]:
    """Numbers with units: {"value", "unit", "kind", "text"}; kind in percent|money|duration|measure|
    count|ordinal. Years and day-of-month ordinals are left to extract_dates."""
    out: list[dict] = []
    for m in _NUMBER.finditer(text):
        raw = m.group("num")
        val = _num_value(raw)
        if val is None:
            continue
        word = (m.group("word") or "").lower()
        word2 = (m.group("word2") or "").lower()
        scale = (m.group("scale") or "").lower()
        cur = (m.group("cur") or "").lower()
        pre = text[max(0, m.start() - 12):m.start()].lower()
        if m.group("ordsuf"):
            # "the 10th" -> a date; "3rd quarter" -> ordinal
            if word in DURATION_UNITS or word in {"round", "quarter", "time", "place", "stage", "phase"}:
                out.append({"value": val, "unit": DURATION_UNITS.get(word, word), "kind": "ordinal",
                            "text": m.group(0).strip()})
            continue
        if raw.isdigit() and _YEAR.match(raw) and not cur and not m.group("pct") and word not in DURATION_UNITS:
            continue
        if not cur and raw[:1].isdigit() and re.search(r"[A-Za-z]-$", text[max(0, m.start() - 2):m.start()]):
            continue  # part of a name: "Vega-2", "F-35", "COVID-19"
        if re.search(r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*$", pre) and val <= 31 and not cur:
            continue  # "June 10"
        if word in MONTHS:
            continue  # "10 June"
        if re.search(r"\byears?\s+and\s+$", text[max(0, m.start() - 12):m.start()] + " ", re.I) and \
                word in ("month", "months"):
            continue  # the months of "three years and six months" (added to the years)
        if re.match(r"[\s-]*years?[\s-]+old\b", text[m.end("num"):], re.I):
            continue  # an age ("the 58-year-old")
        if re.match(r"\s*(?:[ap]\.m\.?|[ap]m\b|o'clock)", text[m.end("num"):], re.I):
            continue  # time of day
        if text[m.end():m.end() + 1] == ":" or text[max(0, m.start() - 1):m.start()] == ":":
            continue
        if scale:
            if scale in ("m", "b", "k") and not cur and word not in CURRENCY_WORD:
                # "5 m" as metres or "b" as a letter: only with currency context
                if scale == "m":
                    out.append({"value": val, "unit": "m", "kind": "measure", "text": m.group(0).strip()})
                    continue
            val *= SCALE.get(scale, 1)
        kind, unit, umod = "count", "", ""
        if m.group("pct"):
            kind, unit = "percent", "%" if "point" not in m.group("pct").lower() else "pp"
        elif cur:
            kind, unit = "money", CURRENCY_SYMBOL.get(cur, "USD")
        elif word in CURRENCY_WORD:
            kind, unit = "money", CURRENCY_WORD[word]
        elif word in DURATION_UNITS:
            kind, unit = "duration", DURATION_UNITS[word]
        elif word in MEASURE_UNITS:
            kind, unit = "measure", MEASURE_UNITS[word]
        else:
            noun = word
            if noun in ORDINAL_WORDS or noun in ("initially", "originally", "previously", "announced", "reported"):
                noun = ""  # "the 480 first announced": no counted noun
            elif noun in ("the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our"):
                noun = ""  # "not the 6,500 the operator quoted": the figure ends before the article
            elif noun in COUNT_SKIP or noun in NUM_WORDS:
                noun = word2 if word2 and word2 not in COUNT_SKIP else ""
            elif word2 and word2 not in COUNT_SKIP and word not in PEOPLE_NOUNS and _head_after(word, word2):
                noun = word2  # the head of a compound: "310 planned sailings", "900 truck bookings"
                umod = unit_key(word)  # the modifier still says what is counted ("80 repair crews")
            unit = ("people" if noun in PEOPLE_NOUNS else unit_key(noun)) if noun else ""
            hm = re.match(r"\s+and\s+a\s+half\s+(\w+)", text[m.end("num"):], re.I)
            if hm and hm.group(1).lower() in DURATION_UNITS:
                # "three and a half years"
                val += 0.5
                kind, unit = "duration", DURATION_UNITS[hm.group(1).lower()]
            elif re.search(r"\byears?\s+and\s+$", text[max(0, m.start() - 12):m.start()], re.I):
                continue  # the months of "three years and six months" (added to the years)
            # a bare number word ("one of", "two said") carries nothing unless "number of X" names it (below)
        if kind == "duration" and unit == "year":
            ym = re.match(r"[\s-]*years?\s+and\s+(\w+)\s+months?\b", text[m.end("num"):], re.I)
            if ym and _num_value(ym.group(1)) is not None:
                val += _num_value(ym.group(1)) / 12
        if kind == "count" and not unit:
            # "the number of missing men rose to eleven": the head noun of "number of ..." is the unit
            hm = _HEAD_OF.search(text[max(0, m.start() - 80):m.start()])
            if hm:
                ws = [w for w in (hm.group(1), hm.group(2)) if w and w.lower() not in STOPWORDS
                      and not (w is hm.group(2) and w.lower().endswith(("ed", "ing")))]  # "boxes concerned"
                if ws:
                    noun = ws[-1].lower()
                    unit = "people" if noun in PEOPLE_NOUNS else unit_key(noun)
        mc = _measure_of(text, m.start("num"), m.end("num")) if kind in ("count", "percent", "measure") else ""
        if kind == "count" and not unit and _num_value(raw) is not None and not raw[:1].isdigit() and not mc:
            continue  # "stand at nineteen" is kept: its measure word ("illnesses") says what it counts
        item = {"value": val, "unit": unit, "kind": kind, "text": m.group(0).strip(),
                "ctx": _num_context(text, m.start(), m.end())}
        if mc:
            item["mclass"] = mc
        if umod and kind == "count":
            item["umod"] = umod
        dref = _day_of(text, m.start(), m.end("num"))
        if dref:
            item["dayref"] = dref
        if re.search(r"\b(?:by|another|a further|an extra|an additional)\s*$", text[max(0, m.start() - 20):m.start()], re.I) \
                and re.search(_CHANGE_BY, text[max(0, m.start() - 40):m.start()], re.I):
            item["delta"] = True
        dm = _DELTA.search(text[max(0, m.start() - 30):m.start()])
        if dm and kind in ("percent", "money", "measure", "count"):
            item["dir"] = "-" if dm.group(1).lower().startswith(_DOWN_STEMS) else "+"  # "jumped 1.2%", "fell by 3%"
        om = _OLD_VALUE.search(text[max(0, m.start() - 24):m.start("cur") if m.group("cur") else m.start("num")])
        if om:
            item["old"] = True  # "instead of $2.5 billion", "up from 46 tonnes"
            item["oldcue"] = om.group(1).lower()
        out.append(item)
    for m in _ORDINAL.finditer(text):
        word = m.group("word").lower()
        if word in DURATION_UNITS or word in {"round", "quarter", "stage", "phase", "time", "term", "wave"}:
            out.append({"value": float(ORDINAL_WORDS[m.group("ord").lower()]),
                        "unit": DURATION_UNITS.get(word, word), "kind": "ordinal", "text": m.group(0)})
    # "from 5 million euros to 12 million": the new value takes the unit of the old one
    for a, b in zip(out, out[1:]):
        if a.get("old") and a["kind"] in ("money", "percent", "measure") and b["kind"] == "count" and not b["unit"] \
                and a["text"].rstrip().endswith(" to"):
            b["kind"], b["unit"] = a["kind"], a["unit"]
            b["ctx"] = sorted(set(b.get("ctx") or ()) | set(a.get("ctx") or ()))
    return out


# ----------------------------------------------------------------------------------------------
# Dates and times
# ----------------------------------------------------------------------------------------------
MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
          "august": 8, "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1,
          "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
          "nov": 11, "dec": 12}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
            "sunday": 6}
_MON_RE = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_DATE_MD = re.compile(r"\b(?P<mon>" + _MON_RE + r")\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d))?")
_DATE_DM = re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>" + _MON_RE + r")\b(?:,?\s+(?P<year>(?:19|20)\d\d))?")
_DATE_MY = re.compile(r"\b(?:[Ii]n|[Ss]ince|from|until|by|of|last|early|late|mid-?|end of|[Tt]hrough)\s+(?P<mon>" + _MON_RE + r")(?:\s+(?P<year>(?:19|20)\d\d))?\b")
_DATE_ORD = re.compile(r"\b(?:the|on|of|since|until|by)\s+(?P<day>\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:day|round|quarter|time))")
_WEEKDAY = re.compile(r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b", re.I)
_RELDAY = re.compile(r"\b(?P<rel>yesterday|today|tonight|tomorrow|last night|this morning|this evening|this afternoon)\b", re.I)
_YEAR_ONLY = re.compile(r"\b(?:(?:[Ii]n|[Ss]ince|[Bb]y|of|[Dd]uring|[Bb]etween|until)\s+(?P<year>(?:19|20)\d\d)\b(?!\s*(?:%|per))|"
                        r"(?:[Ff]rom|and|to)\s+(?P<year2>(?:19|20)\d\d)\b(?!\s*(?:%|per|[a-z])))")
_TIME = re.compile(r"\b(?P<h>\d{1,2})(?::(?P<m>\d\d))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)(?=\W|$)(?P<tz>\s+(?:local time|GMT|UTC|BST|EST|EDT|CET|[A-Z]{2,4} time))?", re.I)
_TIME24 = re.compile(r"\b(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)\b(?P<tz>\s+(?:local time|GMT|UTC|BST|EST|EDT|CET))?")
# a hope, aim or promise earlier in the clause looks forward too ("hopes to restore its systems by Friday")
_AIM_CUE = re.compile(r"\b(?:hopes?|hoped|aims?|aimed|expects?|intends?|promised?|pledged?|vowed?|wants?|"
                      r"set to|on track to|is to|are to)\b[^.;:,]*$", re.I)
_FUTURE_CUE = re.compile(r"\b(will|until|till|next|expected|scheduled|due|plans?|might|may|could|continue|extend(?:s|ed)?|"
                         r"lengthen(?:s|ed)?|prolong(?:s|ed)?)\b|\b(?:to|through|into)\s+$", re.I)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def extract_dates(text: str, published_at: datetime | None) -> list[dict]:
    """Dates/times mentioned, resolved against published_at where possible.
    Each: {"text", "date": "YYYY-MM-DD" | "YYYY-MM" | "YYYY" | None, "time": "HH:MM" | None}."""
    ref = published_at.date() if published_at else None
    out: list[dict] = []
    spans: list[tuple[int, int]] = []

    def add(m, d, t=None, precision="day"):
        for a, b in spans:
            if m.start() < b and a < m.end():
                return
        spans.append((m.start(), m.end()))
        if d is None:
            iso = None
        elif isinstance(d, str):
            iso = d
        else:
            iso = d.isoformat()
        out.append({"text": m.group(0).strip(), "date": iso, "time": t, "precision": precision})

    for rx in (_DATE_MD, _DATE_DM):
        for m in rx.finditer(text):
            mon = MONTHS[m.group("mon").lower().rstrip(".")]
            day = int(m.group("day"))
            year = int(m.group("year")) if m.group("year") else (ref.year if ref else None)
            if year is None:
                add(m, f"--{mon:02d}-{day:02d}")
                continue
            d = _safe_date(year, mon, day)
            if d and ref and not m.group("year") and (d - ref).days > 200:
                d = _safe_date(year - 1, mon, day)
            if d and ref and not m.group("year") and d < ref and (ref - d).days > 60 and \
                    _FUTURE_CUE.search(text[max(0, m.start() - 40):m.start()]):
                d = _safe_date(year + 1, mon, day)  # "bids are due by Feb. 15" in November: next year
            add(m, d)
    for m in _DATE_MY.finditer(text):
        mon = MONTHS[m.group("mon").lower().rstrip(".")]
        if m.group("mon").lower() == "may" and not m.group("year") and not m.group("mon")[0].isupper():
            continue  # modal verb "may"
        year = int(m.group("year")) if m.group("year") else (ref.year if ref else None)
        ahead = bool(_FUTURE_CUE.search(text[max(0, m.start() - 40):m.start()]) or
                     _AIM_CUE.search(text[max(0, m.start() - 90):m.start()]))
        if year and ref and not m.group("year") and mon > ref.month + 1 and not ahead:
            year -= 1  # "in November", written in March, looks back ... unless it looks forward
        elif year and ref and not m.group("year") and mon < ref.month - 1 and \
                _FUTURE_CUE.search(text[max(0, m.start() - 40):m.start()]):
            year += 1  # "will be heard in March" in November: next year
        add(m, f"{year:04d}-{mon:02d}" if year else f"--{mon:02d}", precision="month")
    for m in _DATE_ORD.finditer(text):
        day = int(m.group("day"))
        if ref:
            y, mo = ref.year, ref.month
            if day > ref.day + 7:  # "the 28th" in an article of the 2nd -> previous month
                mo -= 1
                if mo == 0:
                    y, mo = y - 1, 12
            add(m, _safe_date(y, mo, day))
        else:
            add(m, f"---{day:02d}")
    for m in _WEEKDAY.finditer(text):
        wd = WEEKDAYS[m.group("wd").lower().rstrip("s")] if m.group("wd").lower().rstrip("s") in WEEKDAYS else WEEKDAYS[m.group("wd").lower()]
        if ref:
            delta = wd - ref.weekday()
            # nearest occurrence; future cues pull forward, else prefer the past (news reports back)
            window = text[max(0, m.start() - 40):m.start()]
            if re.search(r"\bnext\s+$", window, re.I) and delta <= 0:
                delta += 7  # "next Wednesday" said on a Wednesday is a week away
            elif _FUTURE_CUE.search(window) or _AIM_CUE.search(text[max(0, m.start() - 90):m.start()]):
                if delta < 0:
                    delta += 7
            else:
                if delta > 1:
                    delta -= 7
            add(m, ref + timedelta(days=delta))
        else:
            add(m, None)
    for m in _RELDAY.finditer(text):
        rel = m.group("rel").lower()
        off = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(rel, 0)
        add(m, ref + timedelta(days=off) if ref else None)
    for m in _YEAR_ONLY.finditer(text):
        add(m, m.group("year") or m.group("year2"), precision="year")
    for rx in (_TIME, _TIME24):
        for m in rx.finditer(text):
            h = int(m.group("h"))
            mi = int(m.group("m") or 0)
            ap = (m.groupdict().get("ap") or "").lower().replace(".", "")
            if ap == "pm" and h < 12:
                h += 12
            if ap == "am" and h == 12:
                h = 0
            if h > 23 or mi > 59:
                continue
            for a, b in spans:
                if m.start() < b and a < m.end():
                    break
            else:
                spans.append((m.start(), m.end()))
                out.append({"text": m.group(0).strip(), "date": None, "time": f"{h:02d}:{mi:02d}",
                            "precision": "time", "local": bool(m.group("tz"))})
    return out


# ----------------------------------------------------------------------------------------------
# Modality and negation
# ----------------------------------------------------------------------------------------------
_HEDGED = re.compile(
    r"\b(may|might|could|possibly|perhaps|reportedly|allegedly|apparently|rumou?red|unconfirmed|"
    r"it (?:was|is) reported|it is said|is said to|are said to|is believed to|are believed to|"
    r"is understood to|appears? to|appeared to|seems? to|seemed to|likely|unlikely|probably|potential(?:ly)?|"
    r"(?:indications?|evidence|signs?)\s+(?:pointed|points|suggested|suggests)\s+to|"
    r"considering|mulling|weighing|could be|would be|hinted|suggested|signal(?:l)?ed|"
    # an open question is a claim awaiting resolution, like a hedge ("has not yet been established")
    r"not yet|yet to|undecided|whether to|"
    r"no (?:evidence|sign|signs|indication) (?:so far|yet|as yet))\b", re.I)
_PLANNED = re.compile(
    r"\b(plans? to|planning to|planned to|(?<!the )(?<!its )(?<!their )(?<!under )(?<!new )plans an?|"
    r"(?<!the )(?<!its )(?<!their )(?<!under )(?<!new )plans the|planning an?|intends? to|intend(?:ed|s)? to|aims? to|aiming to|"
    r"hopes? to|hoped|hoping|hope|will|shall|is set to|are set to|is going to|are going to|"
    r"wants? to|seeks? to|seeking to|prepares? to|preparing to|proposed|proposes? to|"
    r"is to|are to|would|goal is|aim is|target is|in return|scheduled)\b", re.I)
_EXPECTED = re.compile(
    r"\b(is expected to|are expected to|was expected to|were expected to|expected to|expects?|"
    r"is due to|are due to|due to be|forecast|(?<![.!?] )(?<!^)(?<!neither )(?<!nor )(?<!so )(?<!as )should\s+(?!not\b|have\b|they\b|we\b|he\b|she\b|it\b|i\b|you\b)[a-z]+|"
    r"predicted|projected|anticipated|on track to|poised to)\b", re.I)
# Rejecting or dismissing is a denial only when what is rejected is a claim or report ("rejected union
# claims that ..."), not an offer or a proposal ("rejected the 4% offer").
_CLAIM_OBJ = (r"(?:claims?|reports?|allegations?|accusations?|charges?|suggestions?|speculation|rumou?rs?|"
              r"accounts?|assertions?|stories|story|figures?|the idea|the notion|that)")
DENIAL = re.compile(
    r"\b((?:reject|rejected|rejects|rejecting|dismiss|dismissed|dismisses|dismissing)\s+(?:\S+\s+){0,4}?" + _CLAIM_OBJ + r"|"
    r"(?:rejected|dismissed)\s+(?:\S+\s+){0,6}?as\s+(?:false|untrue|baseless|speculation|nonsense|wrong|inaccurate)|"
    r"denied|denies|deny|denying|refuted|refutes|"
    r"false|untrue|not true|inaccurate|incorrect|baseless|fake|retract(?:ed|s|ion)?|"
    r"corrected|correction|erroneous(?:ly)?|mistaken(?:ly)?|"
    r"no such|never (?:said|happened|took place|agreed)|did not happen|ruled out|rules out|"
    r"contrary to|misreported|was wrong|were wrong|proved wrong|proven wrong|proved unfounded|"
    r"not the case|reversed|backtracked|"
    r"(?:wrongly|incorrectly|mistakenly)\s+(?:put|reported|stated|said|given|gave|announced|listed|quoted|counted|included|named|identified)|"
    r"(?:rather than|instead of)\s[^.;]{1,40}?\s(?:first|initially|originally|earlier|previously)\s+(?:reported|stated|announced|given)|"
    r"not\s[^.;]{1,40}?\sas\s(?:\w+\s+){0,3}?(?:reported|stated|announced|said|claimed|thought))\b", re.I)
CORRECTION = re.compile(
    r"\b(correct(?:ed|s|ion)|retract(?:ed|s|ion)|clarif(?:ied|ies|ication)|erroneous(?:ly)?|"
    r"incorrectly|mistakenly|misreported|earlier version|previously reported|had (?:wrongly|incorrectly))\b",
    re.I)
# A figure that was wrong from the start (not a later change): "corrected", "erroneously", "revised down".
FIGURE_CORRECTION = re.compile(
    r"\b(correct(?:ed|s|ion)|erroneous(?:ly)?|incorrect(?:ly)?|mistaken(?:ly)?|misreported|in error|"
    r"wrongly|was wrong|were wrong|retract(?:ed|s|ion)?|"
    r"(?:rather than|instead of)\s[^.;]{1,40}?\s(?:first|initially|originally|earlier|previously)\s+(?:reported|stated|announced|given)|"
    r"not\s[^.;]{1,40}?\sas\s(?:\w+\s+){0,3}?(?:reported|stated|announced|said|claimed|thought))\b",
    re.I)
# Verbs of a real-world change of a figure or date (not a correction of a wrong report).
CHANGE_VERB = re.compile(
    r"\b(rose|risen|rais(?:ed|es)|increas(?:ed|es)|climb(?:ed|s)|jump(?:ed|s)|fell|fallen|dropp(?:ed)|cut|reduc(?:ed|es)|"
    r"lower(?:ed|s)|trimm(?:ed)|widen(?:ed|s)|expand(?:ed|s)|extend(?:ed|s)|postpon(?:ed|es)|delay(?:ed|s)|"
    r"moved|pushed back|brought forward|now|climbed|doubled|halved|revised (?:up|down)|upped)\b", re.I)
CORRECTION_NOTICE = re.compile(
    r"(^\W*correct(?:ed|ion|s)\b|\bthis (?:story|article|report|version) (?:has been|was) corrected\b|"
    r"\bcorrects? (?:paragraph|para|the|an earlier|headline)\b)", re.I)
_NEG_SIMPLE = re.compile(r"\b(not|no|never|none|neither|nor|cannot|no longer)\b|n't\b", re.I)


PAST = re.compile(
    r"\b(\w{3,}ed|had|has been|have been|was|were|did|took|went|made|began|won|lost|left|met|held|rose|"
    r"fell|gave|got|struck|sold|bought|paid|came|became|flew|told|said|found|brought|kept|set|put|cut|"
    r"spent|sent|led|ran|saw|wrote|shut|hit|quit|withdrew|withdrawn|done|gone|begun|taken|given|upheld|withheld|"
    r"broke|broken|spoke|chose|drove|rode|stood|understood|fought|caught|taught|sought|thought|won|swore|"
    r"struck|stuck|hung|rang|sang|sank|shrank|fled|fed|bled|meant|dealt|felt|heard|built|lent|bent|"
    r"wound|bound|ground|overturned|overrode|overtook|undertook|beat|bid|bet|cost|shed|spread|split|let)\b", re.I)
FUTURE = re.compile(r"(?<![.!?] )(?<!^)\bshould\b(?!\s+(?:not|have)\b)|\b(will|would|shall|going to|plans? to|expected to|set to|due to|next week|next month|"
                    r"hopes? to|aims? to|intends? to|may|might|could)\b", re.I)


# the month, not the modal: "on May 14", "14 May", "in May 2025", "since May"
_MONTH_MAY = re.compile(r"\bMay(?=\s+\d)|(?<=\d\s)May\b|(?<=\bin )May\b|(?<=\bsince )May\b|(?<=\buntil )May\b|"
                        r"(?<=\bby )May\b|(?<=\bof )May\b|(?<=\bearly )May\b|(?<=\blate )May\b|(?<=\bmid-)May\b|"
                        r"(?<=\bnext )May\b|(?<=\blast )May\b")


# "earlier than forecast", "as expected": a comparison with a forecast, not a forecast
_AS_FORECAST = re.compile(r"\b(?:than|as)\s+(?:(?:had been|was|were|originally|initially|first|previously)\s+)?"
                          r"(?:forecast|expected|predicted|anticipated|planned|projected|scheduled|feared)\b", re.I)


def modality(text: str) -> str:
    """asserted | hedged | planned | expected (first match in that priority: hedged > expected > planned)."""
    text = _AS_FORECAST.sub("", _MONTH_MAY.sub("Month", text))
    if _HEDGED.search(text):
        return "hedged"
    if _EXPECTED.search(text):
        return "expected"
    if _PLANNED.search(text):
        return "planned"
    return "asserted"


def modality_cues(text: str) -> list[str]:
    text = _MONTH_MAY.sub("Month", text)
    cues = []
    for rx in (_HEDGED, _EXPECTED, _PLANNED):
        cues += [m.group(0).lower() for m in rx.finditer(text)]
    return cues


_NEG_SCOPE = re.compile(r"\b(?:not|no|never|none of|without|no longer|nor|cannot|n't|yet to)\s+"
                        r"((?:[A-Za-z'-]+\s+){0,3}[A-Za-z'-]+)", re.I)
_SCOPE_SKIP = {"be", "been", "being", "have", "has", "had", "any", "the", "a", "an", "its", "their", "his",
               "her", "yet", "ever", "such", "further", "longer", "more", "one", "been", "to"}


def negated_terms(text: str, norm=lambda t: t) -> frozenset:
    """Normalised stems of the content words a negation scopes over: the first content word after
    "not/no/never/..." ("received no warning" -> warning, "has not yet been established" -> establish)."""
    out = set()
    for m in _NEG_SCOPE.finditer(text):
        for w in m.group(1).split():
            lw = w.lower().strip("'")
            if lw in _ADDITIONAL:
                break  # "no further meetings", "no more talks": denies more of it, not what happened
            if lw in _SCOPE_SKIP or lw in STOPWORDS:
                continue
            out.add(norm(stem(lw)))
            if lw in _EVIDENCE_NOUNS:
                continue  # "found no sign of a gas leak": what was not found is the gas leak
            break
    return frozenset(out)


_EVIDENCE_NOUNS = {"sign", "signs", "evidence", "trace", "traces", "indication", "indications", "suggestion",
                   "proof", "record", "records", "mention", "hint", "link"}


_ADDITIONAL = {"further", "more", "additional", "extra"}


def negated(text: str) -> bool:
    return bool(_NEG_SIMPLE.search(text))


def is_denial(text: str) -> bool:
    return bool(DENIAL.search(text))


def is_correction(text: str) -> bool:
    return bool(CORRECTION.search(text))


# ----------------------------------------------------------------------------------------------
# Quotes
# ----------------------------------------------------------------------------------------------
_QUOTE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{2,}?)[\"\u201d]")


def extract_quotes(text: str) -> list[str]:
    return [m.group(1).strip() for m in _QUOTE.finditer(text)]


def strip_quotes(text: str) -> str:
    return _QUOTE.sub(" ", text)
