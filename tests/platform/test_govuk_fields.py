"""complaints.govuk_fields writes each field kind itself: the ids, names,
ticks and selections it writes must be the ones Django's own widgets give
(what the views read back), and every value must be escaped."""

import re

from django import forms

from complaints.fields import GovukDateField
from complaints.govuk_fields import field_html


class KindsForm(forms.Form):
    hidden = forms.CharField(widget=forms.HiddenInput)
    choice = forms.ChoiceField(choices=[("a", "Apple"), ("b", "B<er>ry"), ("c", "Cherry")], widget=forms.RadioSelect,
                               help_text="Pick one")
    boxes = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two")], widget=forms.CheckboxSelectMultiple)
    flag = forms.BooleanField(required=False, help_text="Tick it")
    pick = forms.ChoiceField(choices=[("", "Choose"), ("x", "X"), ("y", "Y")])
    text = forms.CharField(max_length=5)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    due = GovukDateField(label="Due")


def html(form: forms.Form, name: str) -> str:
    return str(field_html(form[name]))


def test_radios_and_checkboxes_carry_djangos_ids_names_and_ticks():
    form = KindsForm({"choice": "b", "boxes": ["2"]})
    for name in ("choice", "boxes"):
        written = html(form, name)
        for widget in form[name]:  # Django's own BoundWidgets
            data = widget.data
            tag = re.search(rf'<input [^>]*id="{widget.id_for_label}"[^>]*>', written)
            assert tag, (name, widget.id_for_label)
            assert f'name="{data["name"]}"' in tag.group(0)
            assert (" checked" in tag.group(0)) == data["selected"], (name, data["value"])
    assert "B&lt;er&gt;ry" in html(form, "choice")
    assert 'aria-describedby="id_choice-hint "' in html(form, "choice")


def test_select_text_and_textarea_show_what_was_sent_escaped():
    form = KindsForm({"pick": "y", "text": 'a"<b>&', "notes": "</textarea><script>"})
    form.is_valid()
    assert '<option value="y" selected>Y</option>' in html(form, "pick")
    assert html(form, "pick").count(" selected") == 1
    text = html(form, "text")
    assert 'value="a&quot;&lt;b&gt;&amp;"' in text
    assert "govuk-input--error" in text and 'id="id_text-error"' in text  # too long: the error is shown
    assert 'aria-describedby="id_text-error"' in text
    notes = html(form, "notes")
    assert 'rows="3"' in notes and "&lt;/textarea&gt;&lt;script&gt;" in notes and "<script>" not in notes


def test_hidden_checkbox_and_date_input():
    form = KindsForm({"hidden": "v<1", "flag": "on", "due_day": "3", "due_month": "x<", "due_year": "2027"})
    form.is_valid()
    assert html(form, "hidden") == '<input type="hidden" name="hidden" value="v&lt;1" id="id_hidden">'
    flag = html(form, "flag")
    assert 'type="checkbox" value="on" checked aria-describedby="id_flag-hint"' in flag
    due = html(form, "due")
    for part, value in (("day", "3"), ("month", "x&lt;"), ("year", "2027")):
        assert f'id="id_due_{part}" name="due_{part}" type="text" inputmode="numeric" value="{value}"' in due
    assert 'role="group"' in due and "govuk-form-group--error" in due
    unbound = html(KindsForm(), "due")
    assert unbound.count('value=""') == 3 and "govuk-form-group--error" not in unbound
