from django.contrib.auth.backends import ModelBackend


class PolicyAwareBackend(ModelBackend):  # replaced by the accounts work
    pass
