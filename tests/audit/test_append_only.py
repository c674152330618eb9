"""Audit rows cannot be edited or deleted through the application (quality R11)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from papitrack.audit.models import APPEND_ONLY, AuditEntry
from papitrack.audit.services import record_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(user_named):
    commune = user_named("demo-commune")
    return record_audit(actor=commune, action="test.action", target=commune, comment="gốc")


def test_an_entry_cannot_be_changed(entry):
    entry.comment = "sửa"

    with pytest.raises(PermissionDenied) as refused:
        entry.save()

    assert refused.value.args == (APPEND_ONLY,)
    assert AuditEntry.objects.get(pk=entry.pk).comment == "gốc"


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(PermissionDenied):
        entry.delete()

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_bulk_update_and_delete_are_refused(entry):
    entry.comment = "sửa"
    with pytest.raises(PermissionDenied), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(comment="sửa")
    with pytest.raises(PermissionDenied), transaction.atomic():
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionDenied), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["comment"])

    assert AuditEntry.objects.get(pk=entry.pk).comment == "gốc"


def test_a_copy_with_an_existing_id_cannot_overwrite_the_row(entry):
    forged = AuditEntry(pk=entry.pk, action="forged", object_type="x", object_id="1")

    with pytest.raises(IntegrityError), transaction.atomic():
        forged.save()

    assert AuditEntry.objects.get(pk=entry.pk).action == "test.action"


def test_admin_offers_no_change_and_no_delete(admin_client, entry):
    change = admin_client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"comment": "x"})
    delete = admin_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"})

    assert (change.status_code, delete.status_code) == (403, 403)
    assert AuditEntry.objects.get(pk=entry.pk).comment == "gốc"
