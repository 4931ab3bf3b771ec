from django.db import migrations


def seed_key_tasks(apps, schema_editor):
    from duikou.plans.choices import KEY_TASKS

    KeyTask = apps.get_model("plans", "KeyTask")
    for code, name, name_en, order in KEY_TASKS:
        KeyTask.objects.using(schema_editor.connection.alias).update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(seed_key_tasks, migrations.RunPython.noop)]
