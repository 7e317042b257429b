"""Home: greeting and the way into everything else."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.decorators import dealer_required
from portal.http import HtmxHttpRequest


@require_GET
@dealer_required
def home(request: HtmxHttpRequest):
    return render(request, "portal/home.html", {})
