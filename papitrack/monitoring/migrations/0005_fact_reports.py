import django.db.models.deletion
from django.db import migrations, models


def empty_facts(apps, schema_editor):
    """The facts now name their report, which rows written before cannot: they are emptied,
    and the stored roll-ups (grouped from them) set aside until the next rebuild
    (`manage.py rebuild_rollups`, or any plan load or report generation): read live until
    then."""
    for name in ("ReportFact", "ValueFact", "AnswerFact"):
        apps.get_model("monitoring", name).objects.all().delete()
    apps.get_model("monitoring", "StoredRollupState").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0004_fact_tables"),
        ("reports", "0003_unsent_by_unit_index"),
    ]

    operations = [
        migrations.RunPython(empty_facts, migrations.RunPython.noop),
        migrations.AddField(
            model_name="reportfact",
            name="report",
            field=models.ForeignKey(
                db_constraint=False,
                default=0,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="reports.report",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="valuefact",
            name="report",
            field=models.ForeignKey(
                db_constraint=False,
                default=0,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="reports.report",
            ),
            preserve_default=False,
        ),
    ]
