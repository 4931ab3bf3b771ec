from django.db import migrations


def seed_roles(apps, schema_editor):
    from duikou.accounts.roles import DEFAULT_ROLES

    Role = apps.get_model("accounts", "Role")
    for code, name, _name_en, actions, all_orgs in DEFAULT_ROLES:
        Role.objects.using(schema_editor.connection.alias).update_or_create(
            code=code, defaults={"name": name, "actions": actions, "all_organisations": all_orgs}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed_roles, migrations.RunPython.noop)]
