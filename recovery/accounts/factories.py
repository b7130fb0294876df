import factory

from recovery.accounts.models import RoleAssignment, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    username = factory.SelfAttribute("email")
    first_name = factory.Sequence(lambda n: f"Test{n}")
    last_name = "Person"
    password = factory.django.Password(PASSWORD)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = "viewer"
    unit = None
