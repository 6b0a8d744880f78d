from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "kompis.organisations"
    label = "organisations"

    def ready(self) -> None:
        # The layers below organisations (core, outbox) show its data without importing it.
        from kompis.core.hooks import register_landing_context, register_start_message
        from kompis.organisations.selectors import contacts_by_key, landing_organisations
        from kompis.organisations.setup import first_run_banner
        from kompis.outbox.contacts import register_contact_provider

        register_landing_context(landing_organisations)
        register_start_message(lambda site_root: first_run_banner(site_root=site_root))
        register_contact_provider(contacts_by_key)
