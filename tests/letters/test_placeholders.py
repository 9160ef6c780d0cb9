"""Admin text may hold only {{ name }} placeholders from the fixed list;
everything else is refused with a clear message and never reaches the
template engine."""

import pytest

from letters.admin import ParagraphForm
from letters.models import Paragraph
from letters.placeholders import PLACEHOLDERS, substitute, to_html, validate_text

from .factories import contains_text


@pytest.mark.parametrize("text, message", [
    ("{% load static %}Hello", "template tags and comments are not allowed"),
    ("{% if client_name %}x{% endif %}", "template tags and comments are not allowed"),
    ("{# a comment #}", "template tags and comments are not allowed"),
    ("Dear {{ request }}", "“{{ request }}” is not a placeholder we know"),
    ("{{ client.__class__ }}", "attribute access"),
    ("{{ client_name.upper }}", "attribute access"),
    ("{{ settings.SECRET_KEY }}", "attribute access"),
    ("{{ client_name|upper }}", "filters (“|”) are not allowed"),
    ("{{ unknown_thing }}", "is not a placeholder we know"),
    ("{{ Client_Name }}", "a placeholder is a plain lower-case name"),
    ("Broken {{ client_name", "both braces"),
    ("{{ client_name }} and {{ reference }} and {% csrf_token %}", "template tags"),
])
def test_refused(text, message):
    errors = validate_text(text)
    assert errors and any(message in e for e in errors), errors
    assert any("Use one of: {{ client_name }}" in e for e in errors)


def test_accepted():
    text = "Dear {{ client_name }}, ref {{reference}} – {{  organisation  }}. {{ ombudsman_short }}"
    assert validate_text(text) == []
    assert validate_text("Plain text with { braces } and % signs.") == []


def test_every_documented_placeholder_is_accepted():
    assert validate_text(" ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS)) == []


def test_substitution_escapes_values_and_text_and_ignores_unknown_names():
    html = substitute("<b>{{ client_name }}</b> {{ request }}", {"client_name": "<script>x</script>"})
    assert html == "&lt;b&gt;&lt;script&gt;x&lt;/script&gt;&lt;/b&gt; {{ request }}"


def test_to_html_paragraphs_line_breaks_and_bullets():
    html = to_html("One {{ reference }}\nline two\n\n- a\n- b", {"reference": "SR-1"})
    assert html == "<p>One SR-1<br>line two</p>\n<ul><li>a</li><li>b</li></ul>"
    assert to_html("a {{ reference }}") == "<p>a {{ reference }}</p>"  # free text: never substituted


def test_admin_form_refuses_bad_paragraph_text(db):
    english = Paragraph.objects.get(code="TM_09172")
    form = ParagraphForm(
        data={"code": "TM_09172", "language": "en", "title": english.title, "text": "Hi {{ client.__class__ }}"},
        instance=english,
    )
    assert not form.is_valid()
    assert "attribute access" in " ".join(form.errors["text"])


def test_contains_text_helper_is_not_trivially_true():
    assert contains_text("a b c d e f", "b c d")
    assert contains_text("a b FOOTER X Y c d", "a b c d")
    assert not contains_text("a b c d", "a c b d")
    assert not contains_text("a b c d", "a b z")
