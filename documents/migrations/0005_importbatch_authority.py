"""Import batches belong to an authority (the root unit of the tree whose figures they hold), and
the one current batch of a source and period is per authority. Existing batches take the root of
the units their values (and late dossiers) are on; a batch that held several trees' figures takes
the tree holding most of them; a batch with none (a refused file) stays without authority."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_authority(apps, schema_editor):
    ImportBatch = apps.get_model("documents", "ImportBatch")
    MetricValue = apps.get_model("documents", "MetricValue")
    OverdueDossier = apps.get_model("documents", "OverdueDossier")
    Unit = apps.get_model("units", "Unit")
    parent_of = dict(Unit.objects.values_list("pk", "parent_id"))

    def root(unit_id):
        while parent_of.get(unit_id) is not None:
            unit_id = parent_of[unit_id]
        return unit_id

    counts: dict[int, dict[int, int]] = {}
    for model in (MetricValue, OverdueDossier):
        for batch_id, unit_id in model.objects.values_list("batch_id", "unit_id").iterator():
            tally = counts.setdefault(batch_id, {})
            tally[root(unit_id)] = tally.get(root(unit_id), 0) + 1
    for batch_id, tally in counts.items():
        # Most figures first; the lower root id on a tie, so that the choice is the same on every run.
        chosen = min(tally, key=lambda unit_id: (-tally[unit_id], unit_id))
        ImportBatch.objects.filter(pk=batch_id).update(authority_id=chosen)


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0004_nightly_import_schedule'),
        ('scoring', '0007_remove_scoretrace_computed_at_and_more'),
        ('units', '0003_authority_peers_short_authority_rank_scope_and_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='importbatch',
            name='one_current_batch_per_source_period',
        ),
        migrations.AddField(
            model_name='importbatch',
            name='authority',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='import_batches', to='units.unit', verbose_name='cơ quan chấm điểm'),
        ),
        migrations.RunPython(fill_authority, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='importbatch',
            constraint=models.UniqueConstraint(condition=models.Q(('authority__isnull', False), ('status', 'imported')), fields=('source', 'period', 'authority'), name='one_current_batch_per_source_period_authority'),
        ),
        migrations.AddConstraint(
            model_name='importbatch',
            constraint=models.UniqueConstraint(condition=models.Q(('authority__isnull', True), ('status', 'imported')), fields=('source', 'period'), name='one_current_batch_per_source_period_without_authority'),
        ),
    ]
