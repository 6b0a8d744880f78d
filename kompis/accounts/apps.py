from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kompis.accounts"
    label = "accounts"
