"""AddressPolicy decides on resolved addresses; nothing here opens a socket."""
from __future__ import annotations

import pytest

from sources.netpolicy import AddressPolicy


@pytest.mark.parametrize(
    "ip, why",
    [
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("169.254.1.1", "link-local"),
        ("169.254.169.254", "cloud metadata"),
        ("100.100.100.200", "cloud metadata"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("100.127.255.254", "carrier-grade NAT"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("fc00::1", "unique-local"),
        ("fd12:3456::1", "unique-local"),
        ("fd00:ec2::254", "cloud metadata"),
        ("ff02::1", "multicast"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "cloud metadata"),
        ("2002:a00:1::1", "private"),  # 6to4 wrapping 10.0.0.1
        ("64:ff9b::7f00:1", "loopback"),  # NAT64 of 127.0.0.1
        ("fec0::1", "site-local"),
    ],
)
def test_default_refuses_non_public(ip, why):
    msg = AddressPolicy().check("victim.example", [ip])
    assert msg is not None, ip
    assert why in msg
    assert "victim.example" in msg


@pytest.mark.parametrize("ip", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "1.1.1.1"])
def test_default_allows_public(ip):
    assert AddressPolicy().check("news.example", [ip]) is None


def test_every_resolved_address_is_checked():
    msg = AddressPolicy().check("mixed.example", ["93.184.216.34", "10.0.0.5"])
    assert msg is not None and "10.0.0.5" in msg


def test_no_address_or_garbage_refused():
    assert "resolved to no address" in AddressPolicy().check("x.example", [])
    assert "unparseable" in AddressPolicy().check("x.example", ["not-an-ip"])


def test_allowed_exact_ip_only():
    p = AddressPolicy(allowed=("127.0.0.1",))
    assert p.check("127.0.0.1", ["127.0.0.1"]) is None
    assert p.check("127.0.0.2", ["127.0.0.2"]) is not None
    assert p.check("evil.example", ["127.0.0.2"]) is not None


def test_allowed_cidr_and_hostname():
    p = AddressPolicy(allowed=("10.0.0.0/8", "Feeds.Internal"))
    assert p.check("a.example", ["10.200.3.4"]) is None
    assert p.check("a.example", ["192.168.0.1"]) is not None
    assert p.check("feeds.internal.", ["192.168.0.1"]) is None  # the name is trusted
    assert p.check("other.internal", ["192.168.0.1"]) is not None


def test_allow_private_network_is_broad_but_not_metadata():
    p = AddressPolicy(allow_private_network=True)
    for ip in ("10.1.2.3", "127.0.0.2", "fd00::1", "100.64.1.1"):
        assert p.check("x", [ip]) is None, ip
    assert "cloud metadata" in p.check("x", ["169.254.169.254"])
    assert "cloud metadata" in p.check("x", ["fd00:ec2::254"])
    assert AddressPolicy(allow_private_network=True, allowed=("169.254.169.254",)).check("x", ["169.254.169.254"]) is None


@pytest.mark.parametrize(
    "url, ok",
    [
        ("http://news.example/a", True),
        ("HTTPS://news.example/a", True),
        ("file:///etc/passwd", False),
        ("ftp://news.example/", False),
        ("gopher://news.example/", False),
        ("javascript:alert(1)", False),
        ("data:text/html,hi", False),
        ("//news.example/a", False),
        ("http:///nohost", False),
    ],
)
def test_scheme_check(url, ok):
    assert (AddressPolicy().check_scheme(url) is None) is ok


def test_host_port_entries_allow_one_origin_only():
    policy = AddressPolicy(allowed=("127.0.0.1:8000", "localhost:9000", "[::1]:7000"))
    assert policy.check("127.0.0.1", ["127.0.0.1"], 8000) is None
    assert policy.check("localhost", ["127.0.0.1"], 9000) is None
    assert policy.check("::1", ["::1"], 7000) is None
    for host, ips, port in (("127.0.0.1", ["127.0.0.1"], 4200), ("localhost", ["127.0.0.1"], 8001),
                            ("127.0.0.1", ["127.0.0.1"], None), ("127.0.0.2", ["127.0.0.2"], 8000)):
        assert "refused" in (policy.check(host, ips, port) or ""), (host, port)


def test_a_link_to_another_local_port_is_refused(server):
    from tests.fetch.fetchkit import make_policy
    from sources.http import HttpClient

    other = server.static("/other-service", b"local admin page")
    moved = server.add("/moved", lambda h: h.reply(302, b"", {"Location": "http://127.0.0.1:1/admin"}))
    client = HttpClient(make_policy(address_policy=AddressPolicy(allowed=(f"127.0.0.1:{server.port}",))))
    assert client.get(other).ok
    refused = client.get(moved)
    assert refused.error_kind == "refused_address" and ":1" not in (refused.body or b"").decode()
