from django.http import HttpRequest

from nghiquyet import __version__


def site(request: HttpRequest) -> dict[str, str]:
    return {"version": __version__}
