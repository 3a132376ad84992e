from .roles import is_admin, is_supervisor


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_supervisor": False, "is_admin": False}
    return {"is_supervisor": is_supervisor(user), "is_admin": is_admin(user)}
