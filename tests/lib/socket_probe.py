#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""UDP and TCP traffic for the end-to-end checks; every wait is bounded.

  socket_probe.py udp-recv ADDR PORT SECONDS        print the first datagram
  socket_probe.py udp-send ADDR PORT TEXT           send TEXT 3 times, 0.2 s apart
  socket_probe.py tcp-serve ADDR PORT SECONDS       answer one connection's
                                                    first message with "echo: " + it
  socket_probe.py tcp-send ADDR PORT TEXT SECONDS   connect, send TEXT, print the answer

The listeners print "listening" once they are bound, then what they got.
Errors and timeouts: one line on stderr, exit 1; bad arguments: exit 2.
"""
import socket
import sys
import time


def listening(sock):
    print("listening", flush=True)
    return sock


def udp_recv(addr, port, seconds):
    with listening(bind(socket.SOCK_DGRAM, addr, port)) as sock:
        sock.settimeout(seconds)
        data, _ = sock.recvfrom(2048)
        print(f"udp port {port} received '{data.decode()}'", flush=True)


def udp_send(addr, port, text):
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
        for _ in range(3):
            sock.sendto(text.encode(), (addr, port))
            time.sleep(0.2)


def tcp_serve(addr, port, seconds):
    with listening(bind(socket.SOCK_STREAM, addr, port)) as sock:
        sock.settimeout(seconds)
        sock.listen(1)
        conn, _ = sock.accept()
        with conn:
            conn.settimeout(seconds)
            data = conn.recv(2048)
            conn.sendall(b"echo: " + data)
            print(f"tcp port {port} served '{data.decode()}'", flush=True)


def tcp_send(addr, port, text, seconds):
    with socket.create_connection((addr, port), timeout=seconds) as sock:
        sock.sendall(text.encode())
        print(f"answer '{sock.recv(2048).decode()}'", flush=True)


def bind(kind, addr, port):
    sock = socket.socket(socket.AF_INET6, kind)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((addr, port))
    return sock


COMMANDS = {
    "udp-recv": (udp_recv, (str, int, float)),
    "udp-send": (udp_send, (str, int, str)),
    "tcp-serve": (tcp_serve, (str, int, float)),
    "tcp-send": (tcp_send, (str, int, str, float)),
}


def main(argv):
    if len(argv) < 2 or argv[1] not in COMMANDS:
        print("socket_probe.py: unknown command (see its header)", file=sys.stderr)
        return 2
    func, types = COMMANDS[argv[1]]
    if len(argv) - 2 != len(types):
        print(f"socket_probe.py: {argv[1]} takes {len(types)} arguments", file=sys.stderr)
        return 2
    try:
        func(*(t(a) for t, a in zip(types, argv[2:])))
    except ValueError as err:
        print(f"socket_probe.py: bad argument: {err}", file=sys.stderr)
        return 2
    except OSError as err:   # socket.timeout is an OSError too
        print(f"socket_probe.py: {argv[1]} {argv[2]} port {argv[3]}: {err or 'timed out'}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
