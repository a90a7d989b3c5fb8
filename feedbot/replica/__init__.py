"""A local replica of the 팩플 section for the demo and the tests. Imports nothing of the pipeline."""

from feedbot.replica.server import ReplicaServer, ReplicaSite

__all__ = ["ReplicaServer", "ReplicaSite"]
