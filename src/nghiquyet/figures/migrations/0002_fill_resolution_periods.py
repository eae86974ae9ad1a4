"""Fill figures.ResolutionPeriod from the plans and results stored before it existed."""

from django.db import migrations


def fill(apps, schema_editor):
    ResolutionPeriod = apps.get_model("figures", "ResolutionPeriod")
    seen = set()
    for model in (apps.get_model("targets", "Plan"), apps.get_model("targets", "Result")):
        rows = model.objects.values_list("target__resolution_id", "period", "period_start", "period_end").distinct()
        for resolution_id, period, start, end in rows:
            if (resolution_id, period) not in seen:
                seen.add((resolution_id, period))
                ResolutionPeriod.objects.create(resolution_id=resolution_id, period=period, period_start=start, period_end=end)


class Migration(migrations.Migration):
    dependencies = [("figures", "0001_initial"), ("targets", "0002_result_state")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
