"""Redaction for sharing, kind by kind: what must go, the look-alikes that must stay, stable placeholders,
counts, and where nothing is touched (ids, taxonomy modes, code for names and handles)."""

from __future__ import annotations

import re

import pytest
from report_helpers import rich_incident

from workbench.domain.model import TimelineEntry
from workbench.services.redaction import Redactor
from workbench.services.redaction.patterns import email_spans, handle_spans, ip_spans
from workbench.services.report import ReportOptions, render_report
from workbench.services.report.redact import redact


def found(text: str, spans) -> list[str]:
    return [text[s:e] for s, e in spans]


def redacted(text: str, **kwargs) -> tuple[str, Redactor]:
    r = Redactor(**kwargs)
    r.learn([text])
    return r.redact(text), r


# ------------------------------------------------------------------------------------------------ emails
@pytest.mark.parametrize(
    "text, email",
    [
        ("write to priya.raman@example.com today", "priya.raman@example.com"),
        ("plus addressing: ana.lima+oncall@corp.example.org.", "ana.lima+oncall@corp.example.org"),
        ("(Mixed.Case@Example.CO.UK)", "Mixed.Case@Example.CO.UK"),
        ("<security@pypi-example.org>", "security@pypi-example.org"),
    ],
)
def test_emails_are_found(text, email):
    assert found(text, email_spans(text)) == [email]


@pytest.mark.parametrize(
    "text",
    [
        "git clone git@github.com:org/repo.git",  # an SSH remote, not a person
        "npm i @types/node@20.1.0",
        "the @dataclass decorator",
        "ping user@localhost",  # no dotted domain
        "version 1.2@3.4",
    ],
)
def test_email_look_alikes_stay(text):
    assert email_spans(text) == []


