"""``make bench``: the benchmark suite comparing our ``text_generation`` with text-generation 0.7.0.

- ``benchmarks.server``: a small canned-answer TGI server (raw asyncio, HTTP/1.1 keep-alive).
- ``benchmarks.workloads``: one workload for one client, run inside that client's venv.
- ``benchmarks.capacity``: raw-socket load for the bench server and for our mock.
- ``benchmarks.run``: starts the servers, interleaves the runs, prints the table of medians.
"""
