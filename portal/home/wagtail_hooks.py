from django.contrib.auth.views import redirect_to_login
from wagtail import hooks


@hooks.register("before_serve_page")
def require_login(page, request, serve_args, serve_kwargs):
    """The portal is for the chain's people only: every content page needs a login."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None
