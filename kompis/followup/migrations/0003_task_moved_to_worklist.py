# The tasks now live in the work list: worklist 0002 copied every row (and renamed their audit events).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('followup', '0002_alter_task_kind_alter_task_participant'),
        ('worklist', '0002_tasks_from_followup'),
    ]

    operations = [
        migrations.DeleteModel(
            name='Task',
        ),
    ]
