import baomi.audit.models
from django.db import migrations

from baomi.audit.triggers import restore_sqlite_triggers


class Migration(migrations.Migration):
    """`seq` becomes the primary key (the rowid on SQLite: one index less per insert)."""

    dependencies = [
        ('audit', '0003_checkpoint_signer_and_triggers'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='auditevent',
            name='id',
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='seq',
            field=baomi.audit.models.SequenceField(primary_key=True, serialize=False, verbose_name='sequence'),
        ),
        # SQLite rebuilt the table above, which dropped its triggers.
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop),
    ]
