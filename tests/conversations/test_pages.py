"""The pages of both sides: what each person may open, what they see, and what
happens to bad input."""

import io
import uuid

import pytest
from openpyxl import load_workbook

from conversations import services
from conversations.models import Message, Thread
from tests.conversations.conftest import as_dealer, as_rep, client_for, jpeg

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def thread(world, rep):
    message = services.thread_start(
        participant=as_dealer(world["buyer"]),
        text="Competitor sells TEA-A at ¥95",
        photos=[jpeg()],
        feedback=Thread.Feedback.COMPETITOR_PRICE,
    )
    return message.thread


def test_a_dealer_asks_from_the_phone_and_sees_the_thread(world, rep):
    client = client_for(world["buyer"].user)
    page = client.get("/conversations/new/")
    assert page.status_code == 200
    key = str(uuid.uuid4())
    response = client.post(
        "/conversations/new/",
        {"subject": "Delivery", "text": "When does SO-1 arrive?", "client_key": key},
    )
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert response["Location"] == f"/conversations/{thread.pk}/"
    shown = client.get(response["Location"]).content.decode()
    assert "When does SO-1 arrive?" in shown
    assert "Sent" in shown  # not read by the rep yet
    # The form sent again (the network dropped before the answer): one message.
    again = client.post(
        "/conversations/new/",
        {"subject": "Delivery", "text": "When does SO-1 arrive?", "client_key": key},
    )
    assert again.status_code == 302
    assert Message.objects.count() == 1


