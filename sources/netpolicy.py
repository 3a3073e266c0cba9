"""Which network addresses storywatch may connect to (SSRF protection). Pure: no I/O.

Feeds and the pages they link to are untrusted input: a feed item (or a redirect)
pointing at ``http://169.254.169.254/`` or ``http://10.0.0.5:8080/admin`` must not
make us fetch from inside our own network. The HTTP client resolves every host
itself, hands *all* the resolved addresses to :meth:`AddressPolicy.check`, and
connects only to an address that was checked (see ``sources/http.py``), at every
redirect hop.

Default: only globally routable unicast addresses. Refused: private (RFC 1918),
loopback, link-local, CGNAT (100.64.0.0/10), unique-local IPv6 (fc00::/7),
site-local, multicast, unspecified, reserved / documentation / benchmark ranges,
broadcast, cloud metadata endpoints, and IPv6 forms that embed one of those
(IPv4-mapped ``::ffff:a.b.c.d``, IPv4-compatible ``::a.b.c.d``, 6to4 ``2002::/16``,
Teredo, NAT64 ``64:ff9b::/96``).

``allowed`` opens exactly what it names: a hostname (matched against the host of the
URL, case-insensitive), an IP, or a CIDR. ``allowed=("127.0.0.1",)`` lets us fetch
from 127.0.0.1 while a redirect to 127.0.0.2 is still refused.
``allow_private_network=True`` is the broad switch for every non-global range
*except* cloud metadata addresses, which only an explicit ``allowed`` entry opens.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOWED_SCHEMES = ("http", "https")

# Cloud instance metadata services (AWS/GCP/Azure/OpenStack, Alibaba, AWS IPv6).
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_SITE_LOCAL_V6 = ipaddress.ip_network("fec0::/10")


def _parse_ip(text: str) -> IPAddress | None:
    text = text.strip().strip("[]")
    if "%" in text:  # IPv6 zone id: fe80::1%eth0
        text = text.split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address hidden inside an IPv6 one, if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]  # the client address
    if ip in _NAT64 or ip in _NAT64_LOCAL:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    # IPv4-compatible (deprecated) ::a.b.c.d, but not :: and ::1 themselves
    if int(ip) >> 32 == 0 and int(ip) > 1:
        return ipaddress.IPv4Address(int(ip))
    return None


def classify_address(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public unicast address (a short label), or None if it is."""
    if ip in METADATA_ADDRESSES:
        return "cloud metadata"
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_v4(ip)
        if inner is not None:
            why = classify_address(inner)
            if why is not None:
                return f"{why} (embedded in IPv6 {ip})"
            return None  # a public IPv4 address in IPv6 clothing
        if ip in _SITE_LOCAL_V6:
            return "site-local"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "carrier-grade NAT (100.64.0.0/10)"
    if isinstance(ip, ipaddress.IPv6Address) and ip in ipaddress.ip_network("fc00::/7"):
        return "unique-local"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "non-global"
    return None


def _normal_host(host: str) -> str:
    host = host.strip("[]").lower().rstrip(".")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host


@dataclass(frozen=True)
class AddressPolicy:
    allow_private_network: bool = False
    allowed: tuple[str, ...] = ()
    _hosts: frozenset[str] = field(init=False, repr=False, compare=False)
    _nets: tuple[IPNetwork, ...] = field(init=False, repr=False, compare=False)
    _ports: frozenset[tuple[str, int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        hosts: set[str] = set()
        nets: list[IPNetwork] = []
        ports: set[tuple[str, int]] = set()
        for item in self.allowed:
            item = item.strip()
            if not item:
                continue
            # "host:port" / "1.2.3.4:port" / "[::1]:port" allow that one origin only: a story that
            # polls a feed on 127.0.0.1:8000 need not open every local service to its feeds' links.
            m = re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[^:\s]+):(\d{1,5})", item)
            if m:
                ports.add((_normal_host(m.group(1)), int(m.group(2))))
                continue
            try:
                nets.append(ipaddress.ip_network(item.strip("[]"), strict=False))
                continue
            except ValueError:
                pass
            hosts.add(item.lower().rstrip("."))
        object.__setattr__(self, "_hosts", frozenset(hosts))
        object.__setattr__(self, "_nets", tuple(nets))
        object.__setattr__(self, "_ports", frozenset(ports))

    def host_allowed(self, host: str) -> bool:
        return host.strip("[]").lower().rstrip(".") in self._hosts

    def origin_allowed(self, host: str, ip: "IPAddress", port: int | None) -> bool:
        """An allowed "host:port" entry names this host (or this address) and this port."""
        return port is not None and bool(self._ports) and (
            (_normal_host(host), port) in self._ports or (_normal_host(str(ip)), port) in self._ports)

    def ip_allowed(self, ip: IPAddress) -> bool:
        for net in self._nets:
            if ip.version == net.version and ip in net:
                return True
        return False

    def check_scheme(self, url: str) -> str | None:
        """A refusal message when ``url`` is not an http(s) URL with a host."""
        try:
            parts = urlsplit(url.strip())
        except ValueError as exc:
            return f"refused URL {url!r}: cannot parse it ({exc})"
        scheme = parts.scheme.lower()
        if scheme not in ALLOWED_SCHEMES:
            shown = scheme or "(none)"
            return f"refused URL {url[:200]!r}: scheme {shown!r} is not http or https"
        if not parts.hostname:
            return f"refused URL {url[:200]!r}: no host"
        return None

    def check(self, host: str, resolved_ips: list[str], port: int | None = None) -> str | None:
        """None when we may connect to ``host`` at *all* of ``resolved_ips``; else why not.

        Every address is checked, not only the first: a DNS answer mixing a public and
        a private address is refused as a whole (the client could otherwise be steered
        to the private one).
        """
        if not resolved_ips:
            return f"refused host {host!r}: it resolved to no address"
        host_ok = self.host_allowed(host)
        for text in resolved_ips:
            ip = _parse_ip(text)
            if ip is None:
                return f"refused host {host!r}: resolved to unparseable address {text!r}"
            why = classify_address(ip)
            if why is None:
                continue
            if host_ok or self.ip_allowed(ip) or self.origin_allowed(host, ip, port):
                continue
            if self.allow_private_network and not why.startswith("cloud metadata"):
                continue
            return (
                f"refused address {ip} for host {host!r}: {why} address "
                f"(not public; allow it with --allow-host or allow_private_network)"
            )
        return None
