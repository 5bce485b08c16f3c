"""SimPy processes of the model: the world, the deployment lifecycle, the Diet seam."""
