"""Who counts as a person for the blame grammar, beyond people.toml and the NER: broad classes, not names.

Writers name people the tool has never seen ("Tomasz", "Hiroshi", "Fenna") and the small pipeline's NER
tags many of them ORG, GPE or nothing; they also name groups by words the first role lexicon lacked
("the ML ops folks", "the platform crew", "a consultant"). Two resources generalise:

  ROLE_CLASSES  role and group nouns by category (job titles, group nouns, novices, people who touch data),
                so a new title is caught by its class, not by having been seen in a sentence.
  name_shaped   a capitalised single-word proper noun in a person's slot (subject, agent, possessor, object)
                that is not an English word (the lemmatizer's own WordNet-derived word index, no extra
                data) and not a product of the AI/infra world (PRODUCTS): an unknown first name.

Systems are the look-alikes: "Grafana should have paged", "Kubernetes evicted the pods", "Argo rolled back".
PRODUCTS holds the common ones (monitoring, orchestration, data, ML, cloud, LLM families); English words
(Vault, Sentry, Spark) are excluded by the word index anyway when they open a sentence.
"""

from __future__ import annotations

import re
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

_NAME_SHAPE_RE = re.compile(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?")
# The slots a person takes in the shapes the grammar reads.
_PERSON_SLOTS = frozenset({"nsubj", "nsubjpass", "poss", "pobj", "dobj", "conj", "appos", "npadvmod", "ROOT"})


class Words:
    """English words known to the pipeline's lemmatizer (its WordNet-derived index): a capitalised word
    in it is a word ("Lesson learned: …"), not an unknown name."""

    def __init__(self, nlp: Any) -> None:
        self.index: list[Any] = []
        try:
            table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
            self.index = [table[pos] for pos in ("noun", "verb", "adj", "adv") if pos in table]
        except (KeyError, AttributeError, ValueError):
            self.index = []  # another pipeline: only the other signals decide

    def __contains__(self, word: str) -> bool:
        return any(word in part for part in self.index)


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
    if any(c.dep_ == "det" for c in token.children):
        return False
    if not relaxed and (token.dep_ == "compound" or any(c.dep_ == "compound" for c in token.children)):
        return False  # relaxed: a timeline opener the parser glued to the next word ("Pieter ack'd")
    numeric = token.ent_type_ in ("MONEY", "CARDINAL", "PERCENT", "QUANTITY")
    if token.ent_type_ in ("DATE", "TIME", "LAW", "LANGUAGE") or (numeric and not token.is_alpha):
        return False  # (a word of letters is no number: "13:45 Kwabena ignores …" tags the name CARDINAL)
    # (the stem must be a word of three letters or more: "Ines" is not the plural of "in")
    if low.endswith("s") and (low[:-1] in words or (low.endswith("es") and len(low) > 4 and low[:-2] in words)):
        # the plural of an English word the NER did not call a person: "- Nodes were too small" (stop 25)
        return False
    return low not in words
