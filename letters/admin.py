"""Letter admin: paragraphs and templates, versioned on every change, with
placeholder validation and previews (HTML and PDF) on sample data."""

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from accounts.models import Region, User
from complaints.models.core import Language
from complaints.services.errors import ServiceError

from . import services
from .compose import load_layout, render_letter_html, resolve_composition, sample_facts
from .models import IssuedLetter, LetterTemplate, Paragraph, TemplatePart
from .placeholders import PLACEHOLDERS, to_html, validate_text


def placeholder_help() -> str:
    rows = format_html_join("", "<li><code>{{{{ {} }}}}</code> – {}</li>", PLACEHOLDERS.items())
    return format_html(
        "<p>Placeholders you can use (nothing else is accepted — no template tags, filters or "
        "attribute access):</p><ul>{}</ul>", rows,
    )


def _refuse_template_code(value: str) -> str:
    errors = validate_text(value or "")
    if errors:
        raise ValidationError(errors)
    return value


# ------------------------------------------------------------- paragraphs


class ParagraphForm(forms.ModelForm):
    class Meta:
        model = Paragraph
        fields = ["code", "language", "english", "title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12, "cols": 100})}


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    form = ParagraphForm
    list_display = ["code", "language", "title", "version", "translation", "updated_at", "updated_by"]
    list_select_related = ["english", "welsh", "updated_by"]
    list_filter = ["language"]
    search_fields = ["code", "title", "text"]
    readonly_fields = ["version", "updated_at", "updated_by", "translation", "placeholders", "preview", "used_in",
                       "history"]
    fieldsets = [
        (None, {"fields": ["code", "language", "english", "translation", "title", "text", "placeholders"]}),
        ("Preview with sample data", {"fields": ["preview", "used_in"]}),
        ("Versions", {"fields": ["version", "updated_at", "updated_by", "history"]}),
    ]

    @admin.display(description="Placeholders")
    def placeholders(self, obj: Paragraph | None) -> str:
        return placeholder_help()

    @admin.display(description="Welsh version")
    def translation(self, obj: Paragraph | None) -> str:
        """Whether the Welsh text may be out of step with the English."""
        if obj is None or obj.pk is None:
            return "–"
        if obj.language == Language.WELSH:
            if obj.out_of_step and obj.english is not None:
                return (f"May be out of step: the English paragraph {obj.english.code} has changed since this "
                        "was saved. Check it, change it if needed, and save it.")
            return "In step with the English paragraph"
        welsh = getattr(obj, "welsh", None)  # the reverse one-to-one: none yet raises AttributeError
        if welsh is None:
            return "No Welsh version"
        welsh.english = obj
        if welsh.out_of_step:
            return f"{welsh.code} may be out of step with this English text: check it and save it."
        return f"{welsh.code} is in step"
    def preview(self, obj: Paragraph | None) -> str:
        if obj is None or obj.pk is None:
            return "Save the paragraph to see it with sample data."
        facts = sample_facts(LetterTemplate(code="SAMPLE", reply_days=7), obj.language)
        return mark_safe(f'<div class="letters-admin-preview">{to_html(obj.text, facts.values)}</div>')  # noqa: S308

    @admin.display(description="Used in")
    def used_in(self, obj: Paragraph | None) -> str:
        if obj is None or obj.pk is None:
            return "–"
        english_id = obj.english_id or obj.pk
        templates = LetterTemplate.objects.filter(parts__paragraph_id=english_id).distinct().order_by("code")
        if not templates:
            return "Not used by any template."
        language = obj.language
        return format_html_join(
            mark_safe("<br>"), '{} – <a href="{}" target="_blank">preview HTML</a> · '
            '<a href="{}" target="_blank">preview PDF</a>',
            (
                (t.code, reverse("admin:letters_lettertemplate_preview", args=[t.pk]) + f"?language={language}",
                 reverse("admin:letters_lettertemplate_preview", args=[t.pk]) + f"?language={language}&format=pdf")
                for t in templates
            ),
        )

    @admin.display(description="History")
    def history(self, obj: Paragraph | None) -> str:
        if obj is None or obj.pk is None:
            return "–"
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><pre>{}</pre></td></tr>",
            ((v.version, v.created_at.strftime("%-d %b %Y %H:%M"), v.created_by or "migration", v.title, v.text)
             for v in obj.versions.select_related("created_by").order_by("-version")),
        )
        return format_html(
            "<table><thead><tr><th>Version</th><th>Saved</th><th>By</th><th>Title</th><th>Text</th></tr></thead>"
            "<tbody>{}</tbody></table>", rows,
        )

    def save_model(self, request: HttpRequest, obj: Paragraph, form: Any, change: bool) -> None:
        before = obj.version
        saved = services.save_paragraph(paragraph=obj, actor=cast(User, request.user))
        welsh = Paragraph.objects.filter(english=saved).first() if saved.language == Language.ENGLISH else None
        if welsh is not None and saved.version != before:
            messages.warning(request, f"{welsh.code}, the Welsh version of {saved.code}, may now be out of step: "
                                      "check it, change it if needed, and save it.")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Versions and issued letters refer to paragraphs: retire, don't delete.
        return False


