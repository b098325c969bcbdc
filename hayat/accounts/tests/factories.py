import factory

from hayat.accounts.models import Department, User
from hayat.core.roles import Role

TEST_PASSWORD = "correct-horse-battery-9"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n}")
    name = factory.Sequence(lambda n: f"Department {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("user_id",)
        skip_postgeneration_save = True

    user_id = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name")
    role = Role.RECEPTIONIST
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def persist_password(self, create, extracted, **kwargs):
        if create:
            self.save(update_fields=["password"])
