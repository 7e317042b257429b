"""Threads and messages: what a dealer and a rep see happen when they write."""

import datetime
import io
import uuid

import pytest
import time_machine
from PIL import Image

from common.errors import Forbidden, InvalidInput, NotFound
from conversations import selectors, services
from conversations.models import Message, Thread
from notifications.models import Delivery, Notification, Preference
from tests.conversations.conftest import as_dealer, as_rep, jpeg
from tests.orders.factories import place


@pytest.fixture
def order(world):
    return place(world["buyer"], [("TEA-A-01", 2)])


def test_asking_twice_about_one_order_continues_one_thread(world, order):
    buyer, owner = as_dealer(world["buyer"]), as_dealer(world["owner"])
    about = selectors.about_resolve(
        dealer=world["dealer"], spec=f"order:{order.number}"
    )
    first = services.thread_start(participant=buyer, about=about, text="When?")
    again = services.thread_start(participant=owner, about=about, text="Any news?")
    assert first.thread_id == again.thread_id
    thread = first.thread
    assert thread.about == Thread.About.ORDER
    assert thread.order == order
    assert thread.subject == f"Order {order.number}"
    assert [m.text for m in thread.messages.all()] == ["When?", "Any news?"]


def test_another_dealers_order_cannot_be_asked_about(world, order):
    with pytest.raises(NotFound):
        selectors.about_resolve(dealer=world["other"], spec=f"order:{order.number}")


def test_a_rep_answer_ends_the_wait_and_counts_the_response_time(world, rep):
    dealer = as_dealer(world["buyer"])
    with time_machine.travel(
        datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC), tick=False
    ):
        question = services.thread_start(participant=dealer, text="Is TEA-A back?")
    thread = Thread.objects.get(pk=question.thread_id)
    assert thread.waiting_since is not None
    with time_machine.travel(
        datetime.datetime(2026, 12, 1, 9, 12, tzinfo=datetime.UTC), tick=False
    ):
        services.message_post(participant=dealer, thread_id=thread.pk, text="Hello?")
    with time_machine.travel(
        datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC), tick=False
    ):
        answer = services.message_post(
            participant=as_rep(rep), thread_id=thread.pk, text="Next week."
        )
    thread.refresh_from_db()
    assert thread.waiting_since is None
    assert answer.response_seconds == 30 * 60  # from the first unanswered question
    with time_machine.travel(
        datetime.datetime(2026, 12, 1, 9, 40, tzinfo=datetime.UTC), tick=False
    ):
        services.message_post(
            participant=as_rep(rep), thread_id=thread.pk, text="Also: 5 % off."
        )
    assert Message.objects.filter(response_seconds__isnull=False).count() == 1


def test_a_rep_cannot_write_to_a_dealer_they_do_not_serve(world, rep, other_rep):
    question = services.thread_start(
        participant=as_dealer(world["buyer"]), text="A question"
    )
    with pytest.raises(NotFound):
        services.message_post(
            participant=as_rep(other_rep), thread_id=question.thread_id, text="Hi"
        )
    with pytest.raises(NotFound):  # nor may another dealer's user
        services.message_post(
            participant=as_dealer(world["other_user"]),
            thread_id=question.thread_id,
            text="Hi",
        )
    with pytest.raises(Forbidden):  # reps answer; dealers start threads
        services.thread_start(participant=as_rep(rep), text="Hi")


@pytest.mark.parametrize("text", ["", "   \n  ", "\x00"])
def test_an_empty_message_is_refused(world, text):
    with pytest.raises(InvalidInput, match="Write a message or add a photo"):
        services.thread_start(participant=as_dealer(world["buyer"]), text=text)
    assert not Message.objects.exists()


def test_a_message_sent_twice_is_posted_once(world):
    key = uuid.uuid4()
    dealer = as_dealer(world["buyer"])
    first = services.thread_start(participant=dealer, text="Once", client_key=key)
    again = services.thread_start(participant=dealer, text="Once", client_key=key)
    assert first.pk == again.pk
    resent = services.message_post(
        participant=dealer, thread_id=first.thread_id, text="Once", client_key=key
    )
    assert resent.pk == first.pk
    assert Message.objects.count() == 1


