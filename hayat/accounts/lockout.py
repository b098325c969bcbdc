"""Tells django-axes which account a login attempt was for, on the web form and the JWT endpoint."""


def user_id_from_credentials(request, credentials: dict | None) -> str:
    credentials = credentials or {}
    for key in ("user_id", "username"):
        if credentials.get(key):
            return str(credentials[key]).lower()
    data = getattr(request, "POST", {}) or {}
    return str(data.get("username") or data.get("user_id") or "").lower()
