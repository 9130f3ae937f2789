"""The audit log's page: what stewards and admins did, filterable, with a
CSV of the same rows. Staff see every entry; a community's stewards see the
entries about their community only."""

from django import forms
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from dashboards.tables import Cell, Table
from members.models import AuditAction, AuditEntry


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("", _("Any action"))] + list(AuditAction.choices),
        required=False,
    )
    who = forms.CharField(
        label=_("Done by (name or handle)"), max_length=120, required=False
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("“From” must be on or before “To”."))
        return data

    def filters(self) -> dict:
        """The valid filters only: a wrong field is shown as an error and
        ignored, never a 500 and never an empty page by surprise."""
        self.is_valid()
        ignored = set(self.errors)
        if self.non_field_errors():  # a reversed range: neither date applies
            ignored |= {"start", "end"}
        return {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if value and name not in ignored
        }


def audit_entries(*, community: Community | None = None, **filters):
    entries = AuditEntry.objects.select_related("actor").annotate(
        community_name=Subquery(
            Community.objects.filter(pk=OuterRef("community_id")).values("name")[:1]
        )
    )
    if community is not None:
        entries = entries.filter(community_id=community.pk)
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("who"):
        who = filters["who"]
        entries = entries.filter(
            Q(actor__display_name__icontains=who) | Q(actor__username__iexact=who)
        )
    if filters.get("start"):
        entries = entries.filter(at__date__gte=filters["start"])
    if filters.get("end"):
        entries = entries.filter(at__date__lte=filters["end"])
    return entries.order_by("-at", "-pk")


def _row(entry: AuditEntry) -> list[Cell]:
    actor = entry.actor
    details = ", ".join(f"{k}: {v}" for k, v in sorted(entry.details.items()))
    return [
        Cell(entry.at),
        Cell(
            actor.display_name if actor else _("System"),
            actor.get_absolute_url() if actor and actor.is_active else None,
        ),
        Cell(entry.get_action_display()),
        Cell(entry.target_label),
        Cell(entry.community_name or ""),
        Cell(details),
    ]


def audit_table(entries) -> Table:
    return Table(
        name="audit",
        title=str(_("Audit log")),
        columns=["When", "Who", "Action", "Concerning", "Community", "Details"],
        source=entries,
        row=_row,
        empty=str(_("No steward or admin action matches these filters.")),
        page_size=50,
    )
