"""A view that logs, for tests/ops/test_logs.py."""

import logging

from django.http import HttpResponse
from django.urls import path


def logging_view(request):
    logging.getLogger("portal.views").warning("inside")
    return HttpResponse("ok")


urlpatterns = [path("logs/", logging_view)]
