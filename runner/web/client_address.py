"""Who is at the other end: the client's address, also behind the municipality's TLS proxy.

Behind a reverse proxy every request comes from the proxy's address, so the per-address login throttle
would treat everyone as one client. The proxy names the client in X-Forwarded-For; since anybody can send
that header, it is believed only from the proxies in `web.trusted_proxies`, and read from the right: each
trusted proxy appends the address it saw, so the first address from the right that is not a trusted proxy
is the client (whatever the client itself wrote further left is ignored).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from fastapi import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(t, strict=False) for t in trusted)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in networks)


def address_allowed(address: str, allowed: list[str]) -> bool:
    """True when `address` is one of, or in one of, the addresses or networks in `allowed`."""
    return _is_trusted(address, _networks(tuple(allowed)))


def client_address(request: Request, trusted_proxies: list[str]) -> str:
    """The client's address: the peer's, or the one a trusted proxy forwarded."""
    peer = request.client.host if request.client else "unknown"
    networks = _networks(tuple(trusted_proxies))
    if not networks or not _is_trusted(peer, networks):
        return peer
    hops = [h.strip() for h in ",".join(request.headers.getlist("x-forwarded-for")).split(",") if h.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # a garbled header: the proxy itself is all we know
    return hops[0] if hops else peer
