"""Who counts as a person for the blame grammar, beyond people.toml and the NER: broad classes, not names.

Writers name people the tool has never seen ("Tomasz", "Hiroshi", "Fenna") and the small pipeline's NER
tags many of them ORG, GPE or nothing; they also name groups by words the first role lexicon lacked
("the ML ops folks", "the platform crew", "a consultant"). These resources generalise:

  ROLE_CLASSES  role and group nouns by category (job titles, group nouns, novices, people who touch data),
                so a new title is caught by its class, not by having been seen in a sentence.
  name_shaped   a capitalised single-word proper noun in a person's slot (subject, agent, possessor, object)
                that is not an English word (the lemmatizer's own WordNet-derived word index, no extra
                data) and not a product of the AI/infra world (PRODUCTS): an unknown first name.
  titled        a name after an honorific ("Mr", "Dr"), a rank ("Capt.", "Sgt", "OOW") or a person noun and "named"
                ("a contractor named Hazel"), where the NER and the word index often fail (stop 30, round 2).
  chat_name     a chat line's lower-case name ("thx zaliya", "zaliya wiped staging"): a pronounceable word that is
                no English word, no jargon made of words and no chat word, in a person's slot or as the line's
                speaker or addressee, on a line written in lower case (stop 30, round 2).

Systems are the look-alikes: "Grafana should have paged", "Kubernetes evicted the pods", "Argo rolled back".
PRODUCTS holds the common ones (monitoring, orchestration, data, ML, cloud, LLM families); English words
(Vault, Sentry, Spark) are excluded by the word index anyway when they open a sentence.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from typing import Any

ROLE_CLASSES: dict[str, frozenset[str]] = {
    # job titles seen in engineering organisations
    "titles": frozenset(
        {
            "architect",
            "technician",
            "specialist",
            "programmer",
            "coder",
            "tester",
            "qa",
            "pm",
            "pms",
            "director",
            "executive",
            "vp",
            "cto",
            "ceo",
            "cio",
            "ciso",
            "officer",
            "supervisor",
            "boss",
            "consultant",
            "freelancer",
            "moderator",
            "auditor",
            "inspector",
            "coordinator",
            "designer",
            "dbas",
            "sysadmin",
            "sysadmins",
            "devops",
            "mlops",
            "scientists",
            "analysts",
            "managers",
            "leads",
            "owners",
            "authors",
            "approvers",
            "committer",
            "committers",
            "deployer",
            "submitter",
            "assignee",
            "on-caller",
            "on-callers",
            "oncaller",
            "staffer",
            "personnel",
            "operative",
        }
    ),
    # group nouns that name people together
    "groups": frozenset({"crew", "crews", "squad", "squads", "folks", "folk", "department", "dept", "workforce"}),
    # departments named as actors (stop 27): "Procurement sat on the GPU order", "legal's foot-dragging"
    "departments": frozenset({"procurement", "purchasing", "legal", "hr"}),
    # novices and newcomers
    "novices": frozenset({"hire", "hires", "newcomer", "newbie", "rookie", "junior", "juniors", "trainee", "trainees"}),
    # a lab's people (stop 28: lab notebooks, "their student caused the loss")
    "lab": frozenset({"student", "students", "postdoc", "postdocs", "phd", "grad", "grads"}),
    # stop 29 (an eighth writer's registers): a hospital's people (the M&M conference's "on-call resident", "an
    # attending"), a parliament's and a ministry's, a gameday's, casual British and Kenyan words for a person, and
    # experts (a "so-called expert" is a person)
    "clinical": frozenset(
        {"resident", "residents", "attending", "attendings", "registrar", "registrars", "clinician", "clinicians"}
        | {"physician", "physicians", "nurse", "nurses", "surgeon", "surgeons"}
    ),
    "public": frozenset({"minister", "ministers", "official", "officials", "councillor", "councillors", "mp", "mps"}),
    "casual": frozenset(
        {"bloke", "blokes", "lad", "lads", "chap", "chaps", "fella", "fellas", "guy", "guys", "mzee", "bosses"}
        | {"captain", "captains", "expert", "experts", "specialist", "specialists", "administrator", "administrators"}
        | {"staffers", "employee", "employees"}
    ),
    # stop 30 (round 2): the parties of a hearing, a trial, an HR finding or a paper, named by their part in it ("the
    # respondent", "the claimant", "the defendant", "a co-author"); "suspect", "driver", "witness" and "offender" are
    # left out (a verb, a device, a quorum member and a noisy tenant in incident prose)
    "parties": frozenset(
        {"respondent", "respondents", "claimant", "claimants", "complainant", "complainants", "defendant", "defendants"}
        | {"plaintiff", "plaintiffs", "appellant", "appellants", "petitioner", "petitioners", "grievant", "accused"}
        | {"co-author", "co-authors", "coauthor", "coauthors", "watchkeeper", "watchkeepers", "signaller", "signallers"}
        | {"signalman", "signalmen"}
    ),
    # people who label, rate or curate data
    "data": frozenset(
        {"annotator", "annotators", "labeler", "labelers", "labeller", "labellers", "rater", "raters", "curator"}
        | {"steward", "stewards", "custodian", "custodians"}
    ),
    # one of us
    "peers": frozenset(
        {
            "teammate",
            "teammates",
            "coworker",
            "coworkers",
            "co-worker",
            "member",
            "members",
            "individual",
            "anyone",
            "anybody",
        }
    ),
}
MORE_ROLES = frozenset().union(*ROLE_CLASSES.values())

# Products and services that take a capitalised name and act in incident prose like a person would.
PRODUCTS = frozenset(
    {
        # monitoring, paging, logging
        "grafana",
        "prometheus",
        "datadog",
        "sentry",
        "pagerduty",
        "opsgenie",
        "splunk",
        "kibana",
        "loki",
        "tempo",
        "honeycomb",
        "nagios",
        "zabbix",
        "statuspage",
        "alertmanager",
        "thanos",
        "jaeger",
        # orchestration, delivery, infrastructure
        "kubernetes",
        "terraform",
        "argo",
        "argocd",
        "helm",
        "docker",
        "jenkins",
        "spinnaker",
        "flux",
        "ansible",
        "puppet",
        "chef",
        "nomad",
        "consul",
        "vault",
        "envoy",
        "istio",
        "nginx",
        "traefik",
        "haproxy",
        "cloudflare",
        "fastly",
        "akamai",
        "vercel",
        "netlify",
        "heroku",
        "atlantis",
        "pulumi",
        "karpenter",
        "keda",
        # source, chat, tickets
        "github",
        "gitlab",
        "bitbucket",
        "slack",
        "jira",
        "confluence",
        "zoom",
        "okta",
        "dependabot",
        "renovate",
        "copilot",
        # data and queues
        "redis",
        "postgres",
        "postgresql",
        "mysql",
        "mongo",
        "mongodb",
        "kafka",
        "rabbitmq",
        "celery",
        "airflow",
        "dagster",
        "spark",
        "flink",
        "snowflake",
        "bigquery",
        "databricks",
        "elasticsearch",
        "opensearch",
        "cassandra",
        "dynamo",
        "dynamodb",
        "clickhouse",
        "etcd",
        "zookeeper",
        "pinecone",
        "weaviate",
        "milvus",
        "qdrant",
        "chroma",
        "faiss",
        # ML platforms and frameworks
        "ray",
        "triton",
        "vllm",
        "mlflow",
        "kubeflow",
        "sagemaker",
        "vertex",
        "pytorch",
        "tensorflow",
        "jax",
        "keras",
        "langchain",
        "llamaindex",
        "wandb",
        "huggingface",
        "bedrock",
        # clouds
        "aws",
        "azure",
        "gcp",
        "lambda",
        "fargate",
        # model families
        "claude",
        "gemini",
        "llama",
        "mistral",
        "gpt",
        "chatgpt",
        "bert",
        "whisper",
        "codex",
    }
)

# Titles written before a name, as classes (with or without the full stop). After an honorific any capitalised word
# is a name, an English one too ("Mr Green", "Dr Black"); after a rank or post, only a word that is no English word
# and no product, since the same words head other phrases ("Judge Model", "Major Outage", "Captain Obvious").
HONORIFICS = frozenset({"mr", "mrs", "ms", "mx", "messrs", "dr", "prof", "sir", "dame", "madam", "fr", "hon"})
RANKS = frozenset(
    {"capt", "cpt", "cmdr", "cdr", "lt", "sgt", "cpl", "pte", "maj", "col", "gen", "adm", "insp", "det", "supt", "rev"}
    | {"captain", "officer", "constable", "detective", "inspector", "sergeant", "lieutenant", "commander", "major"}
    | {"judge", "chief", "skipper", "coach"}
)
# A rank or post written as capitals before a name: "OOW Trethewey", "CTO Ravi", "PM Ana" (then too the name must be
# no English word and no product, and not a place: "EU Frankfurt").
_RANK_RE = re.compile(r"[A-Z][A-Z0-9]{1,4}")
_NAME_SHAPE_RE = re.compile(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?")
# The slots a person takes in the shapes the grammar reads.
_PERSON_SLOTS = frozenset({"nsubj", "nsubjpass", "poss", "pobj", "dobj", "conj", "appos", "npadvmod", "ROOT"})


_WORDS: weakref.WeakKeyDictionary[Any, Words] = weakref.WeakKeyDictionary()


class Words:
    """English words known to the pipeline's lemmatizer (its WordNet-derived index): a capitalised word
    in it is a word ("Lesson learned: …"), not an unknown name."""

    def __init__(self, nlp: Any) -> None:
        self.index: frozenset[str] = frozenset()
        try:
            table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
            # One set (stop 32): the table holds lists (~90,000 words), and a scan per lookup made the features of
            # a sentence cost ~0.4 s, most of the blame check's time on new text.
            self.index = frozenset(w for pos in ("noun", "verb", "adj", "adv") if pos in table for w in table[pos])
        except (KeyError, AttributeError, ValueError):
            self.index = frozenset()  # another pipeline: only the other signals decide

    @classmethod
    def of(cls, nlp: Any) -> Words:
        """The words of a loaded pipeline, built once per pipeline (the set costs ~40 ms; a matcher is made per
        `find`), and let go with it."""
        words = _WORDS.get(nlp)
        if words is None:
            words = _WORDS[nlp] = cls(nlp)
        return words

    def __contains__(self, word: str) -> bool:
        return word in self.index

    def made_of_words(self, word: str) -> bool:
        """Two English words run together, or a word with a suffix: "autoscaler", "webhook", "deployer" (lower-case
        jargon, which a chat line's names are not)."""

        def stem_is_word(part: str) -> bool:
            ends = [e for e in ("ers", "er", "s", "ed", "ing") if part.endswith(e) and len(part) - len(e) >= 3]
            return any(part[: -len(e)] in self for e in ends)

        if stem_is_word(word):
            return True
        return any(word[:i] in self and (word[i:] in self or stem_is_word(word[i:])) for i in range(3, len(word) - 2))


def titled(token: Any, words: Words, is_role: Callable[[Any], bool] = lambda t: False) -> bool:
    """A name after a title, honorific or rank ("Mr Quenby", "Capt. Okonjo", "OOW Trethewey") or after a person
    noun and "named" ("a contractor named Hazel": an English word there too)."""
    doc = token.doc
    if not _NAME_SHAPE_RE.fullmatch(token.text) or token.text.lower() in PRODUCTS or token.i == 0:
        return False
    before = doc[token.i - 1]
    if before.lower_ in ("named", "called") and token.i >= 2 and is_role(doc[token.i - 2]):
        return True
    if before.text == "." and token.i >= 2:
        before = doc[token.i - 2]  # "Capt . Okonjo" when the tokenizer keeps the stop apart
    title = before.text.rstrip(".")
    if title.lower() in HONORIFICS and title[:1].isupper():
        return True
    if (title.lower() in RANKS and title[:1].isupper()) or _RANK_RE.fullmatch(before.text):
        # (the tagger reads an unknown name after a title as anything, "Captain Xyz" an adjective: no part of speech)
        return token.ent_type_ not in ("GPE", "LOC", "FAC", "NORP", "DATE", "TIME") and _unknown_word(
            token.lower_, words
        )
    return False


# A chat line's names are written in lower case ("thx zaliya", "zaliya wiped staging"): a lower-case word is read
# as a name only on a line written in lower case, in a person's slot, when it is no English word, no product, none of
# chat's own words, and shaped like a spoken name (vowels between its consonants: not "kubectl" nor "etcd").
CHAT_WORDS = frozenset(
    {"lol", "lmao", "lmfao", "rofl", "omg", "wtf", "smh", "idk", "imo", "imho", "tbh", "ngl", "afaik", "iirc", "jk"}
    | {"yeet", "yeeted", "bruh", "kinda", "gonna", "wanna", "gotta", "dunno", "okay", "nope", "yup", "yep", "meh"}
    | {"welp", "oops", "lgtm", "ptal", "asap", "todo", "fyi", "btw", "pls", "plz", "thx", "ty", "tysm", "gg", "wip"}
    | {"config", "configs", "infra", "creds", "deps", "repo", "repos", "prod", "staging", "kubelet", "kubectl"}
    | {"repro", "tldr", "eta", "rca", "update", "hotfix", "rollout", "rollback", "oncall", "standup"}
)
_THANKS = frozenset({"thx", "thanks", "ty", "tysm", "cheers", "classic", "kudos", "ta"})
_CHAT_NAME_RE = re.compile(r"[a-z]{3,12}")
_CONSONANTS_RE = re.compile(r"[bcdfghjklmnpqrstvwxz]{3}|^[^aeiouy]*$")
_CHAT_SLOTS = frozenset({"nsubj", "nsubjpass", "poss", "dobj", "ROOT", "appos", "conj"})


def chat_name(token: Any, words: Words) -> bool:
    """A lower-case name on a chat line (see _chat_name); the same word elsewhere on the line is the same name, however
    the tagger read it there ("zaliya wiped staging, thx zaliya": the first read as an auxiliary)."""
    if _chat_name(token, words):
        return True
    return token.is_lower and any(
        t.i != token.i and t.text == token.text and t.pos_ in ("NOUN", "PROPN") and _chat_name(t, words)
        for t in token.doc
    )


def _chat_name(token: Any, words: Words) -> bool:
    """A lower-case name on a chat line: its speaker ("zaliya: …"), its addressee ("thx zaliya") or someone in
    a person's slot ("zaliya pushed to main", "zaliya's merge rights")."""
    low = token.text
    if not _CHAT_NAME_RE.fullmatch(low) or low in CHAT_WORDS or low in PRODUCTS or low in words:
        return False
    if _CONSONANTS_RE.search(low) or sum(c in "aeiouy" for c in low) < 2 or token.pos_ not in ("NOUN", "PROPN"):
        return False
    if words.made_of_words(low):
        return False  # jargon: "autoscaler", "webhook"
    text = token.doc.text
    start = text.rfind("\n", 0, token.idx) + 1
    first = next((c for c in text[start : token.idx + 1] if c.isalpha()), "")
    if not first.islower():
        return False  # a line in ordinary case: a lower-case word there is an identifier
    doc = token.doc
    before = doc[token.i - 1] if token.i > 0 else None
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if before is not None and before.text.lower() in _THANKS:
        return True
    opens = before is None or token.i == token.sent.start or before.like_num or before.is_punct or before.is_space
    if after is not None and after.text == ":" and opens:
        return True  # the speaker of a chat line
    if token.dep_ == "compound" or any(
        c.dep_ in ("det", "compound", "amod") and c.lower_ not in CHAT_WORDS for c in token.children
    ):
        return False  # a noun phrase's part or head: "the backend", "api gateway", "stale cache" ("lol zaliya" is not)
    return token.dep_ in _CHAT_SLOTS


def name_shaped(token: Any, words: Words, relaxed: bool = False) -> bool:
    """An unknown first name: a capitalised single word tagged as a noun in a person's slot, neither an English
    word nor a product, with no determiner and not part of a compound name ("the Grafana panel")."""
    text = token.text
    # the tagger reads an unknown name opening a sentence as a common noun as often as a proper one
    if token.pos_ not in ("PROPN", "NOUN") or not _NAME_SHAPE_RE.fullmatch(text) or len(text) > 14:
        return False
    low = text.lower()
    if low in PRODUCTS or (token.dep_ not in _PERSON_SLOTS and not relaxed):
        return False
    if token.is_stop:
        # a function word is no name, though the lexicon of content words lacks it (stop 33): the "For" of a
        # header name ("trusting X-Forwarded-For would have been safe") read as the subject of a counterfactual
        return False
    if any(c.dep_ == "det" for c in token.children):
        return False
    if not relaxed and (token.dep_ == "compound" or any(c.dep_ == "compound" for c in token.children)):
        return False  # relaxed: a timeline opener the parser glued to the next word ("Pieter ack'd")
    numeric = token.ent_type_ in ("MONEY", "CARDINAL", "PERCENT", "QUANTITY")
    if token.ent_type_ in ("DATE", "TIME", "LAW", "LANGUAGE") or (numeric and not token.is_alpha):
        return False  # (a word of letters is no number: "13:45 Kwabena ignores …" tags the name CARDINAL)
    return _unknown_word(low, words)


def _unknown_word(low: str, words: Words) -> bool:
    """No English word and no plural of one."""
    # (the stem must be a word of three letters or more: "Ines" is not the plural of "in")
    if low.endswith("s") and (low[:-1] in words or (low.endswith("es") and len(low) > 4 and low[:-2] in words)):
        # the plural of an English word the NER did not call a person: "- Nodes were too small" (stop 25)
        return False
    return low not in words
