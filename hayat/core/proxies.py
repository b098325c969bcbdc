"""Requests that came through the hospital's own reverse proxy: who the client behind it is, and whether it
used https. Only a proxy listed in HAYAT_TRUSTED_PROXIES is believed; anybody else's X-Forwarded-* headers are
dropped before Django or Hayat reads them."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                     "HTTP_X_FORWARDED_PORT", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


@lru_cache(maxsize=8)
def networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks(tuple(settings.HAYAT_TRUSTED_PROXIES)))


def client_address(peer: str, forwarded_for: str) -> str:
    """Walks X-Forwarded-For from the right: each hop a trusted proxy reports is believed, and the first address
    that is not a trusted proxy is the client. A malformed hop ends the walk at the last proxy."""
    address = peer
    for hop in reversed([hop.strip() for hop in forwarded_for.split(",") if hop.strip()]):
        if not is_trusted(address):
            break
        try:
            address = str(ipaddress.ip_address(hop))
        except ValueError:
            break
    return address


class TrustedProxyMiddleware:
    """First in the chain: behind a trusted proxy REMOTE_ADDR becomes the client's address and the proxy's
    X-Forwarded-Proto stays for SECURE_PROXY_SSL_HEADER; from anyone else the forwarded headers are removed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        peer = meta.get("REMOTE_ADDR", "")
        if is_trusted(peer):
            meta["REMOTE_ADDR"] = client_address(peer, meta.get("HTTP_X_FORWARDED_FOR", ""))
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)
