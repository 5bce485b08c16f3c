"""Running a scenario: replications of the model (:mod:`~sim.run.replications`) and the typed
tables their rows become (:mod:`~sim.run.tables`)."""
