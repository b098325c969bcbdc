"""The sealed audit trail: every audit event and access-log row is sealed when written and chained after commit.

Writing a row computes its seal, a keyed hash (HMAC-SHA256) of its content and a random nonce: no lock, no
extra query, so writers never wait for each other. `seal_pending()` (a job every minute, and before the chain
is shown or verified) then appends one AuditChainLink per committed row in the order it finds them, each link
the keyed hash of the link before it and the row's seal. `verify()` walks the chain and names the first row that
was changed, deleted or inserted; `state()` is the head a backup records and checks again after a restore.
The key lives outside the database (HAYAT_AUDIT_KEY, else a file in the data directory). docs/adr/0004.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import os
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hayat.core.models import AccessLogEntry, AuditChainLink, AuditEvent

EVENT, ACCESS = AuditChainLink.Kind.EVENT, AuditChainLink.Kind.ACCESS
MODELS = {EVENT: AuditEvent, ACCESS: AccessLogEntry}
SEALED_FIELDS = {
    EVENT: ("nonce", "at", "actor_id", "actor", "action", "model", "object_id", "patient_id", "ip", "detail_digest"),
    ACCESS: ("nonce", "at", "actor_id", "actor", "patient_id", "what", "object_id", "ip", "path"),
}
# The sealed fields whose form depends on the engine (see canonical()), by their place in a seal's content.
UNSTABLE = {kind: [1 + fields.index(name) for name in ("at", "ip")] for kind, fields in SEALED_FIELDS.items()}
SEAL_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
DIGEST_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
LINK_FIELDS = ("seq", "kind", "row_id", "row_seal", "link")  # what the verifier reads of a link, in this order
DIGEST = 2 + SEALED_FIELDS[EVENT].index("detail_digest")  # where an event's digest is in its row_fields()
REWRITE_ACTION = "audit.rewrite"  # anonymising rewrote the changes and notes of the events it lists
BATCH = 5000  # rows the sealer chains, and links the verifier reads, at a time
# A row whose id is this far below the last sealed id of its table is no longer looked for by the sealer: no
# transaction stays open while that many later rows commit (see the ADR on ids that commit out of order).
LATE_WINDOW = 2_000


# --- the key and the seal of one row ---------------------------------------------------------------------------

def key() -> bytes:
    return read_key(settings.HAYAT_AUDIT_KEY, str(settings.HAYAT_AUDIT_KEY_FILE))


@lru_cache(maxsize=4)
def read_key(configured: str, key_path: str) -> bytes:
    """HAYAT_AUDIT_KEY, else the key file, made on first use (like the secret key) when there is none."""
    key_file = Path(key_path)
    if configured:
        return configured.encode()
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        draft = key_file.with_name(f"{key_file.name}.{secrets.token_hex(4)}")
        draft.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        os.chmod(draft, 0o600)
        try:
            os.link(draft, key_file)  # whole or not at all; of two processes starting at once, one key wins
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text(encoding="utf-8").strip().encode()


def stamp(row: AuditEvent | AccessLogEntry) -> None:
    """Gives a row about to be inserted its nonce, its detail digest (events) and its seal: no query, no lock."""
    kind = kind_of(row)
    row.nonce = secrets.token_hex(16)
    if kind == EVENT:
        stored = json.loads(json.dumps(row.changes or {}))  # as the database gives it back: keys as text
        row.detail_digest = detail_digest(stored, row.note)
    row.seal = seal_in_order(kind, [getattr(row, name) for name in SEALED_FIELDS[kind]], signer())


def kind_of(row) -> str:
    return EVENT if isinstance(row, AuditEvent) else ACCESS


def seal_of(kind: str, values: dict, primed: hmac.HMAC | None = None) -> str:
    return seal_in_order(kind, [values[name] for name in SEALED_FIELDS[kind]], primed)


def seal_in_order(kind: str, values: Sequence, primed: hmac.HMAC | None = None) -> str:
    """The seal of a row whose SEALED_FIELDS[kind] are `values`, in that order."""
    content = [kind, *values]
    for position in UNSTABLE[kind]:
        content[position] = canonical(SEALED_FIELDS[kind][position - 1], content[position])
    return mac(SEAL_JSON.encode(content), primed)


def canonical(name: str, value):
    """The form a value has however the engine stored it: instants in UTC to the microsecond, addresses compressed."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if name == "ip" and value:
        return compressed_address(value)
    return value


