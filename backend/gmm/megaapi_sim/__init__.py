"""MegaAPI simulator: the gateway's contract (docs/megaapi-contrato.md) in one process,
for dev runs and tests."""

from gmm.megaapi_sim.app import create_sim_app, serve
from gmm.megaapi_sim.callbacks import CallbackSettings
from gmm.megaapi_sim.state import SentMessage, SimState

__all__ = ["CallbackSettings", "SentMessage", "SimState", "create_sim_app", "serve"]
