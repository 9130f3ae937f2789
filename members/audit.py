"""The audit log: what stewards and admins did (role changes, approvals,
hides and restores, promotions, archives, erasures, SSO and SCIM changes).

Each service that takes such an action calls `audit_record()` inside its own
transaction, so an action and its entry commit or roll back together. The
log is read on the dashboards (staff: everything; a steward: their
community's entries) and exported as CSV there."""

from members.models import AuditAction, AuditEntry


def audit_record(
    *,
    actor,
    action: AuditAction,
    target=None,
    target_label: str = "",
    community_id: int | None = None,
    details: dict | None = None,
) -> AuditEntry:
    """Record `actor` doing `action` to `target` (a model instance, or
    None). Anonymous actors (a SCIM client, a job) are recorded as None."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        community_id=community_id,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=target.pk if target is not None else None,
        target_label=(target_label or (str(target) if target is not None else ""))[
            :200
        ],
        details=details or {},
    )
