"""Switch the language, remembering it on the dealer user for pushes and the bot."""

from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from dealers import services as dealer_services


@require_POST
def language(request):
    response = set_language(request)
    code = request.POST.get("language")
    if request.dealer_user and code in {"zh-hans", "en"}:
        dealer_services.dealer_user_set_language(
            dealer_user=request.dealer_user, language=code
        )
    return response