@lru_cache(maxsize=256)
def compressed_address(value: str) -> str:
    """An address as ipaddress writes it (a page's access-log rows all carry the reader's address: parsed once)."""
    return ipaddress.ip_address(value).compressed


def detail_digest(changes, note: str) -> str:
    """SHA-256 of the changes (as read back from the database) and the note."""
    text = DIGEST_JSON.encode([changes or {}, note or ""])
    return hashlib.sha256(text.encode()).hexdigest()


def signer() -> hmac.HMAC:
    """An HMAC-SHA256 primed with the key, copied for each message (never updated itself, so threads share it)."""
    return primed_with(key())


@lru_cache(maxsize=4)
def primed_with(secret: bytes) -> hmac.HMAC:
    return hmac.new(secret, digestmod=hashlib.sha256)


def mac(text: str, primed: hmac.HMAC | None = None) -> str:
    keyed = (primed or signer()).copy()
    keyed.update(text.encode())
    return keyed.hexdigest()


def link_of(previous: str, seq: int, kind: str, row_id: int, row_seal: str, primed: hmac.HMAC | None = None) -> str:
    return mac(f"{previous}|{seq}|{kind}|{row_id}|{row_seal}", primed)


# --- sealing committed rows into the chain ---------------------------------------------------------------------

def seal_pending() -> int:
    """Chains every committed row not chained yet (whose seal is right); returns how many. Two sealers at once
    cannot fork the chain: both would write the same position, and the second's insert fails and stops. So only
    the insert needs a transaction: on SQLite the sealer holds the write lock for no longer than that."""
    total = 0
    while True:
        links = next_links()
        try:
            with transaction.atomic():
                AuditChainLink.objects.bulk_create(links)
        except IntegrityError:
            return total  # another sealer took these positions; it seals what is left
        total += len(links)
        if len(links) < BATCH:
            return total


def next_links() -> list[AuditChainLink]:
    """The links of up to BATCH rows not chained yet, after the chain's head."""
    head = AuditChainLink.objects.order_by("-seq").first()
    previous, seq = (head.link, head.seq) if head else ("", 0)
    links, now, primed = [], timezone.now(), signer()
    pending = sorted(((kind, row) for kind in (EVENT, ACCESS) for row in unchained(kind, BATCH)),
                     key=lambda item: (item[1]["at"], item[0] == ACCESS, item[1]["id"]))  # as they were written
    for kind, row in pending[:BATCH]:
        if seal_of(kind, row, primed) != row["seal"]:
            continue  # not written by Hayat: left out of the chain, and named by verify()
        seq += 1
        previous = link_of(previous, seq, kind, row["id"], row["seal"], primed)
        links.append(AuditChainLink(seq=seq, kind=kind, row_id=row["id"], row_seal=row["seal"], link=previous,
                                    sealed_at=now))
    return links


def unchained(kind: str, limit: int) -> list[dict]:
    """Up to `limit` rows of the table not chained yet, lowest ids first, among the ids the sealer still watches.
    At most LATE_WINDOW ids above the floor are chained, so the first LATE_WINDOW + `limit` ids hold the answer."""
    chained = AuditChainLink.objects.filter(kind=kind)
    last = chained.order_by("-row_id").values_list("row_id", flat=True).first() or 0
    floor = max(last - LATE_WINDOW, 0)
    done = set(chained.filter(row_id__gt=floor).values_list("row_id", flat=True))
    ids = MODELS[kind].objects.filter(id__gt=floor).order_by("id").values_list("id", flat=True)
    pending = [pk for pk in ids[:LATE_WINDOW + limit] if pk not in done][:limit]
    return list(MODELS[kind].objects.filter(id__in=pending).order_by("id").values("id", "seal", *SEALED_FIELDS[kind]))


