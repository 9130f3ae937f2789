"""The audit log pages (staff: everything; stewards: their community).
Thin: permission, filters, render or CSV."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dashboards.audit import AuditFilterForm, audit_entries, audit_table
from dashboards.links import community_dashboard_url, community_url
from dashboards.permissions import (
    access_community_dashboard,
    check_organisation_dashboard,
)
from dashboards.tables import csv_response


@login_required
@require_GET
def audit(request):
    check_organisation_dashboard(request.user)
    return _audit_page(request, community=None)


@login_required
@require_GET
def community_audit(request, slug):
    community = access_community_dashboard(request.user, slug)
    return _audit_page(request, community=community)


def _audit_page(request, *, community):
    form = AuditFilterForm(request.GET)
    table = audit_table(audit_entries(community=community, **form.filters()))
    if request.GET.get("format") == "csv":
        name = f"audit-{community.slug}" if community else "audit"
        return csv_response(table, filename=name)
    context = {"form": form, "table": table.paginate(request.GET)}
    if community:
        context.update(
            community=community,
            community_url=community_url(community.slug),
            dashboard_url=community_dashboard_url(community.slug),
        )
    return render(request, "dashboards/audit.html", context)
