"""Form pieces every domain shares: optimistic locking and showing an action's refusal."""

from django import forms

from recovery.core.errors import DomainError


class VersionedForm(forms.Form):
    """An edit form names the version it was opened at, so a stale edit can be refused
    (recovery.core.concurrency.update_versioned)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    editable: tuple[str, ...] = ()

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.editable}


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show an action's refusal on the form: against its field when the form has one, in the
    error summary otherwise."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