# ------------------------------------------------------------------------------------------------ IPs
@pytest.mark.parametrize(
    "text, ip",
    [
        ("from 203.0.113.47 until", "203.0.113.47"),
        ("range 10.42.0.0/16 ran out", "10.42.0.0/16"),
        ("redis at 10.0.7.22:6379 evicted", "10.0.7.22"),
        ("v6 2001:db8:85a3::8a2e:370:7334 bypassed", "2001:db8:85a3::8a2e:370:7334"),
        ("full 2001:0db8:0000:0000:0000:ff00:0042:8329 form", "2001:0db8:0000:0000:0000:ff00:0042:8329"),
        ("link-local fe80::1ff:fe23:4567:890a%eth0 flooded", "fe80::1ff:fe23:4567:890a%eth0"),
        ("exporter at [2001:db8::7]:9100 stopped", "2001:db8::7"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("SELF-DESCRIBED 2606:4700:4700::1111.", "2606:4700:4700::1111"),
    ],
)
def test_ip_addresses_are_found(text, ip):
    assert found(text, ip_spans(text)) == [ip]


@pytest.mark.parametrize(
    "text",
    [
        "version 2.4.1.0 of the agent",
        "agent v10.0.0.1 shipped",
        "pin pkg==1.2.3.4",
        "at 14:05:00 UTC",
        "ratio 3:2:1",
        "release 1.2.3",
        "999.1.1.1 is not an address",
        "loopback 127.0.0.1 and ::1 identify no one",
        "bind 0.0.0.0:8080",
        "std::vector in C++",
        "MAC 00:1a:2b:3c:4d:5e",
        "date 2025-08-05T14:05:00Z",
    ],
)
def test_ip_look_alikes_stay(text):
    assert ip_spans(text) == []


# ------------------------------------------------------------------------------------------------ secrets
SECRETS = [
    "AKIAIOSFODNN7EXAMPLE",
    "ghp_Z8x1Qw2Er3Ty4Ui5Op6As7Df8Gh9Jk0LmNbVc",
    "xoxb-918273645501-4455667788990-QwErTyUiOpAsDfGhJkLzXcVb",
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "sk-proj-Xq7mN2pL9vR4tY8wZ1aB3cD5eF6gH0jKT3BlbkFJuI9oP2aS4dF6gH8jK1lZ3xC5",
    "glpat-Ab3Cd5Ef7Gh9Ij1Kl2Mn",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtcmVjcyJ9.Zx3k9QpL2mN8vB4cR7tY1uW6sA0dF5gH3jK9lE2oP4q",
    "hf_kLmNoPqRsTuVwXyZaBcDeFgHiJkLmNoPqRs",  # no detector of its own: found by entropy
]


@pytest.mark.parametrize("secret", SECRETS)
def test_secrets_and_tokens_go_and_their_names_stay(secret):
    text = f"The build log printed TOKEN={secret} for six days; then `curl -H 'x: {secret}'` was pasted too."
    out, r = redacted(text, names=False)
    assert secret not in out
    assert out.count("[secret 1]") == 2  # the same value, the same placeholder
    assert "TOKEN=" in out and "build log printed" in out
    assert r.summary().items["secret"] == 1 and r.summary().mentions["secret"] == 2


def test_unquoted_config_values_and_basic_auth_urls_lose_the_secret_only():
    text = (
        "password: Zq9xW2mK7vLp in clear text\n"
        "DB_PASSWORD=Tr0ub4dor&3xyz\n"
        "postgres://svc_reco:Wm8rT2qLx9Zp@db.internal.example:5432/reco"
    )
    out, _ = redacted(text, names=False)
    for secret in ("Zq9xW2mK7vLp", "Tr0ub4dor&3xyz", "Wm8rT2qLx9Zp"):
        assert secret not in out
    assert "in clear text" in out and "svc_reco:" in out and "5432/reco" in out


def test_a_private_key_block_goes_whole_and_the_text_after_it_stays():
    body = "MIIEpAIBAAKCAQEA1b2c3d4e5f6g7h8i9j0kLmNoPqRsTuVwXyZ\nAbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/abcdEF=="
    text = f"Attached:\n-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\nRotated at 10:00."
    out, _ = redacted(text, names=False)
    assert "PRIVATE KEY" not in out and "MIIE" not in out and "AbCdEf" not in out
    assert out == "Attached:\n[secret 1]\nRotated at 10:00."


@pytest.mark.parametrize(
    "text",
    [
        "Fixed in commit 4e1f9a2c7b3d5e8f0a6c1b9d2e7f4a3c8b5d0e6f (short 4e1f9a2).",
        "artifact sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 was rebuilt",
        "request 123e4567-e89b-12d3-a456-426614174000 and trace 4bf92f3577b34da6a3ce929d0e0e4736",
        "model claude-3-5-sonnet-20241022 and meta-llama/Llama-3.1-70B-Instruct",
        "see https://github.com/jhj0517/AdvancedLivePortrait-WebUI/issues/19 for the report",
        "the password was rotated at 14:05",
        "password: rotated",
        "api_key: ${OPENAI_API_KEY}",
        "metric kube_pod_container_status_restarts_total and p99_latency_ms_bucket",
        "incident 2024-12-04-ultralytics-pypi-supply-chain-compromise",
    ],
)
def test_secret_look_alikes_stay(text):
    out, _ = redacted(text, names=False)
    assert out == text


# ------------------------------------------------------------------------------------------------ handles
def test_personal_handles_go_and_group_team_bot_and_package_mentions_stay():
    text = (
        "@jlindqvist acked; @here paged; @sre-oncall and @pypi-admins were told; @dependabot opened a PR; "
        "npm i @types/node; mail priya@example.com; @ml-infra-squad took over; ask @ben-okoro."
    )
    spans = found(text, handle_spans(text, keep=frozenset({"ml-infra-squad"})))
    assert spans == ["@jlindqvist", "@ben-okoro"]


def test_handles_in_code_are_code():
    out, _ = redacted("Ask @mchen about `@retry(times=3)` in the client.")
    assert out == "Ask Person A about `@retry(times=3)` in the client."


# ------------------------------------------------------------------------------------------------ names
def test_names_get_stable_placeholders_across_texts_and_short_forms():
    r = Redactor(secrets=False)
    texts = [
        "Priya Raman paged Marcus Feld at 14:05 UTC.",
        "Marcus rolled back vllm; Priya wrote the test.",
        "Thanks to Priya Raman.",
    ]
    r.learn(texts)
    out = [r.redact(t) for t in texts]
    assert out == [
        "Person A paged Person B at 14:05 UTC.",
        "Person B rolled back vllm; Person A wrote the test.",
        "Thanks to Person A.",
    ]
    summary = r.summary()
    assert summary.items["name"] == 2 and summary.mentions["name"] == 5


@pytest.mark.parametrize(
    "text, name",
    [
        ("It was Bob's fault that the deploy failed.", "Bob"),
        ("Not Kevin’s mistake: the tool hid the diff.", "Kevin"),
        ("Anika Sharma's dashboard showed the drift.", "Anika"),
    ],
)
def test_possessive_and_blame_forms_lose_the_name(text, name):
    out, _ = redacted(text, secrets=False)
    assert name not in out
    assert re.search(r"Person A['’]s", out), out


@pytest.mark.parametrize(
    "text",
    [
        "Claude 3.5 Sonnet answered with truncated JSON on 3 of 5 runs.",
        "Grafana showed http_requests_total flattening at 16:20.",
        "Gemini 1.5 Pro and GPT-4o gave the same wrong amount.",
        "Anthropic and Google Cloud published their reports on 2025-09-17.",
        "Llama Guard was bypassed by base64-encoded prompts.",
        "Kubernetes 1.29 deprecated the flag, so the kubelet refused to start.",
    ],
)
def test_systems_models_and_companies_stay(text):
    out, _ = redacted(text, secrets=False)
    assert out == text


def test_the_keep_list_protects_a_system_named_like_a_person():
    text = "Sofia Hernández asked why Hermes misrouted every refund; Hermes had been retrained on Monday."
    out, _ = redacted(text, keep=["Hermes"], secrets=False)
    assert out == "Person A asked why Hermes misrouted every refund; Hermes had been retrained on Monday."


def test_names_in_code_are_left_for_the_reader():
    out, _ = redacted("Dana Kim ran `git log --author='Dana Kim'` and\n\n```\nowner = Dana Kim\n```\n", secrets=False)
    assert out.startswith("Person A ran `git log --author='Dana Kim'`") and "owner = Dana Kim" in out


# ------------------------------------------------------------------------------------------------ incidents
def test_an_incident_keeps_its_ids_and_modes_and_says_what_it_redacted():
    incident = rich_incident(
        commander="Dana Kim",
        summary="Reported by jorge.ramirez@client-example.com from 203.0.113.47.",
        timeline=[
            TimelineEntry(
                id="t-0001",
                time=rich_incident().timeline[0].time,
                event="Yuki Tanaka found OPENAI_API_KEY=sk-proj-Xq7mN2pL9vR4tY8wZ1aB3cD5eF6gH0jKT3Blbk"
                "FJuI9oP2aS4dF6gH8jK1lZ3xC5 in the notebook",
                source="@mchen in #inc-2291",
            )
        ],
    )
    narrative = "## Technical Analysis\n\nYuki Tanaka's notebook was public. Mail 2001:db8::1 logs to Yuki.\n"
    out, text, summary = redact(incident, narrative, [])
    assert out.id == incident.id and out.taxonomy == incident.taxonomy == ["kv-cache-pathology"]
    assert [c.id for c in out.causes] == [c.id for c in incident.causes]
    assert out.causes[0].taxonomy == ["kv-cache-pathology"] and out.causes[0].evidence == ["t-0001"]
    assert out.summary == "Reported by [email 1] from [IP 1]."
    assert out.timeline[0].event == "Person A found OPENAI_API_KEY=[secret 1] in the notebook"
    assert out.timeline[0].source == "Person B in #inc-2291"
    assert text == "## Technical Analysis\n\nPerson A's notebook was public. Mail [IP 2] logs to Person A.\n"
    assert out.commander == "Incident Commander"
    # names: Dana Kim (commander and an owner), Lee Park (lead), Yuki Tanaka; handles: @mchen, owners @lee, @sam
    assert summary.items == {"name": 3, "handle": 3, "email": 1, "ip": 2, "secret": 1}


def test_the_report_states_the_counts_under_its_title():
    incident = rich_incident(summary="Ask ops@example.org; the host was 198.51.100.12.")
    rendered = render_report(incident, "", ReportOptions(audience="external"))
    lines = rendered.text.split("\n")
    assert lines[0].startswith("# Postmortem:")
    assert lines[2].startswith("> Redacted for sharing: names ") and "email addresses 1" in lines[2]
    assert "IP addresses 1" in lines[2] and rendered.redaction.items["email"] == 1
    internal = render_report(incident, "", ReportOptions())
    assert internal.redaction is None and "Redacted for sharing" not in internal.text
    assert "ops@example.org" in internal.text
