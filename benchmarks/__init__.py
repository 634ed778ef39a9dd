"""``make bench``: our ``text_generation`` against text-generation 0.7.0, huggingface_hub, openai.

- ``benchmarks.server``: a small canned-answer TGI server (raw asyncio, HTTP/1.1 keep-alive);
  ``benchmarks.chat``: its Messages API answers.
- ``benchmarks.workloads``: one workload for one client, run inside that client's venv
  (``workloads_tg`` for text_generation, ours or upstream; ``workloads_httpx`` for the plain httpx
  reference; ``workloads_chat`` for W6-W7; ``workloads_hfhub`` and ``workloads_openai`` for the
  peers; ``workloads_import`` for W5; ``workloads_timing`` for what they share).
- ``benchmarks.capacity``: raw-socket load for the bench server and for our mock.
- ``benchmarks.run``: the command line; ``benchmarks.processes`` starts the servers and the
  workload processes; ``benchmarks.report`` makes the table of medians and refreshes READMEs.
"""
