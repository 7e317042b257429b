"""The pull: read K/3 Cloud form by form, incrementally by FModifyDate, paged, each
row through the portal's services; bad rows recorded, never stopping the run."""

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from common.errors import DomainError
from erp import forms
from erp.client import K3Client, K3Error
from erp.conf import K3Config
from erp.models import SyncError, SyncLock, SyncRun, SyncState

log = logging.getLogger(__name__)

LOCK_TTL = dt.timedelta(minutes=30)  # a crashed holder frees the lock after this
ProgressCallback = Callable[[str, dict], None]


class SyncBusy(Exception):
    """Another pull holds the lock."""


@dataclass(frozen=True)
class Outcome:
    run: SyncRun
    ok: bool


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def lock_acquire(*, holder: str, now: dt.datetime | None = None) -> bool:
    """Take the one pull lock unless someone else holds it (and has not expired)."""
    now = now or timezone.now()
    with transaction.atomic():
        SyncLock.objects.get_or_create(pk=1)
        lock = SyncLock.objects.select_for_update().get(pk=1)
        if lock.held_until and lock.held_until > now and lock.held_by != holder:
            return False
        lock.held_by, lock.held_until = holder, now + LOCK_TTL
        lock.save()
        return True


def lock_release(*, holder: str) -> None:
    SyncLock.objects.filter(pk=1, held_by=holder).update(held_by="", held_until=None)


def _k3_text(value: dt.datetime) -> str:
    """An aware datetime as K/3 compares it: server-local (China time), no offset."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


def _groups(pages: Iterable[list[dict]], id_key: str, on_page) -> Iterable[list[dict]]:
    """Rows of one bill together (lines repeat the header), across page breaks."""
    current: list[dict] = []
    for page in pages:
        on_page()
        for row in page:
            if current and row.get(id_key) != current[0].get(id_key):
                yield current
                current = []
            current.append(row)
    if current:
        yield current


def _filter(form: forms.Form, config: K3Config, lower, upper) -> str:
    parts = [form.filter(config)] if form.filter(config) else []
    if form.incremental:
        if lower is not None:
            parts.append(f"{form.modify_key} >= '{_k3_text(lower)}'")
        parts.append(f"{form.modify_key} <= '{_k3_text(upper)}'")
    return " AND ".join(parts)


def sync_form(
    *,
    client: K3Client,
    run: SyncRun,
    form: forms.Form,
    full: bool,
    on_progress: ProgressCallback | None = None,
) -> None:
    """Read one form (a K3Error stops it, leaving its watermark where it was)."""
    config = client.config
    state, _ = SyncState.objects.get_or_create(form=form.name)
    upper = timezone.now().replace(microsecond=0)
    lower = None
    if form.incremental and state.watermark and not full:
        lower = state.watermark - dt.timedelta(minutes=config.overlap_minutes)
    progress = {"rows": 0, "pages": 0, "errors": 0, "skipped": 0, "done": False}
    run.progress[form.name] = progress
    ctx = forms.Context(config=config, today=timezone.localdate())

    def report():
        progress["skipped"] = ctx.skipped
        SyncRun.objects.filter(pk=run.pk).update(progress=run.progress)
        if on_progress:
            on_progress(form.name, progress)

    def page_read():
        progress["pages"] += 1
        report()

    pages = client.pages(
        form_id=form.form_id,
        field_keys=list(form.keys),
        filter_string=_filter(form, config, lower, upper),
        order_string=form.order_string,
    )
    for rows in _groups(pages, form.id_key, page_read):
        erp_id = str(rows[0].get(form.id_key))
        try:
            with transaction.atomic():
                form.apply(ctx, rows)
        except (forms.BadRow, DomainError, KeyError, TypeError, ValueError) as exc:
            progress["errors"] += 1
            reason = exc.message if isinstance(exc, DomainError) else str(exc)
            SyncError.objects.create(
                run=run, form=form.name, erp_id=erp_id, reason=reason[:2000]
            )
            log.warning("K/3 %s %s: %s", form.name, erp_id, reason)
        progress["rows"] += len(rows)
    if form.name == "STK_Inventory":
        forms.inventory_finish(ctx)
    if form.incremental:
        state.watermark = upper
        state.save(update_fields=["watermark", "updated_at"])
    progress["done"] = True
    report()


def sync_run(
    *,
    client: K3Client,
    form_names: Iterable[str] | None = None,
    full: bool = False,
    trigger: str = "command",
    on_progress: ProgressCallback | None = None,
) -> Outcome:
    """One pull of the chosen forms (all by default), under the lock.

    Returns ok=False when the ERP could not be reached or refused the login; rows
    taken before that stay, and the next run reads the rest (nothing is lost).
    Raises SyncBusy when another pull is running.
    """
    wanted = set(form_names or forms.FORM_NAMES)
    unknown = wanted - set(forms.FORM_NAMES)
    if unknown:
        raise ValueError(f"unknown forms: {', '.join(sorted(unknown))}")
    holder = _holder()
    if not lock_acquire(holder=holder):
        raise SyncBusy("another ERP sync is running")
    run = SyncRun.objects.create(full=full, trigger=trigger)
    try:
        for form in forms.FORMS:
            if form.name in wanted:
                sync_form(
                    client=client,
                    run=run,
                    form=form,
                    full=full,
                    on_progress=on_progress,
                )
        run.status = SyncRun.Status.DONE
    except K3Error as exc:
        run.status = SyncRun.Status.FAILED
        run.error = f"{type(exc).__name__}: {exc.reason}"[:2000]
        log.error("K/3 sync failed: %s", run.error)
    finally:
        run.finished_at = timezone.now()
        run.save()
        lock_release(holder=holder)
    return Outcome(run=run, ok=run.status == SyncRun.Status.DONE)