# --- the head, for paper and for backups -----------------------------------------------------------------------

@dataclass(frozen=True)
class Head:
    seq: int
    link: str
    sealed_at: datetime | None

    def __str__(self) -> str:
        if not self.seq:
            return _("The audit chain is empty.")
        sealed = timezone.localtime(self.sealed_at).strftime("%Y-%m-%d %H:%M")
        return _("Audit chain head: row %(seq)s, %(link)s, sealed %(at)s") % {
            "seq": self.seq, "link": self.link[:16], "at": sealed}


def state(*, seal_first: bool = True) -> Head:
    """The chain's head (position, link, time): a backup records it in its manifest, a printed report shows it;
    after a restore, `verify(expected=head)` checks that the chain still reaches it unchanged."""
    if seal_first:
        seal_pending()
    head = AuditChainLink.objects.order_by("-seq").first()
    return Head(head.seq, head.link, head.sealed_at) if head else Head(0, "", None)


# --- verification ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    kind: str
    row_id: int
    problem: str  # "changed", "deleted", "inserted", "chain" or "head" (then row_id is the recorded position)

    def __str__(self) -> str:
        if self.problem == "head":
            return _("The chain no longer reaches the recorded head at row %(seq)s: rows were removed from its "
                     "end.") % {"seq": self.row_id}
        row = _("%(table)s %(id)s") % {"table": AuditChainLink.Kind(self.kind).label, "id": self.row_id}
        return {
            "changed": _("%(row)s was changed after it was sealed."),
            "deleted": _("%(row)s was deleted."),
            "inserted": _("%(row)s was inserted without Hayat's seal (or out of order)."),
            "chain": _("The chain was broken at %(row)s: a link was changed, removed or reordered."),
        }[self.problem] % {"row": row}


@dataclass(frozen=True)
class Verdict:
    intact_up_to: Head
    finding: Finding | None
    pending: int  # rows written by Hayat that the sealer has not chained yet

    @property
    def intact(self) -> bool:
        return self.finding is None

    def __str__(self) -> str:
        if self.finding:
            return str(self.finding)
        head = self.intact_up_to
        if not head.seq:
            return _("The audit trail is intact: nothing is sealed yet.")
        return _("The audit trail is intact up to row %(seq)s at %(at)s.") % {
            "seq": head.seq, "at": timezone.localtime(head.sealed_at).strftime("%Y-%m-%d %H:%M:%S")}


def verify(*, expected: Head | None = None) -> Verdict:
    """Walks the whole chain in order, then the rows outside it; stops at the first problem. `expected` (from
    `state()` in a backup's manifest) must still be on the chain, with the same link. It streams: a chunk of links
    and their rows at a time, in three queries, however long the chain."""
    primed = signer()
    rewritten = rewritten_events(primed)
    seq, previous = 0, ""
    for link, row in walk():
        finding = check_link(link, row, previous=previous, expected_seq=seq + 1, rewritten=rewritten, primed=primed)
        if finding:
            return Verdict(head_at(seq), finding, 0)
        seq, previous = link[0], link[4]
        if expected and seq == expected.seq and previous != expected.link:
            return Verdict(head_at(seq), Finding(link[1], link[2], "chain"), 0)
    good = head_at(seq)
    if expected and seq < expected.seq:
        return Verdict(good, Finding(EVENT, expected.seq, "head"), 0)
    pending = 0
    for kind in (EVENT, ACCESS):
        for row in outside_chain(kind, up_to=seq):
            if seal_in_order(kind, row[2:2 + len(SEALED_FIELDS[kind])], primed) != row[1]:
                return Verdict(good, Finding(kind, row[0], "inserted"), pending)
            pending += 1
    return Verdict(good, None, pending)


