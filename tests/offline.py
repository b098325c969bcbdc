"""Runs a Python program with the network cut to this machine only, as on a hospital LAN with no internet.

    python tests/offline.py manage.py migrate
    python tests/offline.py -m waitress --listen=127.0.0.1:8765 hayat.wsgi:application
"""

import errno
import runpy
import socket
import sys

LOCAL_HOSTS = {"localhost", "::1", "", None}
_getaddrinfo = socket.getaddrinfo
_connect = socket.socket.connect


def is_local(host) -> bool:
    return host in LOCAL_HOSTS or str(host).startswith("127.")


def local_getaddrinfo(host, *args, **kwargs):
    if not is_local(host):
        raise socket.gaierror(socket.EAI_NONAME, f"offline: cannot resolve {host}")
    return _getaddrinfo(host, *args, **kwargs)


def local_connect(sock, address):
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address[0]):
        raise OSError(errno.ENETUNREACH, f"offline: no route to {address[0]}")
    return _connect(sock, address)


socket.getaddrinfo = local_getaddrinfo
socket.socket.connect = local_connect

if __name__ == "__main__":
    if sys.argv[1] == "-m":
        sys.argv = sys.argv[2:]
        runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
    else:
        sys.argv = sys.argv[1:]
        runpy.run_path(sys.argv[0], run_name="__main__")
