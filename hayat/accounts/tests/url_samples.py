from hayat.accounts.tests.images import png_upload
from hayat.core.roles import Role


def samples(personas: dict) -> dict[str, dict]:
    nurse = personas[Role.NURSE]
    nurse.avatar.save("nurse.png", png_upload(), save=True)
    return {
        "accounts:user_edit": {"pk": nurse.pk},
        "accounts:user_set_active": {"pk": nurse.pk},
        "accounts:user_lockout": {"pk": nurse.pk},
        "accounts:user_reset_password": {"pk": nurse.pk},
        "accounts:avatar": {"pk": nurse.pk},
        "accounts:user_set_avatar": {"pk": nurse.pk},
        "user-detail": {"pk": nurse.pk},
        "user-reset-password": {"pk": nurse.pk},
        "user-set-active": {"pk": nurse.pk},
    }
