from django.db import migrations, models


def load(apps, schema_editor):
    from kompis.municipalities.data import municipality_rows

    Municipality = apps.get_model("municipalities", "Municipality")
    Municipality.objects.bulk_create(
        [
            Municipality(
                code=r["code"], name=r["name"], county_code=r["county_code"],
                county_name=r["county_name"], lat=float(r["lat"]), lon=float(r["lon"]),
            )
            for r in municipality_rows()
        ]
    )


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Municipality",
            fields=[
                ("code", models.CharField(max_length=4, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=100)),
                ("county_code", models.CharField(max_length=2)),
                ("county_name", models.CharField(max_length=100)),
                ("lat", models.FloatField()),
                ("lon", models.FloatField()),
            ],
            options={"ordering": ["name"], "verbose_name": "municipality", "verbose_name_plural": "municipalities"},
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
