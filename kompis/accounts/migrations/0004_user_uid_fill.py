import uuid

from django.db import migrations


def fill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(uid__isnull=True).only("pk"):
        User.objects.filter(pk=user.pk).update(uid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_user_uid_add")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
