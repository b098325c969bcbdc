"""API tokens that can be taken back: every token carries the user's token version, and a password change or
reset, a deactivation or a role change bumps the version, so all of that user's earlier access and refresh
tokens stop working at once. A refresh token works once: refreshing rotates it and blacklists the old one."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken, Token

from hayat.accounts.models import User

VERSION_CLAIM = "ver"
REVOKED = _("This token was revoked: sign in again.")


def revoke_tokens(user: User) -> None:
    """Makes every token issued to `user` so far invalid; the caller saves `token_version` with its change."""
    user.token_version += 1


def check_version(token: Token, user: User) -> None:
    if token.get(VERSION_CLAIM) != user.token_version:
        raise AuthenticationFailed(REVOKED, code="token_revoked")


class LoginSerializer(TokenObtainPairSerializer):
    @classmethod
    def get_token(cls, user: User) -> RefreshToken:
        token = super().get_token(user)
        token[VERSION_CLAIM] = user.token_version
        return token


class RefreshSerializer(TokenRefreshSerializer):
    def validate(self, attrs):
        refresh = self.token_class(attrs["refresh"])
        user = User.objects.filter(pk=refresh.payload.get(api_settings.USER_ID_CLAIM)).first()
        if user is not None:
            check_version(refresh, user)
        return super().validate(attrs)


class VersionedJWTAuthentication(JWTAuthentication):
    def get_user(self, validated_token: Token) -> User:
        user = super().get_user(validated_token)
        check_version(validated_token, user)
        return user


class VersionedJWTScheme(SimpleJWTScheme):
    """The OpenAPI description of the versioned tokens: the same Bearer scheme as simplejwt's."""

    target_class = "hayat.accounts.tokens.VersionedJWTAuthentication"
