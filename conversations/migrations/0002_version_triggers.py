"""A dealer's threads, their messages and how far each person read them (the chat
icon's count) are the dealer's own data (``common.triggers``)."""

from django.db import migrations

from common.triggers import VersionTrigger, dealer

THREAD = "(SELECT t.dealer_id FROM conversations_thread t WHERE t.id = {row}.thread_id)"


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0001_h15_cache_versions"),
        ("conversations", "0001_initial"),
    ]

    operations = [
        VersionTrigger("conversations_thread", dealer("{row}.dealer_id")),
        VersionTrigger("conversations_message", dealer(THREAD)),
        VersionTrigger("conversations_readmark", dealer(THREAD)),
    ]
