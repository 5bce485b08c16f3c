"""SimPy processes of the model, and nothing else: the world and its seams, the portfolio, a deployment's
lifecycle, the Diet's approval procedure, the field, the alliance."""