def test_html_in_a_message_is_shown_as_text(world, rep):
    services.thread_start(
        participant=as_dealer(world["buyer"]),
        text='<script>alert("x")</script><b>bold</b>',
    )
    thread = Thread.objects.get()
    for client, url in (
        (client_for(world["buyer"].user), f"/conversations/{thread.pk}/"),
        (client_for(rep.user), f"/office/conversations/{thread.pk}/"),
        (client_for(rep.user), "/office/conversations/?view=all"),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page or (
            "&lt;script&gt;alert(&quot;x&quot;)" in page
        )


def test_the_rep_answers_with_htmx_and_gets_a_fresh_form(world, rep, thread):
    client = client_for(rep.user)
    inbox = client.get("/office/conversations/").content.decode()
    assert "Competitor sells TEA-A" in inbox
    assert "waiting" in inbox
    url = f"/office/conversations/{thread.pk}/messages/"
    key = str(uuid.uuid4())
    response = client.post(url, {"text": "Thanks, checking.", "client_key": key}, **HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="messages"' in body
    assert "Thanks, checking." in body
    assert 'hx-swap-oob="true"' in body
    assert key not in body
    thread.refresh_from_db()
    assert thread.waiting_since is None
    # The dealer opens it: the rep's message now says "Read".
    client_for(world["buyer"].user).get(f"/conversations/{thread.pk}/")
    refreshed = client.get(url, **HX).content.decode()
    assert "Read" in refreshed


def test_bad_input_is_answered_next_to_the_form(world, rep, thread, settings):
    client = client_for(world["buyer"].user)
    url = f"/conversations/{thread.pk}/messages/"
    empty = client.post(url, {"text": "  ", "client_key": str(uuid.uuid4())}, **HX)
    assert empty.status_code == 422
    assert "Write a message or add a photo." in empty.content.decode()
    pdf = io.BytesIO(b"%PDF-1.4 not a picture")
    pdf.name = "invoice.pdf"
    bad = client.post(
        url, {"text": "see", "photos": pdf, "client_key": str(uuid.uuid4())}, **HX
    )
    assert bad.status_code == 422
    assert "not a photo" in bad.content.decode()
    settings.CONVERSATIONS = {"MESSAGES_PER_MINUTE": 1}
    client.post(url, {"text": "one", "client_key": str(uuid.uuid4())}, **HX)
    flood = client.post(url, {"text": "two", "client_key": str(uuid.uuid4())}, **HX)
    assert flood.status_code == 422
    assert "at most 1 a minute" in flood.content.decode()
    assert not Message.objects.filter(text="two").exists()


def test_photos_are_served_only_to_who_sees_the_thread(world, rep, other_rep, thread):
    photo = thread.messages.get().attachments.get()
    own = client_for(world["owner"].user).get(f"/conversations/photos/{photo.pk}/")
    assert own.status_code == 200
    assert own["Content-Type"] == "image/jpeg"
    assert own["Cache-Control"].startswith("private")
    assert b"".join(own.streaming_content)[:2] == b"\xff\xd8"
    assert (
        client_for(rep.user)
        .get(f"/office/conversations/photos/{photo.pk}/")
        .status_code
        == 200
    )
    assert (
        client_for(world["other_user"].user)
        .get(f"/conversations/photos/{photo.pk}/")
        .status_code
        == 404
    )
    assert (
        client_for(other_rep.user)
        .get(f"/office/conversations/photos/{photo.pk}/")
        .status_code
        == 404
    )


def test_nobody_reaches_a_thread_of_a_dealer_they_do_not_belong_to(
    world, rep, other_rep, manager, thread
):
    pk = thread.pk
    other = client_for(world["other_user"].user)
    for url in (f"/conversations/{pk}/", f"/conversations/{pk}/messages/"):
        assert other.get(url).status_code == 404
    posted = other.post(
        f"/conversations/{pk}/messages/",
        {"text": "hi", "client_key": str(uuid.uuid4())},
    )
    assert posted.status_code == 404
    stranger = client_for(other_rep.user)
    assert stranger.get(f"/office/conversations/{pk}/").status_code == 404
    assert (
        "Competitor"
        not in stranger.get("/office/conversations/?view=all").content.decode()
    )
    assert (
        client_for(manager.user).get(f"/office/conversations/{pk}/").status_code == 200
    )
    # Each side is sent to its own pages.
    assert client_for(rep.user).get("/conversations/").status_code == 302
    assert (
        client_for(world["buyer"].user).get("/office/conversations/").status_code == 302
    )
    assert Message.objects.count() == 1


def test_ask_about_this_order_opens_the_same_thread(world, rep):
    from tests.orders.factories import place

    order = place(world["buyer"], [("TEA-A-01", 2)])
    client = client_for(world["buyer"].user)
    detail = client.get(f"/orders/{order.number}/").content.decode()
    assert f"/conversations/new/?about=order:{order.number}" in detail
    form = client.get(f"/conversations/new/?about=order:{order.number}")
    assert f"Order {order.number}" in form.content.decode()
    client.post(
        "/conversations/new/",
        {
            "about": f"order:{order.number}",
            "text": "Can it come Friday?",
            "client_key": str(uuid.uuid4()),
        },
    )
    thread = Thread.objects.get()
    again = client.get(f"/conversations/new/?about=order:{order.number}")
    assert again.status_code == 302
    assert again["Location"] == f"/conversations/{thread.pk}/"
    other = client_for(world["other_user"].user)
    assert (
        other.get(f"/conversations/new/?about=order:{order.number}").status_code == 404
    )


def test_the_nav_badge_counts_unread_threads(world, rep, thread):
    client = client_for(world["owner"].user)
    home = client.get("/").content.decode()
    assert 'data-testid="chat-badge"' in home
    services.message_post(participant=as_rep(rep), thread_id=thread.pk, text="Noted")
    badge = client.get("/conversations/badge/", **HX).content.decode()
    assert ">1<" in badge
    assert "hidden" not in badge


def test_the_manager_sees_the_weeks_feedback_with_its_photo(world, manager, thread):
    client = client_for(manager.user)
    page = client.get("/office/feedback/").content.decode()
    assert "Competitor price" in page
    assert "📷 1" in page
    assert 'data-testid="feedback-summary"' in page
    download = client.get("/office/feedback/?format=xlsx")
    book = load_workbook(io.BytesIO(download.content))
    summary = book.worksheets[0]
    rows = list(summary.iter_rows(min_row=4, values_only=True))
    assert rows[0][2] == 1  # one competitor price in D1's org and region
    assert rows[-1][-1] == 1
    items = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert items[0][-1] == 1  # with its photo
    filtered = client.get("/office/feedback/?kind=quality").content.decode()
    assert "No market feedback this week." in filtered


def test_service_level_shows_each_reps_first_response(world, rep, manager, thread):
    services.message_post(participant=as_rep(rep), thread_id=thread.pk, text="On it")
    page = client_for(manager.user).get("/office/service-level/").content.decode()
    assert "rep1" in page
    assert "1 answer" in page


def test_older_threads_stay_reachable_page_by_page(world, rep, settings):
    settings.CONVERSATIONS = {"MESSAGES_PER_MINUTE": 1000}
    buyer = as_dealer(world["buyer"])
    for n in range(32):
        services.thread_start(participant=buyer, text=f"Question number {n:02d}")
    client = client_for(world["buyer"].user)
    first = client.get("/conversations/").content.decode()
    assert "Question number 31" in first
    assert "Question number 00" not in first
    assert 'data-testid="older"' in first
    second = client.get("/conversations/?page=2").content.decode()
    assert "Question number 00" in second
    assert "Question number 31" not in second
    assert 'data-testid="older"' not in second
    rep_page = client_for(rep.user).get("/office/conversations/?view=waiting&page=2")
    assert "Question number 31" in rep_page.content.decode()  # longest wait first
