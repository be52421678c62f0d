"""Data-parallel training on one machine: several processes, one intra-op thread each, gradients averaged (gloo).

Why: on these 2-core machines one training process with two intra-op threads kept ~1.2 cores busy; the rest of a
step is Python and small serial ops. Two processes of one thread each keep both cores busy with the same step size.

Every rank builds the same model from the same seed, draws its own share of a step's images, and applies the same
averaged gradients, so the weights stay identical without being broadcast. Rank 0's clock is the schedule: its
progress is shared every step, so every rank uses the same learning rate and stops at the same step.
"""

from __future__ import annotations

import os
import socket
from contextlib import closing
from typing import Callable

import torch
import torch.distributed as dist
import torch.multiprocessing as mp


class Ranks:
    """This process's place among the training processes (a single process when ``world`` is 1)."""

    def __init__(self, rank: int = 0, world: int = 1):
        self.rank, self.world = rank, world

    @property
    def main(self) -> bool:
        """The rank that logs and saves."""
        return self.rank == 0

    def average_gradients(self, params: list[torch.nn.Parameter]) -> None:
        """Every parameter's gradient becomes the mean over the ranks (a missing gradient counts as zero)."""
        if self.world == 1:
            return
        grads = [p.grad if p.grad is not None else torch.zeros_like(p) for p in params]
        flat = torch.cat([g.reshape(-1) for g in grads])
        dist.all_reduce(flat)
        flat /= self.world
        at = 0
        for p in params:
            # views into the reduced buffer: no second copy of every gradient (the buffer lives while they do)
            p.grad = flat[at:at + p.numel()].view_as(p)
            at += p.numel()

    def same_start(self, params: list[torch.nn.Parameter]) -> None:
        """Rank 0's values for ``params`` on every rank (they are built from the same seed; this makes sure)."""
        if self.world == 1:
            return
        with torch.no_grad():
            for p in params:
                dist.broadcast(p.data, 0)

    def shared(self, value: float) -> float:
        """Rank 0's ``value`` on every rank."""
        if self.world == 1:
            return value
        t = torch.tensor([value], dtype=torch.float64)
        dist.broadcast(t, 0)
        return float(t.item())


def _free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _entry(rank: int, world: int, port: int, fn: Callable[[Ranks], None]) -> None:
    os.environ["MASTER_ADDR"], os.environ["MASTER_PORT"] = "127.0.0.1", str(port)
    dist.init_process_group("gloo", rank=rank, world_size=world)
    try:
        fn(Ranks(rank, world))
    finally:
        dist.destroy_process_group()


def run(world: int, fn: Callable[[Ranks], None]) -> None:
    """``fn(ranks)`` in ``world`` processes (in this one when ``world`` is 1); ``fn`` must be picklable."""
    if world == 1:
        fn(Ranks())
        return
    mp.spawn(_entry, args=(world, _free_port(), fn), nprocs=world, join=True)
