"""The seed steps, one module per domain; ``portal.demo.seed.STEPS`` orders them."""
