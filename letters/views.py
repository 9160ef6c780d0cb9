"""Send a letter, preview, the issued-letter page and PDF download.

Views only read the request, call a selector or service and render: the
rules live in services/compose. Every view that takes an SR goes through
get_visible_sr_or_404 (404 for SRs the user may not know exist); sending
needs can_work (403)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import SignedInRequest
from complaints.idempotency import once_per_form
from complaints.permissions import can_work
from complaints.selectors import get_visible_sr_or_404
from complaints.services.errors import ServiceError

from . import selectors, services
from .compose import facts_for_sr, load_layout, render_letter_html, resolve_composition
from .forms import ChooseTemplateForm, LetterCompositionForm
from .preview import preview_pdf


@login_required
@require_http_methods(["GET", "POST"])
@once_per_form
def send(request: SignedInRequest, reference: str) -> HttpResponse:
    sr = get_visible_sr_or_404(request.user, reference)
    if not can_work(request.user, sr):
        raise PermissionDenied("Only the SR's owner or a team leader of its team can send letters.")
    templates = selectors.templates_for(sr)
    code = request.POST.get("template") or request.GET.get("template")
    chooser = ChooseTemplateForm({"template": code} if code else None, templates=templates)
    if not code or not chooser.is_valid():
        return render(request, "letters/send_choose.html", {"sr": sr, "form": chooser, "templates": templates})
    letter_form = LetterCompositionForm(request.POST or None, template_code=code, sr=sr)
    error, status = "", 200
    if request.method == "POST" and letter_form.is_valid():
        try:
            letter = services.send_letter(
                sr_id=sr.pk, actor=request.user, template_code=code, composition=letter_form.composition()
            )
        except ServiceError as exc:
            error, status = exc.message, exc.status_code
        else:
            return redirect("letters:issued", pk=letter.pk)
    return render(request, "letters/send_compose.html", {
        "sr": sr, "letter_form": letter_form, "letter_template": letter_form.template, "service_error": error,
    }, status=status)


@login_required
@require_POST
def preview(request: SignedInRequest, reference: str) -> HttpResponse:
    """The letter as it would be sent with what the caseworker has typed so
    far (HTML, or ?format=pdf). Gaps are shown, not refused."""
    sr = get_visible_sr_or_404(request.user, reference)
    code = request.POST.get("_letter_template") or request.POST.get("template", "")
    prefix = request.POST.get("_letter_prefix") or "letter"
    try:
        form = LetterCompositionForm(request.POST, template_code=code, sr=sr, prefix=prefix)
        layout = load_layout(form.template)
        composition = resolve_composition(layout, form.preview_composition(), sr.client.language, strict=False)
        facts = facts_for_sr(sr, form.template, composition.language, request.user, timezone.now())
        as_pdf = request.GET.get("format") == "pdf"
        rendered = render_letter_html(
            layout, composition, facts, strict=False,
            stylesheet_href=None if as_pdf else static("letters/print.css"),
        )
        pdf = preview_pdf(user_id=request.user.pk, html=rendered.html) if as_pdf else b""
    except ServiceError as exc:
        return render(request, "letters/preview_error.html", {"sr": sr, "message": exc.message},
                      status=exc.status_code)
    if as_pdf:
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="preview-{sr.reference}-{code}.pdf"'
        return response
    return HttpResponse(rendered.html)


@login_required
@require_GET
def issued(request: SignedInRequest, pk: int) -> HttpResponse:
    letter = selectors.get_visible_letter_or_404(request.user, pk)
    return render(request, "letters/issued.html", {"letter": letter, "sr": letter.sr})


@login_required
@require_GET
def download(request: SignedInRequest, pk: int) -> HttpResponseBase:
    letter = selectors.get_visible_letter_or_404(request.user, pk)
    if not letter.is_ready:
        # 404 until the worker has stored it, with a page saying so.
        return render(request, "letters/not_ready.html", {"letter": letter, "sr": letter.sr}, status=404)
    filename = f"{letter.sr.reference}-{letter.template_code}.pdf"
    return FileResponse(
        default_storage.open(str(letter.pdf.name), "rb"), as_attachment=True, filename=filename,
        content_type="application/pdf",
    )
