from django.db import migrations


def create_groups(apps, schema_editor):
    from forum.roles import sync_role_groups

    sync_role_groups(apps)


def remove_groups(apps, schema_editor):
    from forum.roles import ROLE_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("forum", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
