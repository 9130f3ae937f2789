"""Leaders and bridges (organisation and community), what could spread
next (networkers), and journeys (plan cohorts, stage moves). Thin:
permission, report, render or CSV."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dashboards.forms import PeriodForm
from dashboards.journeys import JourneysReport
from dashboards.leaders import LeadersReport, SpreadNextReport
from dashboards.links import community_dashboard_url, community_url
from dashboards.permissions import (
    access_community_dashboard,
    check_organisation_dashboard,
    check_spread_next,
)
from dashboards.scope import Scope
from dashboards.selectors import latest_network_snapshot
from dashboards.tables import csv_response


@login_required
@require_GET
def leaders(request):
    check_organisation_dashboard(request.user)
    form = PeriodForm(request.GET)
    report = LeadersReport(
        scope=Scope.organisation(),
        period=form.to_period(),
        viewer=request.user,
        snapshot=latest_network_snapshot(),
        community=None,
    )
    return _leaders_page(request, form, report, {})


@login_required
@require_GET
def community_leaders(request, slug):
    community = access_community_dashboard(request.user, slug)
    form = PeriodForm(request.GET)
    report = LeadersReport(
        scope=Scope.community(community),
        period=form.to_period(),
        viewer=request.user,
        snapshot=latest_network_snapshot(),
        community=community,
    )
    extra = {
        "community": community,
        "community_url": community_url(community.slug),
        "dashboard_url": community_dashboard_url(community.slug),
    }
    return _leaders_page(request, form, report, extra)


def _leaders_page(request, form, report, extra):
    if request.GET.get("format") == "csv":
        return _csv(request, report)
    tables = {n: report.table(n).paginate(request.GET) for n in report.table_names}
    context = {
        "form": form,
        "period": report.period,
        "report": report,
        "tables": tables,
        "snapshot": report.snapshot,
        "triad_chart": report.triad_svg(),
        "broken_links": report.broken_links,
        "network_chart": report.network_svg(),
        **extra,
    }
    return render(request, "dashboards/leaders.html", context)


@login_required
@require_GET
def spread_next(request):
    check_spread_next(request.user)
    report = SpreadNextReport(viewer=request.user, snapshot=latest_network_snapshot())
    if request.GET.get("format") == "csv":
        return _csv(request, report)
    tables = {n: report.table(n).paginate(request.GET) for n in report.table_names}
    context = {"tables": tables, "snapshot": report.snapshot}
    return render(request, "dashboards/spread_next.html", context)


def _csv(request, report):
    name = request.GET.get("table", "")
    try:
        table = report.table(name)
    except KeyError:
        raise Http404("No such table") from None
    return csv_response(table, filename=report.filename(name))


# --- Journeys: 90-day plans by cohort, participation stage moves ------------


@login_required
@require_GET
def journeys(request):
    check_organisation_dashboard(request.user)
    return _journeys_page(request, JourneysReport(scope=Scope.organisation()), {})


@login_required
@require_GET
def community_journeys(request, slug):
    community = access_community_dashboard(request.user, slug)
    report = JourneysReport(scope=Scope.community(community), community=community)
    extra = {
        "community": community,
        "community_url": community_url(community.slug),
        "dashboard_url": community_dashboard_url(community.slug),
    }
    return _journeys_page(request, report, extra)


def _journeys_page(request, report, extra):
    if request.GET.get("format") == "csv":
        return _csv(request, report)
    tables = {n: report.table(n).paginate(request.GET) for n in report.table_names}
    context = {
        "tables": tables,
        "cohort_chart": report.cohort_chart(),
        "counted_on": report.counted_on,
        **extra,
    }
    return render(request, "dashboards/journeys.html", context)