# -------------------------------------------------------------- templates


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["code", "heading", "heading_cy", "guidance", "allowed_states", "reply_days", "active"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 5, "cols": 100})}

    def clean_heading(self) -> str:
        return _refuse_template_code(self.cleaned_data["heading"])

    def clean_heading_cy(self) -> str:
        return _refuse_template_code(self.cleaned_data["heading_cy"])

    def clean_allowed_states(self) -> dict:
        value = self.cleaned_data["allowed_states"] or {}
        errors = services.check_allowed_states(value)
        if errors:
            raise ValidationError(errors)
        return value


class TemplatePartFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form: forms.ModelForm, index: int | None) -> None:
        """A table row's inputs have no <label>: each is named for screen
        readers by its column and its part ("Kind, part 3")."""
        super().add_fields(form, index)
        row = f"part {index + 1}" if index is not None else "new part"
        for name, field in form.fields.items():
            column = "Delete" if name == "DELETE" else str(field.label or name).capitalize()
            # A related-object select is wrapped (add/change links): label the select itself.
            widget = cast(forms.Widget, getattr(field.widget, "widget", field.widget))
            widget.attrs = {**widget.attrs, "aria-label": f"{column}, {row}"}

    def clean(self) -> None:
        super().clean()
        parts = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            part = form.instance
            for name in ("heading", "heading_cy", "hint"):
                for message in validate_text(form.cleaned_data.get(name) or ""):
                    form.add_error(name, message)
            parts.append(part)
        errors = services.check_parts(sorted(parts, key=lambda p: p.position))
        if errors:
            raise ValidationError(errors)


class TemplatePartInline(admin.TabularInline):
    model = TemplatePart
    formset = TemplatePartFormSet
    template = "admin/letters/templatepart/tabular.html"
    extra = 0
    ordering = ["position", "id"]
    fields = ["position", "kind", "paragraph", "key", "is_default", "heading", "heading_cy", "required",
              "max_length", "hint"]


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    form = LetterTemplateForm
    inlines = [TemplatePartInline]
    change_form_template = "admin/letters/lettertemplate/change_form.html"
    list_display = ["code", "heading", "active", "version", "updated_at", "updated_by"]
    list_filter = ["active"]
    search_fields = ["code", "heading", "guidance"]
    readonly_fields = ["version", "updated_at", "updated_by", "placeholders", "history"]
    fieldsets = [
        (None, {"fields": ["code", "heading", "heading_cy", "guidance", "allowed_states", "reply_days", "active"]}),
        ("Placeholders", {"fields": ["placeholders"], "classes": ["collapse"]}),
        ("Versions", {"fields": ["version", "updated_at", "updated_by", "history"]}),
    ]

    @admin.display(description="Placeholders")
    def placeholders(self, obj: LetterTemplate | None) -> str:
        return placeholder_help()

    @admin.display(description="History")
    def history(self, obj: LetterTemplate | None) -> str:
        if obj is None or obj.pk is None:
            return "–"
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((v.version, v.created_at.strftime("%-d %b %Y %H:%M"), v.created_by or "migration",
              v.snapshot.get("heading", ""),
              ", ".join(p["paragraph"] or f"{p['kind']}:{p['key']}" for p in v.snapshot.get("parts", [])))
             for v in obj.versions.select_related("created_by").order_by("-version")),
        )
        return format_html(
            "<table><thead><tr><th>Version</th><th>Saved</th><th>By</th><th>Heading</th><th>Parts</th></tr></thead>"
            "<tbody>{}</tbody></table>", rows,
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.record_template_version(template=form.instance, actor=cast(User, request.user))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # issued letters refer to templates: switch them off instead

    def get_urls(self) -> list[Any]:
        return [
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view),
                 name="letters_lettertemplate_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The saved template with sample data: ?language=en|cy,
        ?region=<region>, ?format=pdf."""
        template = LetterTemplate.objects.filter(pk=pk).first()
        if template is None:
            raise Http404("No such template")
        if not self.has_view_permission(request, template):
            raise PermissionDenied
        language = str(request.GET.get("language"))
        language = language if language in Language.values else Language.ENGLISH
        region = str(request.GET.get("region"))
        region = region if region in Region.values else Region.ENGLAND_AND_WALES
        as_pdf = request.GET.get("format") == "pdf"
        try:
            layout = load_layout(template)
            sample_text = {key: f"(Sample text) {part.hint or part.heading}" for key, part in layout.sections.items()}
            composition = resolve_composition(layout, {"language": language, "free_text": sample_text}, language,
                                              strict=False)
            rendered = render_letter_html(
                layout, composition, sample_facts(template, language, region), strict=False,
                stylesheet_href=None if as_pdf else static("letters/print.css"),
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("admin:letters_lettertemplate_change", args=[pk]))
        if as_pdf:
            from .rendering import render_pdf  # WeasyPrint loads only when a PDF is wanted

            response = HttpResponse(render_pdf(rendered.html).data, content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="preview-{template.code}.pdf"'
            return response
        return HttpResponse(rendered.html)


@admin.register(IssuedLetter)
class IssuedLetterAdmin(admin.ModelAdmin):
    """Read-only: issued letters are evidence, never edited."""

    list_display = ["template_code", "sr", "issued_at", "issued_by", "language", "rendered_at", "sha256"]
    list_filter = ["template_code", "language"]
    search_fields = ["sr__reference", "template_code", "sha256"]
    exclude = ["html"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Letters hold case data: outside the case pages (which check team
        # and confidentiality) only superusers may browse them.
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

