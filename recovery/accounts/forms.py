from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    username = forms.EmailField(label="Email address", max_length=254)
    password = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both are case sensitive.",
        "inactive": "This account has been deactivated. Ask your service administrator.",
    }
