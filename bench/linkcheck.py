"""Benchmark: OIT link checks per second against a loopback site with many hosts.

A separate process serves a small agency site on many loopback addresses (127.0.0.2 …
127.0.0.N+1, one "host" each, all on the same port: Linux routes all of 127/8 to the loopback
interface). The checker (``openita.oit.linkcheck``) then checks ``--links`` URLs spread over
the hosts with its politeness limits on (at most ``--per-host`` connections to a host,
``--concurrency`` in all, the usual timeouts, the content checks of every page: its text, the
item's title, the fiscal year).

In the same run, the floor: a bare asyncio/httpx loop that GETs the same URLs with the same
networking (a client per host, the same per-host and overall limits) and does nothing with
the answers. The
ratio checker / floor says how much the checker's own logic costs.

Each figure is the median of ``--repeat`` runs after a warm-up, alternating checker and floor
so the noise of the machine falls on both. Results: printed, and written to
``bench/results/linkcheck-<date>T<time>.json`` and ``bench/results/linkcheck-latest.md``.
Target (issue 12): at least 500 checks/s on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import multiprocessing
import os
import platform
import socket
import ssl
import statistics
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openita.oit.linkcheck import Limits, Link, check_links_async  # noqa: E402

PAGE = (
    "<!doctype html><html lang='th'><head><meta charset='utf-8'>"
    "<title>O5 แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน</title></head><body>"
    "<h1>แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน</h1><p>แผนพัฒนาท้องถิ่น ประจำปีงบประมาณ พ.ศ. 2569 "
    "ขององค์การบริหารส่วนตำบลตัวอย่าง อำเภอเมือง จังหวัดตัวอย่าง</p>"
    + "<p>รายละเอียดของแผนงานและโครงการตามยุทธศาสตร์การพัฒนา</p>" * 20
    + "</body></html>"
).encode()
TITLE = "แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน"
RESPONSE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
    + f"Content-Length: {len(PAGE)}\r\n\r\n".encode()
    + PAGE
)


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            if not head:
                break
            writer.write(RESPONSE)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


def _serve(hosts: list[str], port: int, ready: multiprocessing.synchronize.Event) -> None:
    async def main() -> None:
        servers = [await asyncio.start_server(_handle, h, port, backlog=512) for h in hosts]
        ready.set()
        await asyncio.gather(*(s.serve_forever() for s in servers))

    asyncio.run(main())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _floor(urls: list[str], limits: Limits) -> float:
    """The same networking as the checker (a client per host with ``per_host`` connections,
    ``concurrency`` in flight), nothing done with the answers."""
    started = time.perf_counter()
    gate = asyncio.Semaphore(limits.concurrency)
    tls = ssl.create_default_context()
    clients: dict[str, httpx.AsyncClient] = {}
    gates: dict[str, asyncio.Semaphore] = {}
    for url in urls:
        host = url.split("/")[2]
        if host not in clients:
            pool = httpx.Limits(
                max_connections=limits.per_host, max_keepalive_connections=limits.per_host
            )
            clients[host] = httpx.AsyncClient(follow_redirects=True, limits=pool, verify=tls)
            gates[host] = asyncio.Semaphore(limits.per_host)

    async def one(url: str) -> None:
        host = url.split("/")[2]
        async with gates[host], gate:
            response = await clients[host].get(url)
            assert response.status_code == 200

    try:
        await asyncio.gather(*(one(u) for u in urls))
    finally:
        for client in clients.values():
            await client.aclose()
    return time.perf_counter() - started


async def _checker(urls: list[str], limits: Limits) -> float:
    links = [Link("o5", u, title=TITLE, year=2569) for u in urls]
    started = time.perf_counter()
    results = await check_links_async(links, limits=limits)
    elapsed = time.perf_counter() - started
    bad = [r for r in results if not r.ok]
    assert not bad, f"{len(bad)} checks failed, e.g. {bad[0]}"
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--links", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    hosts = [f"127.0.0.{i + 2}" for i in range(args.hosts)]
    port = _free_port()
    ready = multiprocessing.get_context("spawn").Event()
    server = multiprocessing.get_context("spawn").Process(
        target=_serve, args=(hosts, port, ready), daemon=True
    )
    server.start()
    if not ready.wait(30):
        raise SystemExit("bench: the loopback site did not start")
    urls = [f"http://{hosts[i % len(hosts)]}:{port}/ita/o5?n={i}" for i in range(args.links)]
    limits = Limits(per_host=args.per_host, concurrency=args.concurrency)
    try:
        asyncio.run(_checker(urls[:200], limits))  # warm-up
        asyncio.run(_floor(urls[:200], limits))
        checker, floor = [], []
        for _ in range(args.repeat):
            checker.append(asyncio.run(_checker(urls, limits)))
            floor.append(asyncio.run(_floor(urls, limits)))
    finally:
        server.terminate()
    c_rate = args.links / statistics.median(checker)
    f_rate = args.links / statistics.median(floor)
    figures = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "links": args.links,
        "hosts": args.hosts,
        "per_host": args.per_host,
        "concurrency": args.concurrency,
        "repeat": args.repeat,
        "checker_per_s": round(c_rate, 1),
        "checker_per_s_range": [
            round(args.links / max(checker), 1),
            round(args.links / min(checker), 1),
        ],
        "floor_per_s": round(f_rate, 1),
        "floor_per_s_range": [round(args.links / max(floor), 1), round(args.links / min(floor), 1)],
        "ratio_checker_to_floor": round(c_rate / f_rate, 3),
        "target_per_s": 500,
        "target_met": c_rate >= 500,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y-%m-%dT%H%M%S")
    (out / f"linkcheck-{stamp}.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    lines = [
        "# OIT link checker benchmark (latest run)",
        "",
        f"{figures['when']}, {figures['machine']}; `python bench/linkcheck.py` with "
        f"{args.links} links over {args.hosts} loopback hosts, per host {args.per_host}, "
        f"concurrency {args.concurrency}, median of {args.repeat} runs (range in brackets).",
        "",
        "| | checks/s |",
        "|---|---|",
        f"| OpenITA link checker (politeness limits, content checks) | {c_rate:.0f} "
        f"({figures['checker_per_s_range'][0]:.0f}–{figures['checker_per_s_range'][1]:.0f}) |",
        f"| floor: bare asyncio/httpx GET loop, same concurrency | {f_rate:.0f} "
        f"({figures['floor_per_s_range'][0]:.0f}–{figures['floor_per_s_range'][1]:.0f}) |",
        "",
        f"Checker / floor: **{c_rate / f_rate:.2f}**. Target 500 checks/s: "
        f"**{'met' if c_rate >= 500 else 'MISSED'}**.",
        "",
    ]
    (out / "linkcheck-latest.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
