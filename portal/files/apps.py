from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "portal.files"
    label = "files"
    verbose_name = "Private files"

    def ready(self) -> None:
        # Registers the resolvers of the CMS's documents, images and renditions.
        from portal.files import wagtail_media  # noqa: F401
