"""A Jupyter kernel client that does not wait forever for a message it has already received.

nbclient waits for a cell's reply with one long ``get_msg`` on the shell channel (and without a
limit on IOPub). With ZeroMQ's edge-triggered sockets under asyncio, the wake-up for a message
can be missed while another socket is being read — seen here as a notebook run that hangs after a
cell showing a widget, the kernel idle and its reply unread (jupyter/nbclient#312 describes the
same with ipywidgets). Polling in one-second steps re-reads the socket's state each second, so a
missed wake-up costs at most a second; a real timeout still ends at the caller's limit.
"""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from traitlets import Type

_STEP = 1.0  # seconds between two looks at a socket


class PatientChannel(AsyncZMQSocketChannel):
    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = _STEP if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                return await super().get_msg(timeout=min(_STEP, left))
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise


class PatientKernelClient(AsyncKernelClient):
    shell_channel_class = Type(PatientChannel)
    iopub_channel_class = Type(PatientChannel)
    stdin_channel_class = Type(PatientChannel)
    control_channel_class = Type(PatientChannel)
