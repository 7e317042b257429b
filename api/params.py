"""Query strings that say only what an operation reads: an unknown parameter is a
422 naming it (a typo such as ``?stauts=issued`` is not silently ignored)."""

from functools import wraps

from common.errors import InvalidInput


def known_query(*names: str):
    def decorate(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            unknown = sorted(set(request.GET) - set(names))
            if unknown:
                raise InvalidInput(
                    f"Unknown query parameter {unknown[0]!r}.",
                    code="unknown_parameter",
                    errors=[
                        {"field": name, "message": "not a parameter here"}
                        for name in unknown
                    ],
                )
            return view(request, *args, **kwargs)

        return checked

    return decorate
