"""Before the constraints of 0005: each chain counts in peer groups at most once per
major version, and only a completed assessment counts. The services have always kept it
so; this settles any row written another way (the latest completed one keeps counting)."""

from django.db import migrations
from django.db.models import Count


def settle_counted_assessments(apps, schema_editor):
    Assessment = apps.get_model("diagnostics", "Assessment")
    counted = Assessment.objects.filter(counts_for_peers=True)
    counted.exclude(status="completed").update(counts_for_peers=False)
    doubled = (
        counted.values("chain", "major_version")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .values_list("chain", "major_version")
    )
    for chain, major_version in doubled:
        rows = counted.filter(chain=chain, major_version=major_version)
        latest = rows.order_by("-completed", "-pk").values_list("pk", flat=True).first()
        rows.exclude(pk=latest).update(counts_for_peers=False)


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0003_assessment_dashboards_index")]

    operations = [
        migrations.RunPython(settle_counted_assessments, migrations.RunPython.noop, elidable=True)
    ]
