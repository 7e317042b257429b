"""Conversation pages: the dealer's (``/conversations/``) and the rep console's
(``/office/conversations/``). Both sides share the views; the URL says which side
it serves and a person on the other side is sent to their own."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.errors import DomainError, NotFound
from conversations import conf, selectors, services
from conversations.forms import FeedbackForm, MessageForm, ThreadForm
from conversations.models import Side
from notifications import texts


def participant_required(view):
    """A dealer's user (dealer URLs) or a rep (office URLs); ``request.participant``."""

    @wraps(view)
    def wrapper(request, *args, side, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        participant = selectors.participant_for(user=request.user)
        if participant is None:
            raise PermissionDenied(_("Conversations are for dealers and their reps."))
        if participant.side != side:
            if participant.side == Side.REP:
                return redirect("conversations:rep-inbox")
            return redirect("conversations:list")
        request.participant = participant
        return view(request, *args, **kwargs)

    return wrapper


def _thread_or_404(request, pk):
    try:
        return selectors.thread_get(participant=request.participant, pk=pk)
    except NotFound:
        raise Http404 from None


def _about_url(thread) -> str:
    """Where the dealer finds what the thread is about (the links pushes use)."""
    if thread.about == thread.About.STATEMENT and thread.reference:
        start, _sep, end = thread.reference.partition(":")
        return texts.statement_url(start, end)
    if thread.order_id:
        return texts.order_url(thread.order.number)
    if thread.promotion_id:
        return texts.promotion_url(thread.promotion.code)
    return ""


def _page(request, thread, form=None, feedback_form=None) -> dict:
    participant = request.participant
    dealer_side = participant.is_dealer
    messages_list = selectors.thread_messages(
        thread=thread, limit=conf.get("THREAD_MESSAGES")
    )
    other_read = thread.rep_read_at if dealer_side else thread.dealer_read_at
    for message in messages_list:
        message.seen = bool(
            message.side == participant.side
            and other_read
            and other_read >= message.created_at
        )
    prefix = "conversations:" if dealer_side else "conversations:rep-"
    return {
        "thread": thread,
        "messages_list": messages_list,
        "messages_url": reverse(f"{prefix}messages", args=[thread.pk]),
        "photo_url_name": f"{prefix}photo",
        "about_url": _about_url(thread) if dealer_side else "",
        "form": form or MessageForm(),
        "feedback_form": feedback_form
        or FeedbackForm(
            initial={
                "feedback": thread.feedback,
                "region": thread.region.code if thread.region_id else "",
            }
        ),
        "side": participant.side,
        "is_rep": not dealer_side,
    }


PER_PAGE = 30


@require_GET
@participant_required
def thread_list(request: HttpRequest):
    """The threads, a page at a time (``?page=2`` for older ones)."""
    participant = request.participant
    page = request.GET.get("page", "1")
    page = max(1, int(page)) if page.isdigit() else 1
    view = "all" if participant.is_dealer else request.GET.get("view", "waiting")
    if view not in {"waiting", "all", "feedback"}:
        view = "waiting"
    threads = selectors.thread_list(
        participant=participant,
        view=view,
        limit=PER_PAGE + 1,  # one more tells whether there is a next page
        offset=(page - 1) * PER_PAGE,
    )
    context = {
        "threads": threads[:PER_PAGE],
        "view": view,
        "page": page,
        "next_page": page + 1 if len(threads) > PER_PAGE else None,
        "previous_page": page - 1 if page > 1 else None,
    }
    if participant.is_dealer:
        return render(request, "conversations/list.html", context)
    context["waiting"] = selectors.waiting_count(participant=participant)
    return render(request, "conversations/rep/inbox.html", context)


@require_http_methods(["GET", "POST"])
@participant_required
def thread_new(request: HttpRequest):
    """Ask a question, optionally about something (``?about=order:SO-1``): a
    thread about it already there is opened instead of a second one."""
    participant = request.participant
    spec = (request.POST.get("about") or request.GET.get("about") or "").strip()
    about = None
    if spec:
        try:
            about = selectors.about_resolve(
                dealer=participant.dealer, spec=spec, language=get_language()
            )
        except NotFound:
            raise Http404 from None
        existing = selectors.thread_about(dealer=participant.dealer, about=about)
        if existing is not None and request.method == "GET":
            return redirect("conversations:thread", pk=existing.pk)
    status = 200
    if request.method == "GET":
        form = ThreadForm(
            initial={
                "about": spec,
                "subject": about.subject if about else "",
                "feedback": request.GET.get("feedback", ""),
            }
        )
    else:
        form = ThreadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                message = services.thread_start(
                    participant=participant,
                    text=form.cleaned_data["text"],
                    subject=form.cleaned_data["subject"],
                    about=about,
                    photos=form.photo_bytes(),
                    feedback=form.cleaned_data["feedback"],
                    region=form.cleaned_data["region"] or None,
                    client_key=form.cleaned_data["client_key"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return redirect("conversations:thread", pk=message.thread_id)
        status = 422
    return render(
        request, "conversations/new.html", {"form": form, "about": about}, status=status
    )


@require_GET
@participant_required
def thread(request: HttpRequest, pk: int):
    item = _thread_or_404(request, pk)
    services.thread_read(participant=request.participant, thread=item)
    return render(request, "conversations/thread.html", _page(request, item))


@require_http_methods(["GET", "POST"])
@participant_required
def thread_messages(request: HttpRequest, pk: int):
    """GET: the messages (what an open page fetches when the thread moves). POST:
    write one; htmx gets the messages and a fresh form, a plain form a redirect."""
    item = _thread_or_404(request, pk)
    if request.method == "GET":
        services.thread_read(participant=request.participant, thread=item)
        return render(
            request, "conversations/thread.html#messages", _page(request, item)
        )
    form = MessageForm(request.POST, request.FILES)
    status = 200
    if form.is_valid():
        try:
            services.message_post(
                participant=request.participant,
                thread_id=item.pk,
                text=form.cleaned_data["text"],
                photos=form.photo_bytes(),
                client_key=form.cleaned_data["client_key"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
            status = 422
        else:
            if not request.htmx:
                return redirect(request.path.removesuffix("messages/"))
            form = MessageForm()
    else:
        status = 422
    if not request.htmx:
        return render(
            request,
            "conversations/thread.html",
            _page(request, item, form),
            status=status,
        )
    context = _page(request, item, form)
    context["oob_form"] = True
    return render(request, "conversations/thread.html#posted", context, status=status)


@require_POST
@participant_required
def thread_feedback(request: HttpRequest, pk: int):
    item = _thread_or_404(request, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            item = services.thread_feedback_set(
                participant=request.participant,
                thread_id=item.pk,
                feedback=form.cleaned_data["feedback"],
                region=form.cleaned_data["region"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect(request.path.removesuffix("feedback/"))
    return render(
        request,
        "conversations/thread.html",
        _page(request, item, feedback_form=form),
        status=422,
    )


@require_GET
@participant_required
def photo(request: HttpRequest, pk: int):
    """A photo of a thread the asker sees; never a public URL."""
    try:
        attachment = selectors.attachment_get(participant=request.participant, pk=pk)
    except NotFound:
        raise Http404 from None
    response = FileResponse(
        attachment.image.open("rb"), content_type=attachment.content_type
    )
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@participant_required
def badge(request: HttpRequest):
    """The chat icon's badge: the dealer's threads with something unread."""
    count = selectors.unread_count(participant=request.participant)
    return render(
        request, "conversations/includes/nav.html#chat-badge", {"chat_unread": count}
    )
