"""Signing in and out, the organisation switcher, the people directory, managing users and API
tokens. Views stay thin: reads come from queries.py, every write goes through actions.py."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from recovery.accounts import actions, queries
from recovery.accounts.forms import (
    AssignRoleForm,
    PeopleSearchForm,
    SignInForm,
    SwitchOrganisationForm,
    TokenForm,
    UserFilterForm,
    UserForm,
)
from recovery.audit.queries import person_history, token_history
from recovery.core.context_processors import CURRENT_SCOPE_SESSION_KEY, current_scope
from recovery.core.errors import DomainError, NotAllowed
from recovery.core.forms import add_domain_error
from recovery.core.pagination import pagination_links
from recovery.core.views import require_permission

MANAGE_USERS = "accounts.manage_users"
VIEW_PEOPLE = "accounts.view_people"
# Carries a new token's secret from the POST that made it to the one page that shows it.
NEW_TOKEN_SESSION_KEY = "accounts_new_token"


def _posted(request):
    return request.POST if request.method == "POST" else None


def _sort(request, allowed) -> tuple[str, str]:
    sort = request.GET.get("sort", "name")
    if sort not in allowed:
        sort = "name"
    direction = "desc" if request.GET.get("dir") == "desc" else "asc"
    return sort, direction


def _headers(request, columns, sort: str, direction: str) -> list[dict]:
    """Table headers; a sortable one links to the table sorted by it (flipping the direction
    when it is the current sort) and says how it is sorted now with aria-sort."""
    headers = []
    for label, key in columns:
        if key is None:
            headers.append({"label": label})
            continue
        current = key == sort
        params = request.GET.copy()
        params["sort"] = key
        params["dir"] = "desc" if current and direction == "asc" else "asc"
        params.pop("page", None)
        headers.append(
            {
                "label": label,
                "href": "?" + params.urlencode(),
                "aria_sort": ("ascending" if direction == "asc" else "descending")
                if current
                else "none",
            }
        )
    return headers


# Signing in and out.


@login_not_required
@sensitive_post_parameters("password")
@never_cache
def sign_in(request):
    if request.user.is_authenticated:
        return redirect("home")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    form = SignInForm(request, data=_posted(request))
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        safe = url_has_allowed_host_and_scheme(
            next_url, {request.get_host()}, require_https=request.is_secure()
        )
        return redirect(next_url if next_url and safe else "home")
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url})


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, "You have signed out")
    return redirect("accounts:sign-in")


# The organisation switcher.


def switch_organisation(request):
    scopes = queries.own_scopes(request.user)
    current = current_scope(request)
    form = SwitchOrganisationForm(
        _posted(request),
        scopes=scopes,
        initial={"assignment": current.assignment_id if current else None},
    )
    if request.method == "POST" and form.is_valid():
        scope = queries.own_scope(request.user, form.cleaned_data["assignment"])
        request.session[CURRENT_SCOPE_SESSION_KEY] = scope.assignment_id
        messages.success(request, f"You are now working as {scope.role_label} at {scope.unit_name}")
        return redirect("home")
    return render(
        request,
        "accounts/switch.html",
        {"form": form, "scopes": scopes, "current": current},
    )


# The people directory: people who hold roles within the viewer's organisations.

PEOPLE_COLUMNS = [
    ("Name", "name"),
    ("Email address", "email"),
    ("Job title", "job_title"),
    ("Roles", None),
]


@require_permission(VIEW_PEOPLE)
def people(request):
    form = PeopleSearchForm(request.GET)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    sort, direction = _sort(request, queries.PEOPLE_SORTS)
    listing = queries.people_directory(
        request.user, search=search, sort=sort, direction=direction, page=request.GET.get("page")
    )
    return render(
        request,
        "accounts/people.html",
        {
            "form": form,
            "search": search,
            "listing": listing,
            "headers": _headers(request, PEOPLE_COLUMNS, sort, direction),
            "pagination": pagination_links(request, listing.page),
        },
    )


def person(request, user_id):
    detail = queries.person_in_scope(request.user, user_id)
    if detail is None:
        raise Http404
    return render(
        request,
        "accounts/person.html",
        {
            "person": detail,
            "breadcrumbs": [("People", reverse("accounts:people")), (detail.name, None)],
        },
    )


# Managing users: administrators only.

USER_COLUMNS = [
    ("Name", "name"),
    ("Email address", "email"),
    ("Roles", None),
    ("Status", None),
]


@require_permission(MANAGE_USERS)
def users(request):
    form = UserFilterForm(request.GET)
    form.is_valid()
    filters = {k: v for k, v in form.cleaned_data.items() if v}
    sort, direction = _sort(request, queries.PEOPLE_SORTS)
    listing = queries.all_users(
        search=filters.get("q", ""),
        role=filters.get("role", ""),
        unit=filters.get("unit", ""),
        status=filters.get("status", ""),
        sort=sort,
        direction=direction,
        page=request.GET.get("page"),
    )
    return render(
        request,
        "accounts/users.html",
        {
            "form": form,
            "filtered": bool(filters),
            "listing": listing,
            "headers": _headers(request, USER_COLUMNS, sort, direction),
            "pagination": pagination_links(request, listing.page),
        },
    )


def _users_crumbs(*more) -> list[tuple[str, str | None]]:
    return [("Manage users", reverse("accounts:users")), *more]


@require_permission(MANAGE_USERS)
@sensitive_post_parameters("password")
def user_new(request):
    form = UserForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.do_create_user(**form.cleaned_data, acting_user=request.user)
        except NotAllowed as error:
            raise PermissionDenied from error
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{user.get_full_name()} has been added")
            return redirect("accounts:user", user_id=user.pk)
    return render(
        request,
        "accounts/user_new.html",
        {"form": form, "breadcrumbs": _users_crumbs(("Add a person", None))},
    )


@require_permission(MANAGE_USERS)
def user_detail(request, user_id):
    detail = queries.user_for_admin(user_id)
    if detail is None:
        raise Http404
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": detail,
            "history": person_history(detail.id, detail.email),
            "is_self": detail.id == request.user.pk,
            "breadcrumbs": _users_crumbs((detail.name, None)),
        },
    )


def _account_or_404(user_id):
    user = queries.account(user_id)
    if user is None:
        raise Http404
    return user


@require_permission(MANAGE_USERS)
def user_role_new(request, user_id):
    user = _account_or_404(user_id)
    form = AssignRoleForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        try:
            assignment = actions.do_assign_role(
                user, role=form.cleaned_data["role"], unit=unit, acting_user=request.user
            )
        except NotAllowed as error:
            raise PermissionDenied from error
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                f"{user} is now {assignment.get_role_display()} at {unit.name}",
            )
            return redirect("accounts:user", user_id=user.pk)
    return render(
        request,
        "accounts/user_role_new.html",
        {
            "form": form,
            "person": user,
            "breadcrumbs": _users_crumbs(
                (str(user), reverse("accounts:user", args=[user.pk])), ("Give a role", None)
            ),
            "where_roles_are_held": queries.where_roles_are_held(),
        },
    )


@require_permission(MANAGE_USERS)
def user_role_remove(request, user_id, assignment_id):
    assignment = queries.assignment_of(user_id, assignment_id)
    if assignment is None:
        raise Http404
    problem = None
    if request.method == "POST":
        try:
            actions.do_remove_role(assignment, acting_user=request.user)
        except NotAllowed as error:
            raise PermissionDenied from error
        except DomainError as error:
            problem = error.message
        else:
            messages.success(
                request,
                f"{assignment.user} is no longer {assignment.get_role_display()} at "
                f"{assignment.unit.name}",
            )
            return redirect("accounts:user", user_id=user_id)
    user = assignment.user
    return render(
        request,
        "accounts/user_role_remove.html",
        {
            "assignment": assignment,
            "person": user,
            "extra_errors": [(problem, "#main-content")] if problem else [],
            "breadcrumbs": _users_crumbs(
                (str(user), reverse("accounts:user", args=[user.pk])), ("Remove a role", None)
            ),
        },
    )


@require_permission(MANAGE_USERS)
def user_status(request, user_id):
    """Deactivate an active account, or reactivate a deactivated one, after confirmation."""
    user = _account_or_404(user_id)
    problem = None
    if request.method == "POST":
        active = request.POST.get("active")
        if active not in {"true", "false"}:
            problem = "Choose whether to deactivate or reactivate the account"
        else:
            want_active = active == "true"
            was_active = user.is_active
            try:
                actions.do_set_user_active(user, active=want_active, acting_user=request.user)
            except NotAllowed as error:
                raise PermissionDenied from error
            except DomainError as error:
                problem = error.message
            else:
                if was_active == want_active:
                    state = "active" if want_active else "deactivated"
                    messages.info(request, f"{user}'s account was already {state}")
                else:
                    done = "reactivated" if want_active else "deactivated"
                    messages.success(request, f"{user}'s account has been {done}")
                return redirect("accounts:user", user_id=user.pk)
    return render(
        request,
        "accounts/user_status.html",
        {
            "person": user,
            "is_self": user.pk == request.user.pk,
            "extra_errors": [(problem, "#main-content")] if problem else [],
            "breadcrumbs": _users_crumbs(
                (str(user), reverse("accounts:user", args=[user.pk])),
                ("Deactivate account" if user.is_active else "Reactivate account", None),
            ),
        },
    )


# API tokens: each person sees and revokes only their own.


@never_cache
def tokens(request):
    form = TokenForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = actions.do_create_api_token(
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                acting_user=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            request.session[NEW_TOKEN_SESSION_KEY] = {
                "id": token.pk,
                "name": token.name,
                "secret": secret,
            }
            return redirect("accounts:tokens")
    # The secret is shown once: taken out of the session as it is shown.
    new_token = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": queries.tokens_of(request.user),
            "history": token_history(request.user.pk),
            "new_token": new_token,
        },
    )


@require_POST
def token_revoke(request, token_id):
    token = queries.own_token(request.user, token_id)
    if token is None:
        raise Http404
    try:
        actions.do_revoke_api_token(token, acting_user=request.user)
    except NotAllowed as error:
        raise Http404 from error
    except DomainError as error:
        messages.info(request, error.message)
    else:
        messages.success(request, f"Token '{token.name}' has been revoked")
    return redirect("accounts:tokens")
