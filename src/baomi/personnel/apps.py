from django.apps import AppConfig


class PersonnelConfig(AppConfig):
    name = "baomi.personnel"
    label = "personnel"
    verbose_name = "涉密人员"
