"""Running the portal as a deployment: worker wake-ups, health, logs and metrics."""
