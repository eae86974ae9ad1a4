from django.http import HttpRequest

from nghiquyet import __version__
from nghiquyet.accounts.permissions import Action, may
from nghiquyet.notifications.services import unread_count


def site(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {"version": __version__, "can_manage": bool(user and may(user, Action.MANAGE)),
            "unread": unread_count(user=user) if signed_in else 0}
