from django.http import HttpRequest

from nghiquyet import __version__
from nghiquyet.accounts.permissions import Action, may


def site(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {"version": __version__, "can_manage": bool(user and may(user, Action.MANAGE))}
