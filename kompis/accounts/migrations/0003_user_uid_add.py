from django.db import migrations, models


class Migration(migrations.Migration):
    """Staff get an opaque id for URLs (step 1 of 3: nullable, filled by the next migration)."""

    dependencies = [("accounts", "0002_initial")]

    operations = [migrations.AddField(model_name="user", name="uid", field=models.UUIDField(null=True))]
