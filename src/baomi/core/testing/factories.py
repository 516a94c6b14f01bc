# mypy: disable-error-code="misc,attr-defined,arg-type"
"""factory_boy factories for tests and benchmarks (they bypass services on purpose)."""

import factory
from django.utils import timezone

from baomi.accounts.models import Department, Person, RoleAssignment, Unit, User
from baomi.core.labels import Category

DEFAULT_PASSWORD = "Baomi@2026!"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试单位{n}")
    code = factory.Sequence(lambda n: f"U{n:04d}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"部门{n}")
    code = factory.Sequence(lambda n: f"D{n:04d}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    unit = factory.SubFactory(UnitFactory)
    department = factory.LazyAttribute(lambda p: DepartmentFactory(unit=p.unit))
    name = factory.Sequence(lambda n: f"人员{n}")
    employee_no = factory.Sequence(lambda n: f"E{n:06d}")
    category = Category.NONE


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a known password, no forced change, and `roles=[...]` in its unit."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    person = factory.SubFactory(PersonFactory)
    must_change_password = False
    password_changed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        self.save()
        for role in extracted or []:
            RoleAssignment.objects.create(user=self, role=str(role), unit=self.person.unit)


class SecureRoomFactory(factory.django.DjangoModelFactory):
    """A secure room meeting rule Q7 (access control, video kept 90 days from outside the
    room, alarm) — where 机密 and 绝密 carriers may be kept."""

    class Meta:
        model = "compliance.SecureRoom"

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"保密室{n}")
    location = "行政楼三层"
    access_control = True
    video = True
    video_retention_days = 90
    camera_inside = False
    alarm = True
