"""The HTTP under the clients' httpx: one maintained library per side, plugged into httpx as a
transport (glue only, as httpx keeps its own in ``httpx._transports``).

- ``sync``: ``Client`` on urllib3's connection pools (``http.client`` parses the answers);
- ``aio``: ``AsyncClient`` on aiohttp's pool and its C parser (llhttp);
- ``_glue``: what both share (framing checks, the cookie jar, the TLS context, the hook into
  httpx's clients).

``timeout`` means the same on both: connecting, each read, each write, and the wait for a pooled
connection. Routes through a proxy stay on httpx's own transports.

Private names used, each because no public API serves; each library is pinned below its next
untested minor release (``pyproject.toml``), and each use has a canary test in
``tests/hostile/test_canaries.py`` that fails when the name changes shape or meaning:

| # | private name (library) | why: no public API | if it changes |
| --- | --- | --- | --- |
| 1 | ``Client._init_transport`` (httpx) | ours + httpx's proxies | httpx's transport runs |
| 2 | ``Client._cookies`` (httpx) | a jar of our class | a call costs a sixth more |
| 3 | ``ClientSession._retry_connection`` (aiohttp) | no resend | a GET may go twice |
| 4 | ``ResponseHandler.should_close`` (aiohttp) | stale idle connection | stale bytes as answer |
| 5 | size lines read by ``fp.readline`` (urllib3) | check each line | bad sizes accepted |

1. Overridden in ``_glue.OurTransports`` (``AsyncClient._init_transport`` too): it puts our
   transport under httpx's direct routes while httpx still builds its proxy routes from
   ``proxy=`` and the environment (the public ``transport=`` turns the environment's proxies
   off, and ``mounts=`` sends ``NO_PROXY`` hosts to httpx's default transport).
2. Replaced with ``_glue.QuietCookies``, which skips the standard library's cookie parse of an
   answer that sets none; the public ``cookies`` setter copies into a plain ``httpx.Cookies``.
3. Set to False in ``aio``: aiohttp resends an idempotent request once when a reused connection
   drops, and has no option to stop it; only the client's retry policy may send again.
4. Read in ``aio._Connector.connect`` (an override of the public ``BaseConnector.connect``):
   bytes or an error that arrived on an idle pooled connection make it True; aiohttp itself
   checks it only when a connection is released, not before reuse.
5. ``sync._StrictResponse.begin`` wraps ``http.client.HTTPResponse.fp`` of a chunked answer,
   because urllib3's ``HTTPResponse._update_chunk_length`` reads each size line with
   ``fp.readline`` and takes whatever ``int(line, 16)`` takes (``-1``, ``0x10``, 40 digits).

pydantic instance slots, used by the documented types (``_base.py``), are listed with the types.
"""
