"""Fill the store of roll-ups from the approved results already there (figures.rollups)."""

from django.db import migrations


def fill(apps, schema_editor):
    if not apps.get_model("targets", "Result").objects.exists():
        return  # a new database: nothing to add up
    from nghiquyet.figures.rollups import rebuild

    rebuild()


class Migration(migrations.Migration):
    dependencies = [("figures", "0005_tree_total")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
