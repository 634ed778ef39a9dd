"""``make bench``: the benchmark suite comparing our ``text_generation`` with text-generation 0.7.0.

- ``benchmarks.server``: a small canned-answer TGI server (raw asyncio, HTTP/1.1 keep-alive).
- ``benchmarks.workloads``: one workload for one client, run inside that client's venv
  (``workloads_tg`` for text_generation, ours or upstream; ``workloads_httpx`` for the plain httpx
  reference; ``workloads_import`` for W5; ``workloads_timing`` for what they share).
- ``benchmarks.capacity``: raw-socket load for the bench server and for our mock.
- ``benchmarks.run``: the command line; ``benchmarks.processes`` starts the servers and the
  workload processes; ``benchmarks.report`` makes the table of medians and refreshes READMEs.
"""
