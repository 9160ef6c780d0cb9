from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    # Longer than any password worth typing, and a bound on the hashing a
    # stranger can ask of the server.
    password = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput, max_length=1000,
                               error_messages={"max_length": "Password must be 1,000 characters or fewer"})
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is inactive. Ask your team leader to reactivate it.",
    }

    def clean_username(self) -> str:
        # AuthenticationForm sets the field's max_length after the field has
        # built its validators, so a longer name reached authenticate(), and
        # django-axes then failed to record the attempt (its username column
        # holds 255 characters): a server error for anyone. No user has a
        # longer name, so it is refused here, before any sign-in attempt.
        username: str = self.cleaned_data["username"]
        limit = self.username_field.max_length or 150
        if len(username) > limit:
            raise forms.ValidationError(f"Username must be {limit} characters or fewer")
        return username
