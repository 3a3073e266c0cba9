"""Fault injection through HttpClient.get against the local fault server (127.0.0.1 only)."""
from __future__ import annotations

import gzip
import socket
import threading
import time
import zlib
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import brotli
import pytest

from sources.http import HttpClient
from sources.netpolicy import AddressPolicy

from .fetchkit import make_policy

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local news</title><link>http://127.0.0.1/</link>
<item><guid>n1</guid><title>Flood update</title><link>http://127.0.0.1/n1</link></item>
</channel></rss>"""


def _compress_stream(factory, total: int, chunk: int = 1 << 20) -> bytes:
    """Compress ``total`` zero bytes without holding them in memory at once."""
    comp = factory()
    zeros = b"\0" * chunk
    parts = [comp.compress(zeros) for _ in range(total // chunk)]
    parts.append(comp.flush())
    return b"".join(parts)


# --- time -----------------------------------------------------------------------------


def test_slow_headers_cut_at_total_timeout(server, timed):
    def drip_headers(h):
        h.wfile.write(b"HTTP/1.0 200 OK\r\nX-Drip: ")
        for _ in range(100):  # 1 byte / 0.1 s: each read is quick, the whole is not
            h.wfile.write(b"a")
            h.wfile.flush()
            if not h.sleep(0.1):
                return

    url = server.add("/slow-headers", drip_headers)
    client = HttpClient(make_policy(retries=0))
    with timed(2.0):
        r = client.get(url)
    assert r.error_kind == "timeout"
    assert "total timeout of 1.2s exceeded" in r.error
    assert r.status is None and r.body == b""


def test_slow_body_drip_cut_at_total_timeout(server, timed):
    def drip_body(h):
        h.send_response(200)
        h.send_header("Content-Length", "1000")
        h.end_headers()
        for _ in range(1000):
            h.wfile.write(b"x")
            h.wfile.flush()
            if not h.sleep(0.1):
                return

    url = server.add("/slow-body", drip_body)
    client = HttpClient(make_policy(retries=2))
    with timed(2.0):
        r = client.get(url)
    assert r.error_kind == "timeout"
    assert "total timeout" in r.error
    assert r.body == b""
    assert r.attempts == 1 and server.hits["/slow-body"] == 1  # too slow is not retried


def test_stalled_body_hits_read_timeout_and_is_retried(server, timed):
    def stall(h):
        h.send_response(200)
        h.send_header("Content-Length", "10")
        h.end_headers()
        h.wfile.write(b"12")
        h.wfile.flush()
        h.sleep(3)

    url = server.add("/stall", stall)
    client = HttpClient(make_policy(retries=1, read_timeout_s=0.3, total_timeout_s=5))
    with timed(2.5):
        r = client.get(url)
    assert r.error_kind == "timeout"
    assert "read timeout" in r.error
    assert r.attempts == 2 and server.hits["/stall"] == 2


# --- broken connections -----------------------------------------------------------------


def test_connection_reset_before_response(server):
    url = server.add("/reset", lambda h: h.reset())
    r = HttpClient(make_policy(retries=1)).get(url)
    assert r.error_kind == "reset", r.error
    assert "127.0.0.1" in r.error
    assert server.hits["/reset"] == 2  # transient: retried once


def test_connection_reset_mid_body(server):
    def reset_mid(h):
        h.send_response(200)
        h.send_header("Content-Length", "100000")
        h.end_headers()
        h.wfile.write(b"<rss>" + b"x" * 100)
        h.wfile.flush()
        time.sleep(0.05)
        h.reset()

    url = server.add("/reset-mid", reset_mid)
    r = HttpClient(make_policy(retries=0)).get(url)
    assert r.error_kind in ("reset", "truncated"), r.error
    assert r.body == b""


def test_body_shorter_than_content_length(server):
    def short(h):
        h.send_response(200)
        h.send_header("Content-Length", "500")
        h.end_headers()
        h.wfile.write(b"only this")

    url = server.add("/short", short)
    r = HttpClient(make_policy(retries=0)).get(url)
    assert r.error_kind == "truncated"
    assert "truncated" in r.error


def test_connection_refused_on_closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    r = HttpClient(make_policy(retries=1)).get(f"http://127.0.0.1:{port}/feed")
    assert r.error_kind == "connect"
    assert "could not connect to 127.0.0.1" in r.error
    assert r.attempts == 2


# --- sizes and encodings ---------------------------------------------------------------


def test_truncated_gzip(server):
    whole = gzip.compress(FEED * 20)
    cut = whole[: len(whole) // 2]
    url = server.static("/trunc.gz", cut, headers={"Content-Encoding": "gzip"})
    r = HttpClient(make_policy()).get(url)
    assert r.error_kind == "truncated"
    assert "gzip stream ends early" in r.error
    assert r.attempts == 1  # a broken file is not transient


def test_gzip_body_decoded(server):
    url = server.static("/ok.gz", gzip.compress(FEED), headers={"Content-Encoding": "gzip"})
    r = HttpClient(make_policy()).get(url)
    assert r.ok and r.body == FEED


def test_gzip_bomb(server, timed):
    bomb = _compress_stream(lambda: zlib.compressobj(9, zlib.DEFLATED, 31), 100 << 20)
    assert len(bomb) < 150_000  # 100 MiB of zeros in ~100 KB
    url = server.static("/bomb.gz", bomb, headers={"Content-Encoding": "gzip"})
    with timed(5.0):
        r = HttpClient(make_policy()).get(url)
    assert r.error_kind == "decompression_bomb"
    assert "exceeds 5242880 bytes" in r.error
    assert r.body == b""


def test_brotli_bomb(server, timed):
    comp = brotli.Compressor(quality=5)
    zeros = b"\0" * (1 << 20)
    bomb = b"".join(comp.process(zeros) for _ in range(100)) + comp.finish()
    assert len(bomb) < 100_000
    url = server.static("/bomb.br", bomb, headers={"Content-Encoding": "br"})
    with timed(5.0):
        r = HttpClient(make_policy()).get(url)
    assert r.error_kind == "decompression_bomb"
    assert "brotli" in r.error


def test_deflate_bomb_raw_and_zlib(server):
    raw = _compress_stream(lambda: zlib.compressobj(9, zlib.DEFLATED, -15), 50 << 20)
    wrapped = _compress_stream(lambda: zlib.compressobj(9), 50 << 20)
    for path, body in (("/bomb.raw-deflate", raw), ("/bomb.deflate", wrapped)):
        url = server.static(path, body, headers={"Content-Encoding": "deflate"})
        r = HttpClient(make_policy()).get(url)
        assert r.error_kind == "decompression_bomb", (path, r.error)


def test_brotli_and_deflate_bodies_decoded(server):
    u1 = server.static("/ok.br", brotli.compress(FEED), headers={"Content-Encoding": "br"})
    u2 = server.static("/ok.deflate", zlib.compress(FEED), headers={"Content-Encoding": "deflate"})
    c = HttpClient(make_policy())
    assert c.get(u1).body == FEED
    assert c.get(u2).body == FEED


def test_corrupt_gzip_is_bad_encoding(server):
    url = server.static("/corrupt.gz", b"this is not gzip at all", headers={"Content-Encoding": "gzip"})
    r = HttpClient(make_policy()).get(url)
    assert r.error_kind == "bad_encoding"
    assert "not valid gzip" in r.error


def test_plain_xml_mislabelled_as_gzip_is_accepted(server):
    url = server.static("/mislabelled.gz", FEED, headers={"Content-Encoding": "gzip"})
    r = HttpClient(make_policy()).get(url)
    assert r.ok and r.body == FEED


def test_unknown_content_encoding(server):
    url = server.static("/zstd", b"\x28\xb5\x2f\xfd", headers={"Content-Encoding": "zstd"})
    r = HttpClient(make_policy()).get(url)
    assert r.error_kind == "bad_encoding" and "zstd" in r.error


def _stream_zeros(h, total: int, declare: bool):
    h.send_response(200)
    if declare:
        h.send_header("Content-Length", str(total))
    h.end_headers()
    chunk = b"\0" * 65536
    sent = 0
    while sent < total and not h.server.owner.stop.is_set():
        h.wfile.write(chunk)
        sent += len(chunk)


def test_50mb_body_with_content_length_refused_before_reading(server):
    url = server.add("/50mb-declared", lambda h: _stream_zeros(h, 50 << 20, True))
    r = HttpClient(make_policy(max_body_bytes=10 << 20, total_timeout_s=5)).get(url)
    assert r.error_kind == "too_large"
    assert "52428800 bytes announced" in r.error


def test_50mb_body_without_length_cut_while_streaming(server, timed):
    url = server.add("/50mb-stream", lambda h: _stream_zeros(h, 50 << 20, False))
    with timed(5.0):
        r = HttpClient(make_policy(max_body_bytes=10 << 20, total_timeout_s=5)).get(url)
    assert r.error_kind == "too_large"
    assert "exceeds 10485760 bytes" in r.error
    assert r.body == b""


# --- statuses ---------------------------------------------------------------------------


def test_429_retry_after_seconds(server):
    url = server.static("/429s", b"slow down", 429, {"Retry-After": "120"})
    before = datetime.now(timezone.utc)
    r = HttpClient(make_policy()).get(url)
    assert r.error_kind == "http_429" and r.status == 429
    assert before + timedelta(seconds=119) <= r.retry_after <= datetime.now(timezone.utc) + timedelta(seconds=121)
    assert server.hits["/429s"] == 1  # never retried in-process


def test_429_retry_after_http_date(server):
    when = (datetime.now(timezone.utc) + timedelta(hours=1)).replace(microsecond=0)
    url = server.static("/429d", b"", 429, {"Retry-After": format_datetime(when, usegmt=True)})
    r = HttpClient(make_policy()).get(url)
    assert r.error_kind == "http_429"
    assert r.retry_after == when
    assert "retry after" in r.error


def test_retry_after_is_capped(server):
    url = server.static("/429huge", b"", 429, {"Retry-After": "99999999"})
    r = HttpClient(make_policy(max_retry_after_s=3600)).get(url)
    assert r.retry_after <= datetime.now(timezone.utc) + timedelta(seconds=3601)


def test_503_with_retry_after_is_not_retried(server):
    url = server.static("/503ra", b"maintenance", 503, {"Retry-After": "30"})
    r = HttpClient(make_policy()).get(url)
    assert r.error_kind == "http_5xx" and r.status == 503
    assert r.retry_after is not None
    assert server.hits["/503ra"] == 1


def test_503_without_retry_after_is_retried(server):
    url = server.static("/503", b"", 503)
    r = HttpClient(make_policy(retries=2)).get(url)
    assert r.error_kind == "http_5xx"
    assert server.hits["/503"] == 3 and r.attempts == 3


def test_500_retried_then_failed(server):
    url = server.static("/500", b"boom", 500)
    r = HttpClient(make_policy(retries=2)).get(url)
    assert r.error_kind == "http_5xx" and r.status == 500
    assert r.error.startswith("HTTP 500 Internal Server Error")
    assert server.hits["/500"] == 3 and r.attempts == 3


def test_500_then_success_recovers(server):
    state = {"n": 0}

    def flaky(h):
        state["n"] += 1
        if state["n"] == 1:
            h.reply(500, b"oops")
        else:
            h.reply(200, FEED)

    url = server.add("/flaky", flaky)
    r = HttpClient(make_policy(retries=2)).get(url)
    assert r.ok and r.body == FEED and r.attempts == 2


def test_501_is_not_retried(server):
    url = server.static("/501", b"", 501)
    r = HttpClient(make_policy(retries=2)).get(url)
    assert r.error_kind == "http_5xx" and server.hits["/501"] == 1


@pytest.mark.parametrize("code", [404, 410, 403])
def test_client_errors_not_retried(server, code):
    url = server.static(f"/e{code}", b"gone", code)
    r = HttpClient(make_policy()).get(url)
    assert r.error_kind == f"http_{code}"
    assert r.status == code and r.body == b""
    assert server.hits[f"/e{code}"] == 1


# --- redirects --------------------------------------------------------------------------


def test_redirect_followed_and_permanent_flag(server):
    server.static("/moved-target", FEED)
    url = server.static("/moved", b"", 301, {"Location": "/moved-target"})
    r = HttpClient(make_policy()).get(url)
    assert r.ok and r.body == FEED
    assert r.url == url and r.final_url == server.url("/moved-target")
    assert r.permanent_redirect is True


def test_redirect_loop(server):
    server.static("/loop-a", b"", 302, {"Location": "/loop-b"})
    url = server.static("/loop-b", b"", 302, {"Location": "/loop-a"})
    r = HttpClient(make_policy()).get(url)
    assert r.error_kind == "redirect_loop"
    assert "already visited" in r.error


def test_too_many_redirects(server):
    def chain(h):
        n = int(h.path.rsplit("=", 1)[1])
        h.reply(302, b"", {"Location": f"/chain?n={n + 1}"})

    url = server.add("/chain", chain) + "?n=0"
    r = HttpClient(make_policy(max_redirects=5)).get(url)
    assert r.error_kind == "too_many_redirects"
    assert "more than 5 redirects" in r.error
    assert server.hits["/chain"] == 6


def test_redirect_to_private_address_refused_without_contact(server, internal_server):
    internal_server.static("/secret", b"internal admin page")
    target = internal_server.url("/secret")  # http://127.0.0.2:port/secret
    url = server.static("/to-internal", b"", 302, {"Location": target})
    r = HttpClient(make_policy()).get(url)  # only 127.0.0.1 is allowed
    assert r.error_kind == "refused_address"
    assert "127.0.0.2" in r.error and "loopback" in r.error
    assert r.final_url == target and r.status is None
    assert internal_server.hits["/secret"] == 0
    assert b"internal admin" not in r.body


def test_allow_private_network_switch_reaches_internal(server, internal_server):
    internal_server.static("/ok-internal", b"fine")
    url = server.static("/to-internal-ok", b"", 307, {"Location": internal_server.url("/ok-internal")})
    r = HttpClient(make_policy(address_policy=AddressPolicy(allow_private_network=True))).get(url)
    assert r.ok and r.body == b"fine"


def test_default_policy_refuses_loopback_start_url(server):
    url = server.static("/default-refused", b"x")
    r = HttpClient(make_policy(address_policy=AddressPolicy())).get(url)
    assert r.error_kind == "refused_address"
    assert server.hits["/default-refused"] == 0


@pytest.mark.parametrize("location", ["file:///etc/passwd", "gopher://127.0.0.1:70/x", "javascript:alert(1)", "ftp://127.0.0.1/f"])
def test_redirect_to_non_http_scheme(server, location):
    path = "/to-scheme-" + location.split(":")[0]
    url = server.static(path, b"", 302, {"Location": location})
    r = HttpClient(make_policy()).get(url)
    assert r.error_kind == "refused_scheme"
    assert "is not http or https" in r.error
    assert b"root:" not in r.body


def test_redirect_without_location(server):
    url = server.static("/no-location", b"", 302)
    r = HttpClient(make_policy()).get(url)
    assert r.error_kind == "bad_redirect"


# --- politeness ---------------------------------------------------------------------------


def test_conditional_get_etag_and_last_modified(server):
    lm = "Mon, 30 Nov 2026 03:00:00 GMT"

    def conditional(h):
        if h.headers.get("If-None-Match") == '"v1"' or h.headers.get("If-Modified-Since") == lm:
            h.reply(304, b"", {"ETag": '"v1"'}, length=False)
        else:
            h.reply(200, FEED, {"ETag": '"v1"', "Last-Modified": lm})

    url = server.add("/cond", conditional)
    c = HttpClient(make_policy())
    first = c.get(url)
    assert first.ok and first.body == FEED and first.headers["etag"] == '"v1"'
    by_etag = c.get(url, etag=first.headers["etag"])
    assert by_etag.ok and by_etag.not_modified and by_etag.status == 304 and by_etag.body == b""
    by_date = c.get(url, last_modified=first.headers["last-modified"])
    assert by_date.not_modified
    sent = [hd for p, hd in server.requests if p == "/cond"]
    assert sent[1]["if-none-match"] == '"v1"' and sent[2]["if-modified-since"] == lm


def test_cache_control_max_age_and_age(server):
    url = server.static("/cached", FEED, headers={"Cache-Control": "public, max-age=600", "Age": "100"})
    before = datetime.now(timezone.utc)
    r = HttpClient(make_policy()).get(url)
    assert r.fresh_until is not None
    assert before + timedelta(seconds=499) <= r.fresh_until <= datetime.now(timezone.utc) + timedelta(seconds=501)


def test_expires_and_no_cache(server):
    when = (datetime.now(timezone.utc) + timedelta(hours=2)).replace(microsecond=0)
    u1 = server.static("/expires", FEED, headers={"Expires": format_datetime(when, usegmt=True)})
    u2 = server.static("/nocache", FEED, headers={"Cache-Control": "no-cache", "Expires": format_datetime(when, usegmt=True)})
    c = HttpClient(make_policy())
    assert c.get(u1).fresh_until == when
    assert c.get(u2).fresh_until is None


def test_user_agent_and_accept_headers_sent(server):
    url = server.static("/ua", b"ok")
    HttpClient(make_policy()).get(url, accept="application/rss+xml")
    hd = [hd for p, hd in server.requests if p == "/ua"][-1]
    assert hd["user-agent"].startswith("storywatch/") and "+http" in hd["user-agent"]
    assert hd["accept"] == "application/rss+xml"
    assert "gzip" in hd["accept-encoding"] and "br" in hd["accept-encoding"]


def test_per_host_concurrency_limit(server):
    def slow(h):
        h.sleep(0.15)
        h.reply(200, b"ok")

    url = server.add("/concurrency", slow)
    c = HttpClient(make_policy(per_host_concurrency=2, total_timeout_s=3))
    results = []
    threads = [threading.Thread(target=lambda: results.append(c.get(url))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(results) == 6 and all(r.ok for r in results)
    assert server.max_inflight["/concurrency"] == 2


# --- DNS pinning (custom resolver: no real DNS, traffic stays on 127.0.0.1) ---------------


def test_connects_to_checked_ip_with_original_host_header(server):
    def echo_host(h):
        h.reply(200, h.headers.get("Host", "").encode())

    server.add("/echo-host", echo_host)
    calls = []

    def resolver(host, port):
        calls.append(host)
        return ["127.0.0.1"]

    c = HttpClient(make_policy(), resolver=resolver)
    r = c.get(f"http://news.example:{server.port}/echo-host")
    assert r.ok, r.error
    assert r.body == f"news.example:{server.port}".encode()
    assert calls == ["news.example"]  # resolved once, by us


def test_mixed_dns_answer_refused_as_a_whole(server, internal_server):
    internal_server.static("/rebind", b"internal")
    c = HttpClient(make_policy(), resolver=lambda host, port: ["127.0.0.1", "127.0.0.2"])
    r = c.get(f"http://rebind.example:{server.port}/rebind")
    assert r.error_kind == "refused_address" and "127.0.0.2" in r.error
    assert internal_server.hits["/rebind"] == 0


def test_metadata_hostname_refused_before_connecting():
    calls = []
    c = HttpClient(make_policy(), resolver=lambda host, port: calls.append(host) or ["169.254.169.254"])
    r = c.get("http://metadata.google.internal/computeMetadata/v1/")
    assert r.error_kind == "refused_address" and "cloud metadata" in r.error
    assert calls == ["metadata.google.internal"]


def test_dns_failure_reported():
    def resolver(host, port):
        raise socket.gaierror(-2, "Name or service not known")

    r = HttpClient(make_policy(retries=0), resolver=resolver).get("http://nowhere.invalid/")
    assert r.error_kind == "dns" and "nowhere.invalid" in r.error


@pytest.mark.parametrize("url", ["", "not a url", "http://", "http://[::1/", "mailto:x@y.z"])
def test_garbage_urls_never_raise(url):
    r = HttpClient(make_policy()).get(url)
    assert not r.ok and r.error_kind in ("refused_scheme", "bad_url")


def test_thread_safety_many_parallel_gets(server):
    url = server.static("/parallel", FEED)
    c = HttpClient(make_policy(per_host_concurrency=4))
    results = []
    lock = threading.Lock()

    def work():
        for _ in range(5):
            r = c.get(url)
            with lock:
                results.append(r)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert len(results) == 40 and all(r.ok and r.body == FEED for r in results)


def test_hanging_dns_cut_at_connect_timeout(timed):
    release = threading.Event()

    def slow_resolver(host, port):
        release.wait(3)
        return ["127.0.0.1"]

    c = HttpClient(make_policy(retries=0, connect_timeout_s=0.3), resolver=slow_resolver)
    try:
        with timed(1.0):
            r = c.get("http://slow-dns.example/")
    finally:
        release.set()
    assert r.error_kind == "timeout"
    assert "DNS lookup of 'slow-dns.example' took longer than 0.3s" in r.error
