"""Bot handlers, one module per feature; ``register.py`` wires them."""
