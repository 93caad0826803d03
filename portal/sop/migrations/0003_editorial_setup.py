"""LP managers get the content tree and the review workflow on every new database."""

from django.db import migrations


def forwards(apps, schema_editor):
    from portal.sop.editorial import editorial_setup

    editorial_setup(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("sop", "0002_acknowledgement_immutable"),
        ("home", "0002_create_homepage"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