def check_link(link: tuple, row: tuple | None, *, previous: str, expected_seq: int, rewritten: set[int],
               primed: hmac.HMAC) -> Finding | None:
    """`link` as LINK_FIELDS, `row` as row_fields() of its table."""
    seq, kind, row_id, row_seal, chained = link
    if seq != expected_seq or link_of(previous, seq, kind, row_id, row_seal, primed) != chained:
        return Finding(kind, row_id, "chain")
    if row is None:
        return Finding(kind, row_id, "deleted")
    sealed = len(SEALED_FIELDS[kind])
    if row[1] != row_seal or seal_in_order(kind, row[2:2 + sealed], primed) != row_seal:
        return Finding(kind, row_id, "changed")
    if kind == EVENT and row_id not in rewritten and detail_digest(*row[2 + sealed:]) != row[DIGEST]:
        return Finding(kind, row_id, "changed")
    return None



def row_fields(kind: str) -> tuple[str, ...]:
    """What the verifier reads of a row, in this order: id, seal, the sealed fields, then an event's details."""
    return ("id", "seal", *SEALED_FIELDS[kind], *(("changes", "note") if kind == EVENT else ()))


def walk() -> Iterator[tuple[tuple, tuple | None]]:
    """Every link in order (a tuple of LINK_FIELDS) with the row it seals (None when the row is gone): keyset chunks
    of BATCH links, each chunk's rows fetched in one query per table, as plain tuples."""
    links = AuditChainLink.objects.order_by("seq").values_list(*LINK_FIELDS)
    after = 0
    while chunk := list(links.filter(seq__gt=after)[:BATCH]):
        rows = {kind: rows_by_id(kind, [row_id for _seq, of, row_id, *_ in chunk if of == kind]) for kind in MODELS}
        for link in chunk:
            yield link, rows[link[1]].get(link[2])
        after = chunk[-1][0]


def rows_by_id(kind: str, ids: list[int]) -> dict[int, tuple]:
    """The rows of these ids (and perhaps a few more): by a range of ids when they are dense, as a chunk of the
    chain's are, so the query does not carry thousands of parameters."""
    if not ids:
        return {}
    rows = MODELS[kind].objects.values_list(*row_fields(kind))
    low, high = min(ids), max(ids)
    rows = rows.filter(id__range=(low, high)) if high - low < 2 * len(ids) else rows.filter(id__in=ids)
    return {row[0]: row for row in rows}


def outside_chain(kind: str, *, up_to: int) -> Iterator[tuple]:
    """The rows of the table without a link at or before position `up_to`, lowest ids first: a chunk of ids at a
    time against the chained ids of the same range (index range scans, whatever the planner's statistics say)."""
    ids = MODELS[kind].objects.order_by("id").values_list("id", flat=True)
    linked = AuditChainLink.objects.filter(kind=kind, seq__lte=up_to).values_list("row_id", flat=True)
    after = 0
    while chunk := list(ids.filter(id__gt=after)[:BATCH]):
        chained = set(linked.filter(row_id__gte=chunk[0], row_id__lte=chunk[-1]))
        outside = [pk for pk in chunk if pk not in chained]
        rows = rows_by_id(kind, outside)
        yield from (rows[pk] for pk in outside if pk in rows)
        after = chunk[-1]


def head_at(seq: int) -> Head:
    link = AuditChainLink.objects.filter(seq=seq).values_list("link", "sealed_at").first()
    return Head(seq, *link) if link else Head(0, "", None)


def rewritten_events(primed: hmac.HMAC) -> set[int]:
    """Events whose changes and note anonymising rewrote, as listed by sealed `audit.rewrite` events."""
    ids: set[int] = set()
    for event in AuditEvent.objects.filter(action=REWRITE_ACTION).values("id", "seal", "changes", "note",
                                                                        *SEALED_FIELDS[EVENT]):
        if (seal_of(EVENT, event, primed) == event["seal"]
                and detail_digest(event["changes"], event["note"]) == event["detail_digest"]):
            ids.update(event["changes"].get("events", []))
    return ids
