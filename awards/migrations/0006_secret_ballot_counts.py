"""Secret ballots are only counted (docs/reliability.md, "Secret ballots").

Until now a secret vote was two rows written one after the other, a VoterReceipt (who)
and a Ballot without voter (what); their insertion order (the receipts' ids, the
ballots' physical order) paired them again. From here on:

- a secret item keeps one SecretCount row per choice, and no Ballot row at all: the
  existing secret ballots are folded into those counts and deleted;
- a Ballot always names its voter (open items only, as before);
- a receipt keeps the day its member voted, not the time.

Open (non-secret) items are untouched. Stored eligibility results of nominations whose
secret vote is still under way no longer show a running count: the council's rule reads
"being voted on" until the session closes, as a new check would.

Reversible: going back recreates anonymous ballots from the counts (and receipts at
noon of their day).
"""

import datetime

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

CHOICES = ("agree", "disagree")
CHUNK = 2000
SEALED_MESSAGE = (
    "Hội đồng đang bỏ phiếu kín; kết quả chỉ được công bố khi kết thúc bỏ phiếu."
)


def fold_secret_ballots(apps, schema_editor):
    AgendaItem = apps.get_model("awards", "AgendaItem")
    Ballot = apps.get_model("awards", "Ballot")
    SecretCount = apps.get_model("awards", "SecretCount")
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Ballot.objects.filter(item__secret=True)
        .values("item_id", "choice")
        .annotate(n=models.Count("pk"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["item_id"], {})[row["choice"]] = row["n"]
    unknown = {c for by_choice in counts.values() for c in by_choice} - set(CHOICES)
    if unknown:
        raise RuntimeError(f"Secret ballots with unknown choices {sorted(unknown)}: not folded.")
    secret_items = AgendaItem.objects.filter(secret=True).order_by("pk").values_list(
        "pk", flat=True
    )
    batch = []
    for item_id in secret_items.iterator(chunk_size=CHUNK):
        by_choice = counts.get(item_id, {})
        batch.extend(
            SecretCount(item_id=item_id, choice=choice, count=by_choice.get(choice, 0))
            for choice in CHOICES
        )
        if len(batch) >= CHUNK:
            SecretCount.objects.bulk_create(batch)
            batch = []
    SecretCount.objects.bulk_create(batch)
    Ballot.objects.filter(item__secret=True).delete()
    orphans = Ballot.objects.filter(voter__isnull=True).count()
    if orphans:
        raise RuntimeError(
            f"{orphans} ballot(s) of open items have no voter: an open vote names its voter. "
            "Find them (awards_ballot.voter_id IS NULL) and decide what they were before migrating."
        )


def unfold_secret_ballots(apps, schema_editor):
    Ballot = apps.get_model("awards", "Ballot")
    SecretCount = apps.get_model("awards", "SecretCount")
    batch = []
    for row in SecretCount.objects.filter(count__gt=0).iterator(chunk_size=CHUNK):
        batch.extend(Ballot(item_id=row.item_id, choice=row.choice) for _ in range(row.count))
        if len(batch) >= CHUNK:
            Ballot.objects.bulk_create(batch)
            batch = []
    Ballot.objects.bulk_create(batch)
    SecretCount.objects.all().delete()


def receipts_to_days(apps, schema_editor):
    VoterReceipt = apps.get_model("awards", "VoterReceipt")
    batch = []
    for receipt in VoterReceipt.objects.only("pk", "voted_at").iterator(chunk_size=CHUNK):
        receipt.voted_on = timezone.localtime(receipt.voted_at).date()
        batch.append(receipt)
        if len(batch) >= CHUNK:
            VoterReceipt.objects.bulk_update(batch, ["voted_on"])
            batch = []
    VoterReceipt.objects.bulk_update(batch, ["voted_on"])


def receipts_to_noon(apps, schema_editor):
    VoterReceipt = apps.get_model("awards", "VoterReceipt")
    tz = timezone.get_current_timezone()
    batch = []
    for receipt in VoterReceipt.objects.only("pk", "voted_on").iterator(chunk_size=CHUNK):
        receipt.voted_at = datetime.datetime.combine(receipt.voted_on, datetime.time(12), tz)
        batch.append(receipt)
        if len(batch) >= CHUNK:
            VoterReceipt.objects.bulk_update(batch, ["voted_at"])
            batch = []
    VoterReceipt.objects.bulk_update(batch, ["voted_at"])


def seal_stored_results(apps, schema_editor):
    """A stored eligibility check of a nomination on a secret item still being voted on
    may hold the running count: replace the council's line by "being voted on"."""
    Nomination = apps.get_model("awards", "Nomination")
    sealed = Nomination.objects.filter(
        status="voted", agenda_items__secret=True, agenda_items__session__status="open"
    ).distinct()
    batch = []
    for nomination in sealed.only("pk", "eligibility").iterator(chunk_size=CHUNK):
        report = nomination.eligibility
        if not isinstance(report, dict) or not isinstance(report.get("results"), list):
            continue
        for result in report["results"]:
            if isinstance(result, dict) and result.get("kind") == "council_approval":
                result["status"] = "unknown"
                result["message"] = SEALED_MESSAGE
        statuses = {r.get("status") for r in report["results"] if isinstance(r, dict)}
        if "fail" in statuses:
            report["overall"] = "fail"
        elif statuses <= {"pass"}:
            report["overall"] = "pass"
        else:
            report["overall"] = "unknown"
        batch.append(nomination)
    Nomination.objects.bulk_update(batch, ["eligibility"], batch_size=CHUNK)


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0005_award_record_issuing_body"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SecretCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "choice",
                    models.CharField(
                        choices=[("agree", "Đồng ý"), ("disagree", "Không đồng ý")],
                        max_length=10,
                        verbose_name="phiếu",
                    ),
                ),
                ("count", models.PositiveIntegerField(default=0, verbose_name="số phiếu")),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="secret_counts",
                        to="awards.agendaitem",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("item", "choice"), name="one_secret_count_per_choice"
                    )
                ],
            },
        ),
        migrations.RunPython(fold_secret_ballots, unfold_secret_ballots),
        migrations.RunPython(seal_stored_results, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="ballot", name="one_open_ballot_per_voter"),
        migrations.AlterField(
            model_name="ballot",
            name="voter",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="ballot",
            constraint=models.UniqueConstraint(
                fields=("item", "voter"), name="one_ballot_per_voter"
            ),
        ),
        migrations.AddField(
            model_name="voterreceipt",
            name="voted_on",
            field=models.DateField(null=True, verbose_name="ngày bỏ phiếu"),
        ),
        migrations.RunPython(receipts_to_days, receipts_to_noon),
        migrations.RemoveField(model_name="voterreceipt", name="voted_at"),
        migrations.AlterField(
            model_name="voterreceipt",
            name="voted_on",
            field=models.DateField(
                default=django.utils.timezone.localdate, verbose_name="ngày bỏ phiếu"
            ),
        ),
    ]
