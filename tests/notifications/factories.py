"""Helpers for the notification tests: a recording channel, reps, promotions."""

import threading

from dealers import services as dealer_services
from notifications import channels
from tests.orders import factories as order_factories

PASSWORD = order_factories.PASSWORD


class RecordingChannel(channels.Channel):
    """A portal channel that records messages; ``outcomes`` scripts failures
    (a list of outcomes handed out in turn, then Sent)."""

    name = "portal"

    def __init__(self, name: str = "portal"):
        self.name = name
        self.messages: list[channels.Message] = []
        self.outcomes: list = []
        self.before_send = None
        self._lock = threading.Lock()

    def addresses(self, user_ids):
        return dict.fromkeys(user_ids, "")

    def send(self, message):
        if self.before_send is not None:
            self.before_send(message)
        with self._lock:
            outcome = self.outcomes.pop(0) if self.outcomes else channels.Sent()
            if isinstance(outcome, channels.Sent):
                self.messages.append(message)
        return outcome

    @property
    def sent_ids(self) -> list[int]:
        return [m.delivery_id for m in self.messages]


def ensure_groups() -> None:
    """The staff groups with the rep console's permission, as the data migrations
    leave them (a transactional test's flush empties them)."""
    from django.contrib.auth.models import Group, Permission

    from dealers import groups

    permission = Permission.objects.get(
        codename="add_campaign", content_type__app_label="notifications"
    )
    for name in (groups.SALES_REP, groups.SALES_MANAGER):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def rep_for(world, username, *, org, serves, manager=False):
    """A rep (or manager) of ``org`` serving the world's dealers named in ``serves``."""
    ensure_groups()
    rep = dealer_services.sales_rep_create(
        username=username,
        password=PASSWORD,
        sales_org=world["orgs"][org],
        manager=manager,
    )
    for key in serves:
        world[key].reps.add(rep)
    return rep


def approve_gift(code: str = "P-GIFT", **overrides) -> str:
    """The buy-ten-get-a-cup promotion for D1's audience, approved."""
    return order_factories.approve(order_factories.definition(code, **overrides))
