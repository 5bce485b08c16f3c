"""Studies built on the simulator and the record: calibration to the real deployments, the
counterfactuals of real deployments as if they had needed the Diet's approval, and the replays
of real deployments built from the record (:mod:`sim.studies.replay`)."""
