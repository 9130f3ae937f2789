from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dashboards.forms import PeriodForm
from dashboards.links import community_url
from dashboards.permissions import (
    access_community_dashboard,
    check_organisation_dashboard,
)
from dashboards.report import SECTIONS, Report
from dashboards.rollups import rollup_state
from dashboards.scope import Scope
from dashboards.selectors import latest_snapshot
from dashboards.table_cache import page_tables
from dashboards.tables import csv_response


@login_required
@require_GET
def index(request):
    check_organisation_dashboard(request.user)
    form = PeriodForm(request.GET)
    period = form.to_period()
    report = Report(
        scope=Scope.organisation(),
        period=period,
        viewer=request.user,
        snapshot=latest_snapshot(period),
    )
    return _respond(request, form, report, "dashboards/index.html")


@login_required
@require_GET
def community(request, slug):
    community = access_community_dashboard(request.user, slug)
    form = PeriodForm(request.GET)
    report = Report(
        scope=Scope.community(community),
        period=form.to_period(),
        viewer=request.user,
        community=community,
    )
    extra = {"community": community, "community_url": community_url(community.slug)}
    return _respond(request, form, report, "dashboards/community.html", extra)


def _respond(request, form, report, template, extra=None):
    if request.GET.get("format") == "csv":
        name = request.GET.get("table", "")
        try:
            table = report.table(name)
        except KeyError:
            raise Http404("No such table") from None
        return csv_response(table, filename=report.filename(name))
    state = rollup_state()
    tables = page_tables(report, request.GET, version=state and state.version)
    context = {
        "form": form,
        "period": report.period,
        "report": report,
        "tables": tables,
        "sections": {
            section: [tables[n] for n in names] for section, names in SECTIONS.items()
        },
        "weekly_chart": report.weekly_chart(tables["weekly"]),
        "snapshot": report.snapshot,
        "rolled_up_at": state and state.rolled_up_at,
        "newcomer_days": settings.PRACTICA_NEWCOMER_DAYS,
        **(extra or {}),
    }
    return render(request, template, context)