def test_a_flood_is_stopped_with_a_clear_message(world, settings):
    settings.CONVERSATIONS = {"MESSAGES_PER_MINUTE": 3}
    dealer = as_dealer(world["buyer"])
    thread_id = services.thread_start(participant=dealer, text="1").thread_id
    services.message_post(participant=dealer, thread_id=thread_id, text="2")
    services.message_post(participant=dealer, thread_id=thread_id, text="3")
    with pytest.raises(services.RateLimited, match="at most 3 a minute"):
        services.message_post(participant=dealer, thread_id=thread_id, text="4")
    assert Message.objects.count() == 3
    # Another person of the same dealer is not held back.
    services.message_post(
        participant=as_dealer(world["owner"]), thread_id=thread_id, text="owner"
    )


def test_a_rep_answer_reaches_the_dealers_users_as_a_notification(world, rep):
    owner = world["owner"]
    Preference.objects.create(
        user=owner.user,
        quiet_start=datetime.time(0, 0),
        quiet_end=datetime.time(23, 59),  # asleep all day
    )
    thread_id = services.thread_start(
        participant=as_dealer(world["buyer"]), text="Price of TEA-A?"
    ).thread_id
    services.message_post(participant=as_rep(rep), thread_id=thread_id, text="¥110")
    notes = Notification.objects.filter(kind="conversation.reply")
    assert {n.recipient_id for n in notes} == {
        world["owner"].user_id,
        world["buyer"].user_id,
        world["viewer"].user_id,
    }
    assert notes.first().data["thread"] == thread_id
    owners = Delivery.objects.get(notification__recipient=owner.user)
    buyers = Delivery.objects.get(notification__recipient=world["buyer"].user)
    assert owners.next_attempt_at > buyers.next_attempt_at  # quiet hours respected


def test_reading_the_thread_clears_its_badge_and_its_notifications(world, rep):
    buyer = as_dealer(world["buyer"])
    thread_id = services.thread_start(participant=buyer, text="Q").thread_id
    assert selectors.unread_count(participant=buyer) == 0  # nothing new from the rep
    services.message_post(participant=as_rep(rep), thread_id=thread_id, text="A")
    assert selectors.unread_count(participant=buyer) == 1
    assert selectors.unread_count(participant=as_dealer(world["owner"])) == 1
    thread = Thread.objects.get(pk=thread_id)
    assert services.thread_read(participant=buyer, thread=thread)
    assert selectors.unread_count(participant=buyer) == 0
    assert selectors.unread_count(participant=as_dealer(world["owner"])) == 1
    assert not Notification.objects.filter(
        recipient=world["buyer"].user, read_at__isnull=True
    ).exists()
    thread.refresh_from_db()
    assert thread.dealer_read_at >= thread.last_rep_message_at  # the rep sees "read"
    assert not services.thread_read(participant=buyer, thread=thread)  # once


def test_a_photo_is_resized_and_loses_its_location(world):
    message = services.thread_start(
        participant=as_dealer(world["buyer"]),
        text="Competitor shelf",
        photos=[jpeg()],
        feedback=Thread.Feedback.COMPETITOR_PRICE,
    )
    attachment = message.attachments.get()
    assert (attachment.width, attachment.height) == (1600, 1200)
    with attachment.image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.format == "JPEG"
        assert not image.getexif()  # no GPS, no maker: nothing
    thread = message.thread
    assert thread.feedback == "competitor_price"
    assert thread.region == world["dealer"].region


def test_what_is_not_a_photo_is_refused(world, settings):
    dealer = as_dealer(world["buyer"])
    with pytest.raises(InvalidInput, match="not a photo"):
        services.thread_start(participant=dealer, text="x", photos=[b"%PDF-1.4 ..."])
    settings.CONVERSATIONS = {"PHOTO_MAX_BYTES": 10_000}
    with pytest.raises(InvalidInput, match="at most 0 MB|MB"):
        services.thread_start(participant=dealer, text="x", photos=[jpeg()])
    assert not Thread.objects.exists()
