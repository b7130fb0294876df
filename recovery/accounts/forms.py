"""Forms for signing in, choosing an organisation, managing people and making API tokens.

Forms check the shape of what was typed; the rules of the service live in actions.py, whose
DomainErrors the views put back on the form against the field they name."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from recovery.accounts import queries
from recovery.core.constants import Role


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter your password"},
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both are case sensitive.",
        "inactive": "This account has been deactivated. Ask your service administrator.",
    }


class SwitchOrganisationForm(forms.Form):
    """Which of their own role assignments a person works in now. The choices are theirs alone,
    so an id typed into a forged request is refused like any other wrong answer."""

    assignment = forms.TypedChoiceField(
        label="Which organisation do you want to work in?",
        coerce=int,
        error_messages={
            "required": "Select the organisation you want to work in",
            "invalid_choice": "Select one of your own organisations",
        },
    )

    def __init__(self, *args, scopes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.scopes = scopes
        self.fields["assignment"].choices = [
            (s.assignment_id, f"{s.role_label} at {s.unit_name}") for s in scopes
        ]


ROLE_CHOICES = [("", "Choose a role"), *Role.choices]


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label="Search by name or email address", required=False, max_length=200)


class UserFilterForm(forms.Form):
    """The filters on the administrators' list of users. A forged value is an error, not a
    silently ignored filter."""

    q = forms.CharField(label="Name or email address", required=False, max_length=200)
    role = forms.ChoiceField(
        label="Role",
        required=False,
        choices=[("", "Any role"), *Role.choices],
        error_messages={"invalid_choice": "Select a role from the list"},
    )
    unit = forms.CharField(
        label="Organisation code or name",
        required=False,
        max_length=200,
        help_text="For example, EST1 or Ashgrove",
    )
    status = forms.ChoiceField(
        label="Account status",
        required=False,
        choices=[
            ("", "Active or deactivated"),
            ("active", "Active"),
            ("deactivated", "Deactivated"),
        ],
        error_messages={"invalid_choice": "Select an account status from the list"},
    )


class UserForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Their work email address. They sign in with it.",
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    first_name = forms.CharField(
        label="First name",
        max_length=150,
        error_messages={
            "required": "Enter a first name",
            "max_length": "First name must be 150 characters or fewer",
        },
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        error_messages={
            "required": "Enter a last name",
            "max_length": "Last name must be 150 characters or fewer",
        },
    )
    job_title = forms.CharField(
        label="Job title (optional)",
        max_length=200,
        required=False,
        error_messages={"max_length": "Job title must be 200 characters or fewer"},
    )
    password = forms.CharField(
        label="Initial password (optional)",
        required=False,
        strip=False,
        widget=forms.PasswordInput,
        help_text="At least 12 characters. Leave it empty if they will sign in with single "
        "sign-on, or if you will set a password later.",
    )


class AssignRoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=ROLE_CHOICES,
        error_messages={
            "required": "Select a role",
            "invalid_choice": "Select a role from the list",
        },
    )
    unit = forms.CharField(
        label="Organisation code",
        max_length=20,
        help_text="The code of the establishment, prison group, probation region or probation "
        "delivery unit, for example EST1. National roles are held at HMPPS.",
        error_messages={
            "required": "Enter the code of the organisation",
            "max_length": "An organisation code is 20 characters or fewer",
        },
    )

    def clean_unit(self):
        code = self.cleaned_data["unit"].strip().upper()
        unit = queries.unit_by_code(code)
        if unit is None:
            raise forms.ValidationError(f"There is no organisation with the code {code}")
        return unit


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="Say what will use it, for example 'Weekly returns upload script'",
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "Token name must be 100 characters or fewer",
        },
    )
    days = forms.IntegerField(
        label="Days until it expires",
        initial=settings.API_TOKEN_DEFAULT_DAYS,
        required=False,
        help_text="From 1 to 365 days",
        error_messages={"invalid": "Enter the number of days as a whole number, like 90"},
    )

    def clean_days(self):
        days = self.cleaned_data["days"]
        return settings.API_TOKEN_DEFAULT_DAYS if days is None else days
