from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
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
from dashboards.table_cache import page_body, page_tables
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
    return _respond(request, form, report, "dashboards/index")


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
    return _respond(request, form, report, "dashboards/community", extra)


def _respond(request, form, report, page, extra=None):
    """`page` names the page's template and that of its body
    ("dashboards/index": index.html around _index_body.html). The body comes
    from the cache while the rollups and the snapshot are unchanged (one for
    all staff, a steward's own: dashboards.table_cache.page_body)."""
    if request.GET.get("format") == "csv":
        name = request.GET.get("table", "")
        try:
            table = report.table(name)
        except KeyError:
            raise Http404("No such table") from None
        return csv_response(table, filename=report.filename(name))
    state = rollup_state()
    version = state and state.version
    context = {"form": form, "period": report.period, **(extra or {})}

    def body():
        tables = page_tables(report, request.GET, version=version)
        # No context processors (they belong to the page around the body, and
        # the navigation's badge would be counted twice): the body reads
        # only the request's query string.
        body_context = {
            **context,
            "request": request,
            "report": report,
            "tables": tables,
            "sections": {
                section: [tables[n] for n in names]
                for section, names in SECTIONS.items()
            },
            "weekly_chart": report.weekly_chart(tables["weekly"]),
            "snapshot": report.snapshot,
            "rolled_up_at": state and state.rolled_up_at,
            "newcomer_days": settings.PRACTICA_NEWCOMER_DAYS,
        }
        head, _slash, name = page.rpartition("/")
        return render_to_string(f"{head}/_{name}_body.html", body_context)

    # HTML this view rendered from its own (autoescaping) templates, whether
    # now or from the cache.
    html = page_body(report, request.GET, version=version, render=body)
    context["body"] = mark_safe(html)  # noqa: S308
    return render(request, f"{page}.html", context)
