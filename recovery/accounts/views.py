"""Signing in and out, home pages, the organisation switcher, people and access."""

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from recovery.accounts.forms import SignInForm


@login_not_required
def sign_in(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        target = request.POST.get("next") or request.GET.get("next") or "/"
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
            target = "/"
        return redirect(target)
    return render(request, "accounts/sign_in.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def sign_out(request):
    logout(request)
    return redirect("accounts:sign-in")


def switch_organisation(request):
    raise Http404


def tokens(request):
    raise Http404


def people(request):
    raise Http404


def person(request, user_id):
    raise Http404


def users(request):
    raise Http404


def user_new(request):
    raise Http404


def user_detail(request, user_id):
    raise Http404
