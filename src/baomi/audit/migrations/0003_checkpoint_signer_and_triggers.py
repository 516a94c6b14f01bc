from django.db import migrations, models

from baomi.audit.triggers import create_checkpoint_triggers, drop_checkpoint_triggers


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_triggers'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditcheckpoint',
            name='signer_label',
            field=models.CharField(blank=True, default='', max_length=200, verbose_name='signed by'),
        ),
        # After the field: SQLite may rebuild the table to add it, which would drop triggers.
        migrations.RunPython(create_checkpoint_triggers, drop_checkpoint_triggers),
    ]
