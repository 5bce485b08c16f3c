"""Package data: the statute XML and the real-world tables, with their sources."""
