"""Studies built on the simulator and the record: calibration to the real deployments and the
counterfactuals of real deployments as if they had needed the Diet's approval."""
